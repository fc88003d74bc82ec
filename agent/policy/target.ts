// Checks duplicity target URLs: supported schemes only, `{name}` and `{host}` as the only
// placeholders, and never a password inside the URL (it would show on duplicity's command line).
import { containerNameProblem } from '../core/container-name.js';

const TARGET_SCHEMES = ['file', 'sftp', 's3', 'boto3+s3', 'b2'] as const;
export type TargetScheme = (typeof TARGET_SCHEMES)[number];

const URL_SHAPE = /^([a-z0-9+]+):\/\/(.*)$/;

// The scheme of a target URL, or undefined for an unsupported one.
export function targetScheme(url: string): TargetScheme | undefined {
  const scheme = URL_SHAPE.exec(url)?.[1];
  return (TARGET_SCHEMES as readonly string[]).includes(scheme ?? '') ? (scheme as TargetScheme) : undefined;
}

// Why a target URL is unusable, phrased "expected …", or undefined when it is fine.
export function targetProblem(url: string): string | undefined {
  const shape = URL_SHAPE.exec(url);
  if (!shape || !targetScheme(url)) {
    return `expected a target URL starting with ${TARGET_SCHEMES.map((s) => `${s}://`).join(', ')}`;
  }
  const placeholders = [...url.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  if (placeholders.some((p) => p !== 'name' && p !== 'host')) return 'expected {name} and {host} as the only placeholders';
  const scheme = shape[1];
  const rest = shape[2] ?? '';
  if (scheme === 'file') {
    return rest.startsWith('/') ? undefined : 'expected file:///absolute/path (three slashes)';
  }
  const authority = rest.split('/')[0] ?? '';
  if (authority.includes('@') && authority.slice(0, authority.lastIndexOf('@')).includes(':')) {
    return 'expected no password in the URL: put it in the secrets file and reference it from credentials.password';
  }
  if ((scheme === 'sftp' || scheme === 'b2') && authority.replace(/^.*@/, '') === '') {
    return `expected ${scheme}://user@host/path`;
  }
  return undefined;
}

// A URL with any password replaced, for messages about rejected targets.
export function redactTarget(url: string): string {
  return url.replace(/^([a-z0-9+]+:\/\/[^/@:]*):[^/@]*@/, '$1:***@');
}

// The target for one container: `{name}` replaced by the container name. Only a valid name
// (core/container-name.ts) goes in as it is; any other is percent-encoded whole, so even a
// name that slipped past discovery cannot add a path segment, a query or a host. Jobs refuse
// invalid names before duplicity runs (engine/job-context.ts); this keeps status and policy show total.
export function expandTarget(url: string, containerName: string): string {
  return url.replaceAll('{name}', pathSegment(containerName));
}

// The target with `{host}` replaced by the host's name (engine/target-owner/identity.ts), kept
// apart from expandTarget because only a job knows the host: status and policy show keep
// `{host}` as written. Two hosts with the same remote prefix thus never share a chain.
export function expandHost(url: string, host: string): string {
  return url.replaceAll('{host}', pathSegment(host));
}

function pathSegment(text: string): string {
  return containerNameProblem(text) ? percentEncodeAll(text) : text;
}

function percentEncodeAll(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9_-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}
