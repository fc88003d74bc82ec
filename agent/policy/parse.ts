// Pure policy parsing: YAML text in, `{policy, problems}` out. Reports every problem at once.
import { LineCounter, parseDocument } from 'yaml';
import { describeFound, valueAt } from './describe.js';
import { problemsFromIssue } from './issues.js';
import { locate } from './locate.js';
import { formatPath, type PolicyProblem } from './problem.js';
import { checkRules } from './rules.js';
import { policySchema, type Policy } from './schema.js';

export interface ParseResult {
  // Set only when there are no problems.
  policy?: Policy;
  problems: PolicyProblem[];
}

// Parses and validates policy text; `file` is used only to label problems.
export function parsePolicy(text: string, file: string): ParseResult {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => {
        const { line, col } = counter.linePos(error.pos[0]);
        return { file, line, col, path: '', message: `expected valid YAML, got ${error.message.split('\n')[0]}` };
      }),
    };
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const { line, col } = locate(doc, counter, []);
    return {
      problems: [{ file, line, col, path: '', message: `expected a mapping with version: 1, got ${describeFound(raw ?? undefined, [])}` }],
    };
  }
  const result = policySchema.safeParse(raw);
  if (!result.success) {
    const ctx = { file, doc, counter, raw, schema: policySchema };
    return { problems: sortProblems(result.error.issues.flatMap((issue) => problemsFromIssue(ctx, issue))) };
  }
  const problems = checkRules(result.data).map(({ path, expected }) => {
    const { line, col } = locate(doc, counter, path);
    return { file, line, col, path: formatPath(path), message: `${expected}, got ${describeFound(valueAt(raw, path), path)}` };
  });
  return problems.length ? { problems: sortProblems(problems) } : { policy: result.data, problems };
}

function sortProblems(problems: PolicyProblem[]): PolicyProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}
