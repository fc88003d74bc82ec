// What "the target" is when the agent asks whether it answers (pure): the thing a probe checks,
// shared by every container whose target URL leads there. For file:// it is the directory up to
// the first `{name}`/`{host}` segment (duplicity creates the rest); for sftp the SSH server; for
// s3 and b2 the HTTPS endpoint. Containers with the same endpoint park together: one dead S3
// endpoint or NAS is one outage, probed once, not once per container.
import type { Settings } from './schema.js';
import { targetScheme } from './target.js';

// A directory that must exist and be writable, or a server that must accept a TCP connection.
export type TargetEndpoint = { kind: 'directory'; path: string; key: string } | { kind: 'tcp'; host: string; port: number; key: string };

const B2_API_HOST = 'api.backblazeb2.com';

// The endpoint of a container's target; `template` is the target as written (with `{name}`),
// undefined for a URL no probe can make sense of (targetProblem rejects those earlier).
export function targetEndpoint(template: string, settings: Pick<Settings, 's3'>): TargetEndpoint | undefined {
  const scheme = targetScheme(template);
  const rest = template.replace(/^[a-z0-9+]+:\/\//, '');
  if (scheme === 'file') return directoryEndpoint(rest);
  if (scheme === 'sftp') return serverEndpoint('sftp', authorityOf(rest), 22);
  if (scheme === 'b2') return tcp('b2', B2_API_HOST, 443);
  if (scheme === 's3' || scheme === 'boto3+s3') {
    const endpoint = settings.s3.endpoint_url;
    if (endpoint) {
      const url = new URL(endpoint);
      return tcp('s3', url.hostname.replace(/^\[|\]$/g, ''), Number(url.port) || (url.protocol === 'http:' ? 80 : 443));
    }
    const region = settings.s3.region;
    return tcp('s3', region ? `s3.${region}.amazonaws.com` : 's3.amazonaws.com', 443);
  }
  return undefined;
}

// The fixed part of a file:// path: whole segments before the first placeholder, or the parent
// directory when there is none (a target written for one container).
function directoryEndpoint(path: string): TargetEndpoint | undefined {
  if (!path.startsWith('/')) return undefined;
  const segments = path.split('/').filter((segment) => segment !== '');
  const firstPlaceholder = segments.findIndex((segment) => segment.includes('{'));
  const fixed = firstPlaceholder === -1 ? segments.slice(0, -1) : segments.slice(0, firstPlaceholder);
  const dir = `/${fixed.join('/')}`;
  return { kind: 'directory', path: dir, key: `file://${dir}` };
}

// `user@host:port` (host may be `[v6]`) → host and port.
function serverEndpoint(scheme: string, authority: string, defaultPort: number): TargetEndpoint | undefined {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const shape = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(hostPort);
  if (!shape) return undefined;
  const host = shape[1] ?? shape[2] ?? '';
  const port = shape[3] === undefined ? defaultPort : Number(shape[3]);
  return port >= 1 && port <= 65_535 ? tcp(scheme, host, port) : undefined;
}

function authorityOf(rest: string): string {
  return rest.split('/')[0] ?? '';
}

function tcp(scheme: string, host: string, port: number): TargetEndpoint {
  const shown = host.includes(':') ? `[${host}]` : host;
  return { kind: 'tcp', host, port, key: `${scheme}://${shown}:${port}` };
}
