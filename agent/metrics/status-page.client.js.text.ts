// status-page.client.js's text (see status-page.html.text.ts).
import { readFileSync } from 'node:fs';

export default readFileSync(new URL('./status-page.client.js', import.meta.url), 'utf8');
