// How hard gpg stretches a symmetric passphrase into each file's key (its S2K count).
//
// gpg derives a fresh key from the passphrase for every file it encrypts (a volume, the
// signatures, the manifest: three per backup), with the iteration count gpg-agent calibrates,
// up to 65M hashed bytes: 0.2-0.3 s of CPU each on the machines we measured, ~30 % of a small
// container's whole backup. Stretching exists to slow down guessing a passphrase a person made
// up. A secret drawn from 256 random bits cannot be guessed however cheap each guess is, so
// stretching it adds cost and no protection.
//
// `auto` (what templates/policy.yaml sets, next to the passphrase scripts/provision generates)
// uses gpg's lowest standard count only for a passphrase with the exact shape of 32 bytes in
// base64, as `head -c 32 /dev/urandom | base64` and `openssl rand -base64 32` print it, and the
// mix of characters random output has. The shape is the test; the character checks only turn
// away the obvious human-made strings of that shape, they cannot tell a made-up string that
// imitates random output: so `auto` is opt-in, and `full` (gpg's own count for every passphrase)
// is what a policy without the setting gets. Either way the count is stored in each file, so a
// restore (ours, or plain duplicity and gpg) needs only the passphrase.

// The count `auto` uses for a random secret: gpg-agent's floor, the lowest it ever picks itself.
export const RANDOM_SECRET_S2K_COUNT = 65536;

// The policy's choice for a symmetric passphrase.
export type KeyStretching = 'auto' | 'full';

// 32 bytes in base64: 42 characters, a 43rd that carries only 4 bits (its low 2 bits are 0), one `=`.
const BASE64_OF_32_BYTES = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
// Checks random output passes (all but ~1.3 % of it: those get gpg's full count) and strings
// made of words or patterns mostly do not.
const MIN_DISTINCT = 22;
const MAX_RUN_OF_ONE_CLASS = 8;

// Whether `passphrase` has the shape of 256 random bits in base64 (see above). Errs towards "no".
export function looksLikeRandomSecret(passphrase: string): boolean {
  if (!BASE64_OF_32_BYTES.test(passphrase)) return false;
  const body = passphrase.slice(0, -1);
  if (!/[A-Z]/.test(body) || !/[a-z]/.test(body)) return false;
  return new Set(body).size >= MIN_DISTINCT && longestRunOfOneClass(body) <= MAX_RUN_OF_ONE_CLASS;
}

// The longest stretch of neighbouring characters of one class (upper, lower, digit, other):
// words make long runs of lower case, random base64 rarely does.
function longestRunOfOneClass(text: string): number {
  const classOf = (ch: string): number => (/[A-Z]/.test(ch) ? 0 : /[a-z]/.test(ch) ? 1 : /[0-9]/.test(ch) ? 2 : 3);
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    run = i > 0 && classOf(text[i - 1] ?? '') === classOf(text[i] ?? '') ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest;
}

// gpg's options for `stretching` of `passphrase`: the low count for a random secret under
// `auto`, else none (gpg's calibrated count).
export function stretchingGpgOptions(stretching: KeyStretching, passphrase: string): string[] {
  return stretching === 'auto' && looksLikeRandomSecret(passphrase) ? [`--s2k-count=${RANDOM_SECRET_S2K_COUNT}`] : [];
}
