// Container-name globs (`web-*`, `db-?`, `[ab]-cache`) for the `containers` and `ignore` keys.

const GLOB_CHARS = /[*?[\]]/;
const NAME_OR_GLOB = /^[A-Za-z0-9._*?[\]-]+$/;

// Whether a pattern contains glob syntax (an entry without any is an exact name).
export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

// Whether a key is a plausible LXC container name or glob of names.
export function isNamePattern(pattern: string): boolean {
  return NAME_OR_GLOB.test(pattern) && balancedBrackets(pattern);
}

function balancedBrackets(pattern: string): boolean {
  let open = false;
  for (const ch of pattern) {
    if (ch === '[') {
      if (open) return false;
      open = true;
    } else if (ch === ']') {
      if (!open) return false;
      open = false;
    }
  }
  return !open;
}

// Regular expression that matches exactly the names the glob matches.
function globToRegExp(pattern: string): RegExp {
  let source = '';
  let inBracket = false;
  for (const ch of pattern) {
    if (inBracket) {
      // Ranges like [a-z] pass through; only the regex escape character needs care.
      source += ch === '\\' ? '\\\\' : ch;
      if (ch === ']') inBracket = false;
    } else if (ch === '[') {
      inBracket = true;
      source += ch;
    } else if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.\\^$+(){}|-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

// Whether a name matches a pattern (exact name or glob).
export function matchesPattern(name: string, pattern: string): boolean {
  return isGlob(pattern) ? globToRegExp(pattern).test(name) : name === pattern;
}

// How specific a pattern is: the count of literal characters. `web-*` (4) is more
// specific than `w*` (1); an exact name is handled separately and always wins.
export function globSpecificity(pattern: string): number {
  return pattern.replace(/\[[^\]]*\]/g, '?').replace(/[*?]/g, '').length;
}
