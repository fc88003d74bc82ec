// The few gpg calls the key handling makes: import, list secret keys, tell a protected key.
// Key material only ever goes to gpg over stdin, never in argv.
import { spawnProcess } from '../process/spawn.js';

const GPG_TIMEOUT_MS = 60_000;

async function gpg(home: string, args: string[], input?: Buffer | string): Promise<string> {
  const result = await spawnProcess('gpg', ['--homedir', home, '--batch', '--no-tty', ...args], {
    timeoutMs: GPG_TIMEOUT_MS,
    graceMs: 2_000,
    env: { LC_ALL: 'C.UTF-8' },
    ...(input !== undefined ? { input } : {}),
  });
  if (result.startError) throw new Error(`cannot start gpg: ${result.startError} (is gnupg installed?)`);
  if (result.exitCode !== 0) {
    const last = result.stderr.trim().split('\n').at(-1) ?? '';
    throw new Error(`gpg ${args[0] ?? ''} in ${home} exited ${String(result.exitCode ?? result.signal)}: ${last}`);
  }
  return result.stdout;
}

// Imports `key` (armored or binary, public or secret) into the home. A protected secret key is
// imported as it is: gpg asks for no passphrase to import.
export async function importKey(home: string, key: Buffer | string): Promise<void> {
  await gpg(home, ['--pinentry-mode', 'loopback', '--import'], key);
}

// The public keys of `home`, armored (what a temporary home needs to check signatures).
export async function exportPublicKeys(home: string): Promise<string> {
  return gpg(home, ['--armor', '--export']);
}

// Fingerprints of the secret keys and subkeys in `home` whose secret part is there
// (a stub — `#` in field 15 — is not).
export async function secretFingerprints(home: string): Promise<string[]> {
  const out = await gpg(home, ['--with-colons', '--with-fingerprint', '--with-fingerprint', '--list-secret-keys']);
  const fingerprints: string[] = [];
  let usable = false;
  for (const line of out.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === 'sec' || fields[0] === 'ssb') usable = fields[14] !== '#' && !(fields[14] ?? '').startsWith('#');
    else if (fields[0] === 'fpr' && usable && fields[9]) fingerprints.push(fields[9]);
  }
  return fingerprints;
}

// Whether the secret key in `key` is passphrase-protected (its packets carry an S2K).
export async function isProtectedKey(home: string, key: Buffer | string): Promise<boolean> {
  const out = await gpg(home, ['--list-packets'], key);
  return /\bprotected\]|iter\+salt S2K|\bprotect count\b/.test(out);
}

// Whether `home` holds the secret part of one of `keyIds` (ids or fingerprints, as the policy names them).
export async function holdsSecretKeyFor(home: string, keyIds: readonly string[]): Promise<boolean> {
  const fingerprints = await secretFingerprints(home).catch(() => [] as string[]);
  return keyIds.some((id) => {
    const clean = id.replace(/^0x/i, '').toUpperCase();
    return fingerprints.some((fpr) => fpr.toUpperCase().endsWith(clean));
  });
}

// Stops the gpg-agent of `home` (it holds the unlocked key in memory) and removes its sockets.
export async function stopAgent(home: string): Promise<void> {
  for (const args of [['--kill', 'all'], ['--remove-socketdir']]) {
    await spawnProcess('gpgconf', ['--homedir', home, ...args], { timeoutMs: 10_000, graceMs: 1_000 });
  }
}
