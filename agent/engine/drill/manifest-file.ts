// The drill manifest a backup writes into its metadata directory (drill-manifest.json), and
// reading it back from a restore: what the tree looked like at backup time.
import { readFile, stat } from 'node:fs/promises';
import * as z from 'zod';

// Its name in the metadata directory.
export const MANIFEST_FILE = 'drill-manifest.json';
// Larger than any manifest we write (10,000 samples of at most 4 KiB paths, base64): read no further.
const MAX_BYTES = 64 * 1024 * 1024;

const count = z.number().int().min(0);
const sampleSchema = z.strictObject({
  // The path's bytes in base64 (Linux names are bytes, not UTF-8), relative to the container directory.
  path: z.string(),
  size: count,
  mode: count,
  uid: count,
  gid: count,
  // Whole seconds since the epoch.
  mtime: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
const manifestSchema = z.strictObject({
  version: z.literal(1),
  // What picked the sample (sample-pick.ts), and when the walk ran.
  seed: z.string(),
  created: z.string(),
  totals: z.strictObject({ entries: count, bytes: count, digest: z.string().regex(/^[0-9a-f]{64}$/) }),
  // Set when the totals may count entries the backup does not hold (an exclude pattern the walk
  // cannot apply exactly): why, naming the patterns. A drill then does not compare them.
  totals_unchecked: z.string().optional(),
  // Regular files walked, and picked files left out (changed or vanished before they were hashed).
  files: count,
  left_out: count,
  // Picked files not hashed because the sample had reached its byte budget (SAMPLE_BYTES).
  over_budget: count,
  sample: z.array(sampleSchema),
});

// One sampled file as recorded.
export type SampledFile = z.infer<typeof sampleSchema>;
// The whole manifest.
export type DrillManifest = z.infer<typeof manifestSchema>;

// Reads and validates the manifest at `path`; throws a one-line error saying what was wrong.
export async function readManifest(path: string): Promise<DrillManifest> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new Error(`${path}: no drill manifest in this backup (made before drills existed?)`);
  if (info.size > MAX_BYTES) throw new Error(`${path}: expected a drill manifest under ${MAX_BYTES} bytes, found ${info.size}`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new Error(`${path}: expected a JSON drill manifest, found something else`);
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${path}: not a drill manifest: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}
