// status-page.format.js's text (see status-page.html.text.ts).
import { readFileSync } from 'node:fs';

export default readFileSync(new URL('./status-page.format.js', import.meta.url), 'utf8');
