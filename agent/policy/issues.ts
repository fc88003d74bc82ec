// Turns schema issues into located, secret-free problems.
import type { Document, LineCounter } from 'yaml';
import type * as z from 'zod';
import { describeFound, valueAt } from './describe.js';
import { knownKeysAt } from './known-keys.js';
import { locate } from './locate.js';
import { formatPath, type PolicyProblem } from './problem.js';

interface Context {
  file: string;
  doc: Document;
  counter: LineCounter;
  raw: unknown;
  schema: z.ZodType;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

function problemAt(ctx: Context, path: readonly PropertyKey[], expected: string, atKey = false, found?: string): PolicyProblem {
  const { line, col } = locate(ctx.doc, ctx.counter, path, atKey);
  const got = found ?? describeFound(valueAt(ctx.raw, path), path);
  return { file: ctx.file, line, col, path: formatPath(path), message: `${expected}, got ${got}` };
}

function limitWords(issue: { origin?: string; minimum?: unknown; maximum?: unknown; code: string }): string {
  const bound = issue.code === 'too_small' ? `>= ${String(issue.minimum)}` : `<= ${String(issue.maximum)}`;
  if (issue.origin === 'array')
    return issue.code === 'too_small'
      ? `expected at least ${String(issue.minimum)} item(s)`
      : `expected at most ${String(issue.maximum)} item(s)`;
  if (issue.origin === 'string') return 'expected a non-empty string';
  return `expected a number ${bound}`;
}

// Problems for one zod issue (an unknown-keys issue yields one per key).
export function problemsFromIssue(ctx: Context, issue: z.core.$ZodIssue): PolicyProblem[] {
  const path = issue.path;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(ctx.schema, ctx.raw, path);
      const expected = known.length ? `expected one of ${known.join(', ')}` : 'expected a known key';
      return issue.keys.map((key) => problemAt(ctx, [...path, key], expected, true, `unknown key ${JSON.stringify(key)}`));
    }
    case 'invalid_type': {
      const word = TYPE_WORDS[issue.expected] ?? issue.expected;
      return [problemAt(ctx, path, `expected ${word}`)];
    }
    case 'invalid_value':
      return [problemAt(ctx, path, `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`)];
    case 'invalid_union': {
      // A union that says what it takes in its own words (`auto` or a number) keeps them.
      if (issue.message.startsWith('expected')) return [problemAt(ctx, path, issue.message)];
      const options = (issue as { options?: unknown[] }).options;
      if (options) return [problemAt(ctx, path, `expected ${options.map((v) => JSON.stringify(v)).join(' or ')}`)];
      return [problemAt(ctx, path, 'expected a valid value')];
    }
    case 'invalid_key':
      return [problemAt(ctx, path, issue.issues[0]?.message ?? 'expected a valid key', true, JSON.stringify(String(path.at(-1))))];
    case 'too_small':
    case 'too_big':
      return [problemAt(ctx, path, limitWords(issue))];
    case 'invalid_format':
      return [problemAt(ctx, path, issue.format === 'url' ? 'expected an http:// or https:// URL' : `expected ${issue.format} format`)];
    default:
      return [problemAt(ctx, path, issue.message.startsWith('expected') ? issue.message : `expected ${issue.message}`)];
  }
}
