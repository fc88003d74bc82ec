// A private key brought in for one job (a restore, a drill): imported into a temporary GnuPG
// home on a tmpfs, used, and wiped when the job ends, failed or not, and on exit or a signal.
// The key reaches gpg over stdin only; it never touches state_dir, argv, logs or metadata.
import { errorMessage } from '../../core/error-message.js';
import { exportPublicKeys, importKey, isProtectedKey, secretFingerprints, stopAgent } from './gpg-key.js';
import { keyHomeParent, makeKeyHome, sweepStaleKeyHomes, wipeKeyHome } from './key-home.js';

export interface TemporaryKeyOptions {
  // The private key (armored or binary), as read from --key FILE or stdin; `source` names it in messages.
  key: Buffer;
  source: string;
  // From --key-passphrase-file; otherwise `askPassphrase` is asked when the key is protected.
  passphrase?: string;
  askPassphrase?: () => Promise<string>;
  // The agent's GnuPG home: its public keys are copied in (a signed backup is checked against them).
  publicKeysFrom?: string;
  // Where a tmpfs is looked for (tests); default /dev/shm, then /run.
  tmpfsCandidates?: string[];
}

export interface TemporaryKey {
  gnupgHome: string;
  fingerprints: string[];
  // For duplicity's PASSPHRASE; undefined for a key without one.
  passphrase?: string;
}

// A key that cannot be used, with a one-line reason.
export class KeyError extends Error {
  override name = 'KeyError';
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

// Runs `fn` with the key in a temporary GnuPG home; the home is wiped whatever `fn` does.
export async function withTemporaryKey<T>(options: TemporaryKeyOptions, fn: (key: TemporaryKey) => Promise<T>): Promise<T> {
  const parent = keyHomeParent(options.tmpfsCandidates);
  sweepStaleKeyHomes(parent);
  const home = makeKeyHome(parent);
  let wiped = false;
  const wipe = (): void => {
    if (wiped) return;
    wiped = true;
    wipeKeyHome(home);
  };
  // A signal ends the process before `finally` runs: wipe first, then let it end as it would have.
  const onSignal = (signal: NodeJS.Signals): void => {
    wipe();
    release();
    process.kill(process.pid, signal);
  };
  const release = (): void => {
    process.off('exit', wipe);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  process.on('exit', wipe);
  // Only where nobody else handles the signal (the CLI): the agent's own shutdown ends jobs cleanly.
  for (const signal of SIGNALS) if (process.listenerCount(signal) === 0) process.on(signal, onSignal);
  try {
    const key = await prepare(home, options);
    return await fn(key);
  } finally {
    await stopAgent(home).catch(() => undefined);
    wipe();
    release();
  }
}

async function prepare(home: string, options: TemporaryKeyOptions): Promise<TemporaryKey> {
  try {
    await importKey(home, options.key);
  } catch (error) {
    throw new KeyError(`cannot import the key from ${options.source}: ${errorMessage(error)}`);
  }
  const fingerprints = await secretFingerprints(home);
  if (fingerprints.length === 0) {
    throw new KeyError(`${options.source} holds no private key (expected an exported secret key: gpg --armor --export-secret-keys KEYID)`);
  }
  if (options.publicKeysFrom) {
    const publicKeys = await exportPublicKeys(options.publicKeysFrom).catch(() => '');
    if (publicKeys) await importKey(home, publicKeys);
  }
  let passphrase = options.passphrase;
  if (passphrase === undefined && (await isProtectedKey(home, options.key))) {
    if (!options.askPassphrase) {
      throw new KeyError(
        `the key in ${options.source} is passphrase-protected: pass --key-passphrase-file FILE, or run on a terminal to be asked`,
      );
    }
    passphrase = await options.askPassphrase();
  }
  return { gnupgHome: home, fingerprints, ...(passphrase !== undefined ? { passphrase } : {}) };
}
