// File names derived from a container's name, kept within the 255-byte limit of one name.
import { createHash } from 'node:crypto';

// Linux NAME_MAX: longer names fail with ENAMETOOLONG.
const NAME_MAX = 255;

// `NAME + suffix`, or for a name too long for that, `hashed/SHA256(NAME) + suffix`. The
// subdirectory keeps the two forms apart: no container name contains a slash, so a hashed
// path can never be another container's plain one.
export function containerFileName(name: string, suffix: string): string {
  const plain = `${name}${suffix}`;
  if (Buffer.byteLength(plain) <= NAME_MAX) return plain;
  return `hashed/${createHash('sha256').update(name).digest('hex')}${suffix}`;
}
