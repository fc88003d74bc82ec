// status-page.css's text (see status-page.html.text.ts).
import { readFileSync } from 'node:fs';

export default readFileSync(new URL('./status-page.css', import.meta.url), 'utf8');
