// marker-io.py's text. Run from source it is read from beside this file; the bundle build
// (scripts/build.mjs) replaces every `X.text.js` module by the text of file X.
import { readFileSync } from 'node:fs';

export default readFileSync(new URL('./marker-io.py', import.meta.url), 'utf8');
