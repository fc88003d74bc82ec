// Deterministic content for the workload (pure): a seeded PRNG and generators of text-like
// (compressible) and random (incompressible) bytes, so every run backs up the same data.

// mulberry32: small, fast, and the same sequence on every machine for a seed.
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A stable 32-bit seed from a string (FNV-1a), so "c03/rep2" always seeds the same way.
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

const WORDS =
  'backup container duplicity chain volume signature manifest restore policy schedule retention agent host rootfs config kernel systemd network socket journal error warning info debug request response'.split(
    ' ',
  );

// Log-like text of about `size` bytes: compresses roughly like real logs and configs.
export function textBytes(random: () => number, size: number): Buffer {
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const words = 4 + Math.floor(random() * 10);
    let line = `${Math.floor(random() * 1e9)} `;
    for (let i = 0; i < words; i++) line += `${WORDS[Math.floor(random() * WORDS.length)]} `;
    line += '\n';
    parts.push(line);
    length += line.length;
  }
  return Buffer.from(parts.join('')).subarray(0, size);
}

// Incompressible bytes (like media or already-compressed archives).
export function randomBytes(random: () => number, size: number): Buffer {
  const buffer = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) buffer.writeUInt32LE(Math.floor(random() * 4294967296), i);
  for (let i = size - (size % 4); i < size; i++) buffer[i] = Math.floor(random() * 256);
  return buffer;
}
