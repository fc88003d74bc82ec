import { describe, expect, it } from 'vitest';
import { targetEndpoint } from '../../../agent/policy/target-endpoint.js';

const NO_S3 = { s3: {} };

describe('targetEndpoint', () => {
  it.each([
    ['file:///var/backups/lxc/{name}', NO_S3, { kind: 'directory', path: '/var/backups/lxc', key: 'file:///var/backups/lxc' }],
    ['file:///b/{host}/{name}', NO_S3, { kind: 'directory', path: '/b', key: 'file:///b' }],
    ['file:///b/x-{name}/data', NO_S3, { kind: 'directory', path: '/b', key: 'file:///b' }],
    ['file:///backups/web', NO_S3, { kind: 'directory', path: '/backups', key: 'file:///backups' }],
    ['file:///{name}', NO_S3, { kind: 'directory', path: '/', key: 'file:///' }],
    ['sftp://bk@nas:2222//srv/{name}', NO_S3, { kind: 'tcp', host: 'nas', port: 2222, key: 'sftp://nas:2222' }],
    ['sftp://bk@nas.example.org/srv/{name}', NO_S3, { kind: 'tcp', host: 'nas.example.org', port: 22, key: 'sftp://nas.example.org:22' }],
    ['sftp://bk@[::1]:2200/x/{name}', NO_S3, { kind: 'tcp', host: '::1', port: 2200, key: 'sftp://[::1]:2200' }],
    ['s3:///bucket/{name}', NO_S3, { kind: 'tcp', host: 's3.amazonaws.com', port: 443, key: 's3://s3.amazonaws.com:443' }],
    [
      'boto3+s3://b/{name}',
      { s3: { region: 'eu-1' } },
      { kind: 'tcp', host: 's3.eu-1.amazonaws.com', port: 443, key: 's3://s3.eu-1.amazonaws.com:443' },
    ],
    [
      'boto3+s3://b/{name}',
      { s3: { endpoint_url: 'http://127.0.0.1:9000' } },
      { kind: 'tcp', host: '127.0.0.1', port: 9000, key: 's3://127.0.0.1:9000' },
    ],
    [
      's3:///b/{name}',
      { s3: { endpoint_url: 'https://s3.example.org' } },
      { kind: 'tcp', host: 's3.example.org', port: 443, key: 's3://s3.example.org:443' },
    ],
    ['s3:///b/{name}', { s3: { endpoint_url: 'http://minio' } }, { kind: 'tcp', host: 'minio', port: 80, key: 's3://minio:80' }],
    ['b2://keyid@bucket/{name}', NO_S3, { kind: 'tcp', host: 'api.backblazeb2.com', port: 443, key: 'b2://api.backblazeb2.com:443' }],
  ])('%s → what the probe checks', (template, settings, expected) => {
    expect(targetEndpoint(template, settings)).toEqual(expected);
  });

  it('gives every container on one base the same key, and different bases different keys', () => {
    const key = (url: string): string | undefined => targetEndpoint(url, NO_S3)?.key;
    expect(key('file:///a/{name}')).toBe(key('file:///a/{host}/{name}'));
    expect(key('file:///a/{name}')).not.toBe(key('file:///b/{name}'));
    expect(key('sftp://u@nas/a/{name}')).toBe(key('sftp://other@nas:22/b/{name}'));
  });

  it.each([
    ['ftp://host/x', 'an unsupported scheme'],
    ['file://relative/{name}', 'a relative file path'],
    ['sftp://bk@/srv', 'an sftp URL without a host'],
    ['sftp://bk@nas:99999/srv', 'a port out of range'],
    ['sftp://bk@nas:22:33/srv', 'a malformed authority'],
  ])('%s: nothing to probe (%s)', (template) => {
    expect(targetEndpoint(template, NO_S3)).toBeUndefined();
  });
});
