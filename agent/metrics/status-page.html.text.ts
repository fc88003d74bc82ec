// status-page.html's text. Run from source (tsx, Vitest) it is read from beside this file; the
// bundle build (scripts/build.mjs) replaces every `X.text.js` module by the text of file X, so
// the installed agent is still one file.
import { readFileSync } from 'node:fs';

export default readFileSync(new URL('./status-page.html', import.meta.url), 'utf8');
