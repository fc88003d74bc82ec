// Test fixtures for pubkey mode: a real Ed25519/Cv25519 key pair made with gpg in a throwaway
// home, and the bytes to search for when checking that no trace of the private key is left.
import { readdir, readFile, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export interface TestKeyPair {
  fingerprint: string;
  publicKey: string;
  secretKey: string;
  // Chunks that appear only where the secret key is: a line of the armored text, and the end
  // of each secret key packet's secret value (raw bytes, also searched as hex).
  armoredChunk: string;
  secretChunks: Buffer[];
  // The key as `gpg --dearmor` gives it, and the keygrips gpg names its private key files by.
  secretBinary: Buffer;
  keygrips: string[];
}

// Generates a key pair in `home` (an empty directory); `passphrase` '' leaves the key unprotected.
export async function generateKeyPair(home: string, passphrase = ''): Promise<TestKeyPair> {
  const gpg = (args: string[], input?: string) =>
    execa('gpg', ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', '--passphrase', passphrase, ...args], {
      ...(input !== undefined ? { input } : {}),
    });
  await gpg(['--quick-generate-key', 'lxc-backup test <pubkey-test@example.invalid>', 'ed25519', 'sign', 'never']);
  const listing = (await gpg(['--with-colons', '--list-keys'])).stdout;
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listing)?.[1];
  if (!fingerprint) throw new Error(`no fingerprint in:\n${listing}`);
  await gpg(['--quick-add-key', fingerprint, 'cv25519', 'encr', 'never']);
  const publicKey = (await gpg(['--armor', '--export', fingerprint])).stdout;
  const secretKey = (await gpg(['--armor', '--export-secret-keys', fingerprint])).stdout;
  const binary = (await execa('gpg', ['--homedir', home, '--batch', '--dearmor'], { input: secretKey, encoding: 'buffer' })).stdout;
  const keygrips = [
    ...(await gpg(['--with-colons', '--with-keygrip', '--list-secret-keys'])).stdout.matchAll(/^grp:+([0-9A-F]{40}):/gm),
  ].map((match) => match[1] ?? '');
  const lines = secretKey.split('\n').filter((line) => /^[A-Za-z0-9+/]{64}$/.test(line));
  const armoredChunk = lines[Math.floor(lines.length / 2)] ?? '';
  const secretBinary = Buffer.from(binary);
  return { fingerprint, publicKey, secretKey, armoredChunk, secretChunks: secretPacketTails(secretBinary), secretBinary, keygrips };
}

// The last 20 bytes before the 2-byte checksum of every secret (sub)key packet (tags 5 and 7):
// inside the secret value, whether protected or not.
export function secretPacketTails(data: Buffer): Buffer[] {
  const tails: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const head = data[at] ?? 0;
    let tag: number;
    let length: number;
    let body: number;
    if (head & 0x40) {
      tag = head & 0x3f;
      const first = data[at + 1] ?? 0;
      if (first < 192) [length, body] = [first, at + 2];
      else if (first < 224) [length, body] = [((first - 192) << 8) + (data[at + 2] ?? 0) + 192, at + 3];
      else [length, body] = [data.readUInt32BE(at + 2), at + 6];
    } else {
      tag = (head >> 2) & 0x0f;
      const kind = head & 3;
      if (kind === 0) [length, body] = [data[at + 1] ?? 0, at + 2];
      else if (kind === 1) [length, body] = [data.readUInt16BE(at + 1), at + 3];
      else [length, body] = [data.readUInt32BE(at + 1), at + 5];
    }
    if (tag === 5 || tag === 7) tails.push(Buffer.from(data.subarray(body + length - 22, body + length - 2)));
    at = body + length;
  }
  return tails;
}

// Files under `dir` (not following links, at most `maxBytes` each) that hold any of `needles`,
// or whose name holds a string needle (gpg names a private key file by its keygrip); each
// Buffer needle is also looked for as lower- and upper-case hex.
export async function filesHolding(dir: string, needles: Array<string | Buffer>, maxBytes = 64 * 1024 * 1024): Promise<string[]> {
  const patterns = needles.flatMap((needle) =>
    typeof needle === 'string'
      ? [Buffer.from(needle)]
      : [needle, Buffer.from(needle.toString('hex')), Buffer.from(needle.toString('hex').toUpperCase())],
  );
  const found: string[] = [];
  const walk = async (path: string): Promise<void> => {
    const info = await lstat(path).catch(() => undefined);
    if (!info) return;
    const name = path.split('/').at(-1) ?? '';
    if (needles.some((needle) => typeof needle === 'string' && name.includes(needle))) found.push(path);
    else if (info.isDirectory()) {
      for (const name of await readdir(path).catch(() => [] as string[])) await walk(join(path, name));
    } else if (info.isFile() && info.size <= maxBytes) {
      const data = await readFile(path).catch(() => Buffer.alloc(0));
      if (patterns.some((pattern) => data.includes(pattern))) found.push(path);
    }
  };
  await walk(dir);
  return found;
}
