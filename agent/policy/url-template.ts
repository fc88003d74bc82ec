// Notification URL templates: `{name}` is the container, `${NAME}` a secret that is
// expanded only when a request is sent, so the expanded URL never reaches a log or the state.

const SECRET_IN_TEXT = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

// The secret names a URL template references, in order of appearance.
export function urlSecretNames(template: string): string[] {
  return [...template.matchAll(SECRET_IN_TEXT)].flatMap((match) => match[1] ?? []);
}

// Why a URL template is unusable, phrased "expected …", or undefined when it is fine.
export function urlTemplateProblem(template: string): string | undefined {
  const plain = template.replace(SECRET_IN_TEXT, 'secret').replaceAll('{name}', 'name');
  if (/[${}]/.test(plain)) return 'expected an http(s) URL with only {name} and ${NAME} secret references as placeholders';
  let url: URL;
  try {
    url = new URL(plain);
  } catch {
    return 'expected an http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'expected an http:// or https:// URL';
  return undefined;
}

// The URL to send to: `{name}` URL-encoded, each `${NAME}` replaced by `secret(NAME)` as written.
export function expandUrl(template: string, container: string, secret: (name: string) => string): string {
  return template.replaceAll('{name}', encodeURIComponent(container)).replace(SECRET_IN_TEXT, (_, name: string) => secret(name));
}

// What logs and reports may show of a URL: scheme, host and port only (a path may hold a ping token).
export function displayUrl(template: string): string {
  const match = /^(https?:\/\/[^/?#]*)/.exec(template);
  const origin = (match?.[1] ?? 'url').replace(/\/\/[^@/]*@/, '//');
  return `${origin.replace(SECRET_IN_TEXT, '***')}/…`;
}
