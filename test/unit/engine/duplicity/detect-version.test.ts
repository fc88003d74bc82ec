// duplicity --version is asked once per installed copy, then read from state_dir.
import { chmod, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectDuplicityVersion } from '../../../../agent/engine/duplicity/detect-version.js';
import { makeTempDir, removeDir } from '../../../support/temp.js';

let dir: string;
let savedPath: string | undefined;
beforeEach(async () => {
  dir = await makeTempDir('version');
  // A stand-in duplicity that counts how often it is asked.
  await writeFile(join(dir, 'duplicity'), `#!/bin/sh\necho x >> "${dir}/calls"\necho "duplicity 9.8.7"\n`);
  await chmod(join(dir, 'duplicity'), 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${dir}:${savedPath ?? ''}`;
});
afterEach(async () => {
  process.env.PATH = savedPath;
  await removeDir(dir);
});

// A detection as a new process makes it: nothing remembered in memory, only state_dir.
function freshDetect(stateDir: string) {
  return detectDuplicityVersion(stateDir, {});
}
const calls = async (): Promise<number> => (await readFile(join(dir, 'calls'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

describe('detectDuplicityVersion', () => {
  it('asks once, reuses the answer across processes, and asks again after an upgrade', async () => {
    const state = join(dir, 'state');
    expect(await freshDetect(state)).toMatchObject({ major: 9, minor: 8, patch: 7 });
    expect(await calls()).toBe(1);
    expect(await freshDetect(state)).toMatchObject({ major: 9, minor: 8, patch: 7 });
    expect(await calls()).toBe(1);
    await utimes(join(dir, 'duplicity'), new Date(), new Date(Date.now() + 5000));
    await freshDetect(state);
    expect(await calls()).toBe(2);
  });

  it('asks once per process, however many jobs want the version', async () => {
    const oneProcess = {};
    await Promise.all([detectDuplicityVersion(undefined, oneProcess), detectDuplicityVersion(undefined, oneProcess)]);
    expect(await detectDuplicityVersion(undefined, oneProcess)).toMatchObject({ major: 9, minor: 8, patch: 7 });
    expect(await calls()).toBe(1);
  });
});
