// The status page and the Content-Security-Policy it is served with. The page's one inline
// <style> and one inline <script> are allowed by their hashes; everything else may come only
// from the agent itself (`connect-src 'self'` for the JSON it fetches), so the page cannot
// load anything from outside even if a guest-chosen string slipped into it.
import { createHash } from 'node:crypto';
import client from './status-page.client.js.text.js';
import format from './status-page.format.js.text.js';
import style from './status-page.css.text.js';
import skeleton from './status-page.html.text.js';

// Puts `text` between the empty `<tag></tag>` of the skeleton (a function replacer: the
// script's `$` must not be read as a replacement pattern).
const inline = (page: string, tag: 'script' | 'style', text: string): string => {
  const empty = `<${tag}></${tag}>`;
  if (!page.includes(empty)) throw new Error(`status-page.html: expected an empty ${empty} to fill, found none`);
  return page.replace(empty, () => `<${tag}>\n${text}</${tag}>`);
};

// One script: the formatting functions, then the code that uses them.
const script = `${format}\n${client}`;

// The page, as served: the skeleton with its style and script inlined.
export const STATUS_PAGE_HTML: string = inline(inline(skeleton, 'style', style), 'script', script);
const html = STATUS_PAGE_HTML;

const hashOf = (tag: 'script' | 'style'): string => {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  if (!match?.[1]) throw new Error(`status-page.html: expected one inline <${tag}>, found none`);
  return `'sha256-${createHash('sha256').update(match[1]).digest('base64')}'`;
};

// The header value: default-src 'self', inline code only by hash, no frames, no forms.
export const STATUS_PAGE_CSP = [
  "default-src 'self'",
  `script-src ${hashOf('script')}`,
  `style-src ${hashOf('style')}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
