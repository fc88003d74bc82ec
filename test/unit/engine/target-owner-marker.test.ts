// The owner marker's format and the refusal built from it; {host} in target URLs; the identity
// kept in state_dir; the marker on a file:// target never read through a link or whole.
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ownerIdentity } from '../../../agent/engine/target-owner/identity.js';
import { readFileMarker, writeFileMarker } from '../../../agent/engine/target-owner/marker-file.js';
import {
  MARKER_LIMIT,
  MARKER_NAME,
  formatMarker,
  isOwnedBy,
  markerFor,
  parseMarker,
  refusalMessage,
} from '../../../agent/engine/target-owner/marker.js';
import { expandHost, targetProblem } from '../../../agent/policy/target.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

const identity = { id: 'id-1', host: 'host-a', backup_container: 'lxc-backup', created: '2026-01-01T00:00:00.000Z' };

describe('the marker', () => {
  it('round-trips and names its owner', () => {
    const marker = markerFor(identity, 'web');
    const parsed = parseMarker(formatMarker(marker));
    expect(parsed).toEqual(marker);
    expect(isOwnedBy(marker, identity)).toBe(true);
    expect(isOwnedBy(marker, { ...identity, id: 'id-2' })).toBe(false);
    expect(formatMarker(marker)).not.toMatch(/pass|secret/i);
  });

  it('keeps a previous owner', () => {
    const previous = markerFor({ ...identity, id: 'old', host: 'host-z' }, 'web');
    expect(parseMarker(formatMarker(markerFor(identity, 'web', { previous })))).toMatchObject({ previous: { host: 'host-z' } });
  });

  it.each([
    ['not JSON', '{', 'expected JSON'],
    ['an array', '[]', 'expected a JSON object'],
    ['null', 'null', 'expected a JSON object'],
    ['no owner_id', JSON.stringify({ host: 'h', backup_container: 'b', container: 'c', created: 'x' }), 'expected "owner_id"'],
    ['a number host', JSON.stringify({ owner_id: 'i', host: 1, backup_container: 'b', container: 'c', created: 'x' }), 'got number'],
    ['too big', `"${'x'.repeat(MARKER_LIMIT)}"`, `expected at most ${MARKER_LIMIT} bytes`],
  ])('refuses %s', (_what, text, says) => {
    const parsed = parseMarker(text);
    expect('problem' in parsed && parsed.problem).toContain(says);
  });

  it('builds a refusal that names the owner (escaped) and the way out', () => {
    const other = markerFor({ ...identity, id: 'x', host: 'evil\u001b[2J' }, 'web');
    const message = refusalMessage('file:///b/web', 'web', other);
    expect(message).toContain('target file:///b/web belongs to evil\\x1b[2J/lxc-backup (created ');
    expect(message).toContain('run `lxc-backup adopt web`');
    expect(refusalMessage('s3:///b/web', 'web', { problem: 'expected JSON' })).toContain(
      `has an unreadable ${MARKER_NAME} (expected JSON)`,
    );
  });
});

describe('{host} in targets', () => {
  it.each([
    ['s3:///bucket/{host}/{name}', 'pve1', 's3:///bucket/pve1/{name}'],
    ['file:///b/{name}', 'pve1', 'file:///b/{name}'],
    ['s3:///bucket/{host}/{name}', 'a/b?c', 's3:///bucket/a%2Fb%3Fc/{name}'],
  ])('%s with host %s', (url, host, expected) => {
    expect(expandHost(url, host)).toBe(expected);
  });

  it('is an allowed placeholder', () => {
    expect(targetProblem('s3:///bucket/{host}/{name}')).toBeUndefined();
    expect(targetProblem('s3:///bucket/{date}/{name}')).toContain('expected {name} and {host}');
  });
});

describe('on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('owner-unit');
  });
  afterEach(async () => removeDir(dir));

  it('keeps one identity per state_dir, with the host from LXC_BACKUP_HOST', async () => {
    const sources = { env: { LXC_BACKUP_HOST: 'pve1' }, hostFile: join(dir, 'none'), machineIdFile: join(dir, 'none') };
    const [first, again] = await Promise.all([ownerIdentity(join(dir, 'state'), sources), ownerIdentity(join(dir, 'state'), sources)]);
    expect(first).toEqual(again);
    expect(first.host).toBe('pve1');
    expect(await ownerIdentity(join(dir, 'state'), { ...sources, env: { LXC_BACKUP_HOST: 'other' } })).toEqual(first);
    expect((await ownerIdentity(join(dir, 'state2'), sources)).id).not.toBe(first.id);
  });

  it('skips a host name that is not a safe path segment', async () => {
    const hostFile = join(dir, 'host');
    await writeFile(hostFile, 'pve-from-provision\n');
    const identity = await ownerIdentity(join(dir, 'state'), { env: { LXC_BACKUP_HOST: '../x' }, hostFile });
    expect(identity.host).toBe('pve-from-provision');
  });

  it('reads an absent target as empty and writes the marker whole', async () => {
    const target = join(dir, 'target', 'web');
    expect(await readFileMarker(target)).toEqual({ text: undefined, otherFiles: false });
    await writeFileMarker(target, formatMarker(markerFor(identity, 'web')));
    expect(await readFileMarker(target)).toMatchObject({ otherFiles: false });
    await writeFile(join(target, 'duplicity-full.x.manifest.gpg'), '');
    const state = await readFileMarker(target);
    expect(state.otherFiles).toBe(true);
    expect(parseMarker(state.text ?? '')).toMatchObject({ owner_id: 'id-1' });
  });

  it('never reads a marker through a symlink, and never whole when oversized', async () => {
    const target = join(dir, 'target');
    await mkdir(target);
    await writeFile(join(dir, 'elsewhere'), formatMarker(markerFor(identity, 'web')));
    await symlink(join(dir, 'elsewhere'), join(target, MARKER_NAME));
    await expect(readFileMarker(target)).rejects.toThrow(/expected a regular file, got ELOOP/);
    const big = join(dir, 'big');
    await mkdir(big);
    await writeFile(join(big, MARKER_NAME), 'x'.repeat(10 * MARKER_LIMIT));
    const text = (await readFileMarker(big)).text ?? '';
    expect(text.length).toBe(MARKER_LIMIT + 1);
    expect(parseMarker(text)).toHaveProperty('problem');
    expect(await readFile(join(dir, 'elsewhere'), 'utf8')).toContain('id-1');
  });
});
