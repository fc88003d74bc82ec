// One thing wrong with a policy, located in its file.

export interface PolicyProblem {
  file: string;
  line: number;
  col: number;
  // Dotted path of the key, e.g. `containers.web-*.schedule`; empty for the whole document.
  path: string;
  message: string;
}

// The one-line form every tool prints: `policy.yaml:LINE:COL path.to.key: expected …, got …`.
export function formatProblem(problem: PolicyProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.col}`;
  return problem.path ? `${where} ${problem.path}: ${problem.message}` : `${where} ${problem.message}`;
}

// A key path as users write it: dots between keys, [i] for list items, ["…"] for odd keys.
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z0-9_*?$-]+$/.test(String(key))) out += out === '' ? String(key) : `.${String(key)}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
