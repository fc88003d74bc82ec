// The durable "job started" record: written before duplicity, gone after; what is left is
// found at the next start, and records that are not ours are skipped.
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findUnfinishedJobs, markRunning } from '../../../agent/engine/running-jobs.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

let state: string;
beforeEach(async () => {
  state = await makeTempDir('running-jobs');
});
afterEach(async () => removeDir(state));

const ctx = (name: string) => ({ policy: { state_dir: state }, layout: { name } }) as never;

describe('running-jobs', () => {
  it('records a job until it ends, and finds the one that never ended', async () => {
    const ended = await markRunning(ctx('web'), 'backup');
    const killed = await markRunning(ctx('db'), 'backup');
    expect((await findUnfinishedJobs(state)).map((job) => job.name)).toEqual(['db', 'web']);
    await ended();
    const left = await findUnfinishedJobs(state);
    expect(left).toEqual([{ name: 'db', action: 'backup', started: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    await killed();
    expect(await readdir(join(state, 'running'))).toEqual([]);
  });

  it('keeps the record of a 255-character name (hashed file name) and finds it', async () => {
    const name = 'n'.repeat(255);
    const ended = await markRunning(ctx(name), 'backup');
    expect((await findUnfinishedJobs(state)).map((job) => job.name)).toEqual([name]);
    await ended();
    expect(await findUnfinishedJobs(state)).toEqual([]);
  });

  it('finds nothing without a running directory', async () => {
    expect(await findUnfinishedJobs(state)).toEqual([]);
  });

  it.each([
    ['not JSON', 'garbage'],
    ['JSON without the fields', '{"name": 3}'],
    ['a huge file', `{"name":"x","action":"backup","started":"${'9'.repeat(100_000)}"}`],
  ])('skips a record that is %s', async (_label, content) => {
    await mkdir(join(state, 'running'), { recursive: true });
    await writeFile(join(state, 'running', 'x.json'), content);
    expect(await findUnfinishedJobs(state)).toEqual([]);
  });

  it('never reads through a symlink', async () => {
    await mkdir(join(state, 'running'), { recursive: true });
    await writeFile(join(state, 'elsewhere.json'), '{"name":"x","action":"backup","started":"2026-12-01T00:00:00Z"}');
    await symlink(join(state, 'elsewhere.json'), join(state, 'running', 'x.json'));
    expect(await findUnfinishedJobs(state)).toEqual([]);
  });
});
