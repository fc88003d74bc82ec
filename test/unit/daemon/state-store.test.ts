// state.json on disk: written atomically with mode 0600 and read back; one the agent cannot use,
// whatever kind of file it is, is set aside with a one-line reason instead of crashing the agent.
import { execa } from 'execa';
import { mkdir, readdir, readFile, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStateWriter, loadState } from '../../../agent/daemon/state-store.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('state-store');
});
afterEach(async () => removeDir(dir));

const AT = new Date('2030-01-02T03:04:05.678Z');

describe('loadState with an unusable state.json', () => {
  it.each([
    ['a directory', async (file: string) => mkdir(join(file, 'sub'), { recursive: true }), 'expected a regular file, got a directory'],
    [
      'a symlink to a good file',
      async (file: string) => {
        await writeFile(join(dir, 'elsewhere.json'), '{"version":1,"containers":{}}');
        await symlink(join(dir, 'elsewhere.json'), file);
      },
      'expected a regular file, got a symlink',
    ],
    ['a FIFO', async (file: string) => execa('mkfifo', [file]), 'expected a regular file, got a special file'],
    [
      'larger than any state',
      async (file: string) => {
        await writeFile(file, '');
        await truncate(file, 65 * 1024 * 1024);
      },
      `expected at most ${64 * 1024 * 1024} bytes, got ${65 * 1024 * 1024}`,
    ],
    ['valid JSON of another shape', async (file: string) => writeFile(file, '[1, 2]'), 'expected the state format (version 1), got: '],
  ])('sets aside %s and starts empty', async (_what, plant, problem) => {
    const file = join(dir, 'state.json');
    await plant(file);
    const loaded = await loadState(dir, AT);
    expect(loaded.state).toEqual({ version: 1, containers: {} });
    expect(loaded.problem).toContain(problem);
    expect(loaded.problem).not.toContain('\n');
    expect(loaded.setAside).toBe(`${file}.corrupt-2030-01-02T03-04-05-678Z`);
    expect(await readdir(dir)).toContain('state.json.corrupt-2030-01-02T03-04-05-678Z');
    expect(await readdir(dir)).not.toContain('state.json');
  });
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
