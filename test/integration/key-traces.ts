// The search for traces of a private key after a job that brought it in (pubkey mode): its
// armored text, secret packet bytes and keygrips anywhere under the given directories and
// /dev/shm, its fingerprint under state_dir outside the agent's public keyring, and any
// temporary GnuPG home (`lxc-backup-key-*`) left in /dev/shm, /run or the temp directory.
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesHolding, type TestKeyPair } from '../support/gpg-keys.js';

// Every place a trace of `keys` was found; [] when none.
export async function keyTraces(keys: TestKeyPair, where: { stateDir: string; gnupgHome: string; dirs?: string[] }): Promise<string[]> {
  const needles = [keys.armoredChunk, ...keys.secretChunks, ...keys.keygrips];
  const found: string[] = [];
  for (const dir of [where.stateDir, ...(where.dirs ?? [])]) found.push(...(await filesHolding(dir, needles)));
  // The fingerprint belongs in the agent's public keyring and the policy, nowhere else under state.
  found.push(...(await filesHolding(where.stateDir, [keys.fingerprint])).filter((path) => !path.startsWith(where.gnupgHome)));
  for (const parent of ['/dev/shm', '/run', tmpdir()]) {
    const homes = (await readdir(parent).catch(() => [] as string[])).filter((name) => name.startsWith('lxc-backup-key-'));
    found.push(...homes.map((name) => join(parent, name)));
  }
  found.push(...(await filesHolding('/dev/shm', needles)));
  return found;
}
