// The policy's exclude patterns as duplicity applies them, for walks that must see the tree a
// backup holds: a pattern is relative to the container directory, `**` matches across `/`,
// `*` and `?` within one component, `[...]` a class, and a match excludes everything below too.

// Whether a path (relative to the container directory, bytes as on disk) is excluded.
export type ExcludeTest = (path: Buffer) => boolean;

function patternSource(pattern: string): string {
  // Paths are matched as latin1 strings (one char per byte), so the pattern is too.
  const bytes = Buffer.from(pattern.replace(/^\.?\/+/, '').replace(/\/+$/, ''), 'utf8').toString('latin1');
  let source = '';
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i] as string;
    if (ch === '*' && bytes[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '[') {
      const close = bytes.indexOf(']', i + 2);
      if (close === -1) source += '\\[';
      else {
        const body = bytes.slice(i + 1, close).replace(/\\/g, '\\\\');
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else source += ch.replace(/[.\\^$+(){}|\]]/g, '\\$&');
  }
  return source;
}

// A test for `patterns`; with none, nothing is excluded.
export function compileExcludes(patterns: readonly string[]): ExcludeTest {
  if (patterns.length === 0) return () => false;
  const re = new RegExp(`^(?:${patterns.map(patternSource).join('|')})(?:/.*)?$`, 's');
  return (path) => re.test(path.toString('latin1'));
}
