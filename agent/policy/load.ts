// Policy I/O: reads the file and the secrets file it names, and checks the secrets file.
import { readFile } from 'node:fs/promises';
import { parsePolicy, type ParseResult } from './parse.js';
import { collectSecretReferences } from './references.js';
import type { Policy } from './schema.js';
import { readSecretsFile, SecretsFileError, type SecretsFileContent } from './secrets-file.js';
import { errnoCode, errorMessage } from '../core/error-message.js';

// Raised when the policy file itself cannot be read (exit 2, not 1).
export class PolicyReadError extends Error {
  override name = 'PolicyReadError';
}

// Reads and validates a policy file.
export async function readPolicy(path: string): Promise<ParseResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = errnoCode(error);
    throw new PolicyReadError(`${path}: cannot read the policy (${code ?? errorMessage(error)})`);
  }
  return parsePolicy(text, path);
}

export interface SecretsCheck {
  values: Map<string, string>;
  errors: string[];
  warnings: string[];
}

// Reads the secrets file and checks it: private mode, well-formed lines, every reference set.
export async function checkSecrets(policy: Policy, env: NodeJS.ProcessEnv): Promise<SecretsCheck> {
  const file = policy.secrets_file;
  const references = collectSecretReferences(policy);
  const errors: string[] = [];
  const warnings: string[] = [];
  let parsed: SecretsFileContent | undefined;
  try {
    // The same reader every other load uses: the same checks, through the same descriptor.
    parsed = await readSecretsFile(file);
  } catch (error) {
    if (!(error instanceof SecretsFileError)) throw error;
    return { values: new Map(), errors: [error.message], warnings };
  }
  if (!parsed) {
    const names = [...new Set(references.map((ref) => ref.name))];
    if (names.length) warnings.push(`${file} does not exist: ${names.map((n) => `\${${n}}`).join(', ')} must come from the environment`);
    return { values: new Map(), errors, warnings };
  }
  for (const problem of parsed.problems) errors.push(`${file}:${problem.line}: ${problem.message}`);
  for (const ref of references) {
    if (!parsed.values.has(ref.name) && !env[ref.name]) {
      errors.push(`${ref.path}: secret ${ref.name} is not set in ${file} or the environment`);
    }
  }
  return { values: parsed.values, errors, warnings };
}
