import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordOutcome, recordStart } from '../../../agent/daemon/state.js';
import { createStateWriter, loadState } from '../../../agent/daemon/state-store.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('state');
});
afterEach(async () => {
  await removeDir(dir);
});

describe('state store', () => {
  it('starts empty without a file and round-trips what it wrote', async () => {
    expect((await loadState(dir)).state).toEqual({ version: 1, containers: {} });
    const writer = createStateWriter(dir);
    const state = { version: 1 as const, containers: { web: { last_success: '2030-01-01T00:00:00.000Z', bytes: 5 } } };
    await Promise.all([writer.write({ version: 1, containers: {} }), writer.write(state)]);
    expect((await loadState(dir)).state).toEqual(state);
    expect((await stat(join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it.each([
    ['garbage', 'not json {'],
    ['wrong shape', '{"version": 2, "containers": []}'],
  ])('sets a %s file aside and rebuilds', async (_, text) => {
    await writeFile(join(dir, 'state.json'), text);
    const loaded = await loadState(dir, new Date('2030-01-02T03:04:05.678Z'));
    expect(loaded.state).toEqual({ version: 1, containers: {} });
    expect(loaded.setAside).toBe(join(dir, 'state.json.corrupt-2030-01-02T03-04-05-678Z'));
    expect(loaded.problem).toMatch(/^expected/);
    expect(await readFile(loaded.setAside!, 'utf8')).toBe(text);
    expect(await readdir(dir)).not.toContain('state.json');
  });
});

describe('state records', () => {
  const at = new Date('2030-01-01T00:00:00.000Z');
  it('records success, failure and interruption', () => {
    let record = recordStart({}, 'backup', at);
    expect(record.last_attempt).toBe(at.toISOString());
    record = recordOutcome(record, 'backup', { ok: false, durationMs: 3, failure: { kind: 'transient', message: 'net down' } }, at, false);
    expect(record).toMatchObject({ last_failure: at.toISOString(), last_error: 'net down' });
    record = recordOutcome(record, 'backup', { ok: true, durationMs: 7, bytes: 99, chain: { chains: 1, setsInActiveChain: 2 } }, at, false);
    expect(record).toMatchObject({ last_success: at.toISOString(), last_error: null, bytes: 99, duration_ms: 7, chain: { chains: 1 } });
    expect(recordOutcome(record, 'backup', { ok: false, durationMs: 1 }, at, true)).toMatchObject({ interrupted: true, last_error: null });
    expect(
      recordOutcome(record, 'prune', { ok: false, durationMs: 1, failure: { kind: 'permanent', message: 'x' } }, at, false).last_error,
    ).toBe('prune: x');
  });
});
