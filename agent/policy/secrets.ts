// Secret references (`${NAME}`) in the policy and the `KEY=value` secrets file behind them.

const REFERENCE = /^\$\{([A-Z_][A-Z0-9_]*)\}$/;

// The variable name a `${NAME}` reference points at, or undefined for anything else.
export function secretReferenceName(value: string): string | undefined {
  return REFERENCE.exec(value)?.[1];
}

// Problems found while reading a secrets file; values never appear in them.
export interface SecretsFileProblem {
  line: number;
  message: string;
}

// Parses `KEY=value` lines (blank lines and `#` comments allowed; optional matching quotes).
export function parseSecretsFile(text: string): { values: Map<string, string>; problems: SecretsFileProblem[] } {
  const values = new Map<string, string>();
  const problems: SecretsFileProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (!match) {
      problems.push({ line: index + 1, message: 'expected KEY=value, got a line without "=" or with an invalid key' });
      return;
    }
    const [, key = '', value = ''] = match;
    values.set(key, unquote(value.trim()));
  });
  return { values, problems };
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) return value.slice(1, -1);
  return value;
}

// Where a secret's value comes from: the secrets file first, then the environment.
export interface SecretSource {
  file: Map<string, string>;
  env: NodeJS.ProcessEnv;
}

// Resolves a `${NAME}` reference; throws a message naming only the variable, never a value.
export function resolveSecret(reference: string, source: SecretSource, secretsFile: string): string {
  const name = secretReferenceName(reference);
  if (!name) throw new Error(`expected a secret reference like "\${PASSPHRASE}", got a literal value (not shown)`);
  const value = source.file.get(name) ?? source.env[name];
  if (value === undefined || value === '') {
    throw new Error(`secret ${name} is not set: add ${name}=... to ${secretsFile} (mode 0600) or the environment`);
  }
  return value;
}
