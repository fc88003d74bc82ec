// A restore drill of one container: restore its backup into scratch on the state volume through
// the real restore (engine/restore.ts: the same duplicity run, metadata apply and checks), then
// compare what came back with the manifest the backup recorded, optionally boot it, and remove
// the scratch whatever happened.
import { join } from 'node:path';
import { errorMessage } from '../../core/error-message.js';
import type { JobContext } from '../job-context.js';
import { restoreContainer, type RestoreOptions } from '../restore.js';
import type { BootResult, BootTester } from './boot.js';
import { checkSample, type Mismatch } from './check-sample.js';
import { checkTree } from './check-tree.js';
import { freeBytes, spaceRefusal } from './free-space.js';
import { MANIFEST_FILE, readManifest } from './manifest-file.js';
import { checkTotals, cleanupScratch, localTreeBytes } from './drill-steps.js';
import { DRILL_DIR, drillRoot, makeScratch } from './scratch.js';

// How a drill runs. `restore` is handed to the restore as it is (time, signal, and whatever a
// real restore takes, such as a key), so a drill restores exactly as a user would.
export interface DrillOptions {
  restore?: Omit<RestoreOptions, 'destination' | 'path' | 'force' | 'keepMetadata'>;
  // Read every restored file through, not just the sample.
  full?: boolean;
  // Boot the restored tree (verify.boot), within timeoutS.
  boot?: { tester: BootTester; timeoutS: number };
}

// What a drill found; `failure` says why it is not ok (the first mismatches named).
export interface DrillResult {
  ok: boolean;
  at: string;
  durationMs: number;
  restoreMs: number;
  // Bytes of regular files restored, and per second of restore.
  bytes: number;
  throughput: number;
  sampled: number;
  hashed: number;
  mismatches: number;
  examples: Mismatch[];
  booted?: boolean;
  bootDetail?: string;
  failure?: string;
  // What was not checked, and why (not a failure).
  notes?: string[];
}

const EXAMPLES = 5;

// Drills the container in `ctx`; throws only for a drill that could not start (no space,
// a restore that failed is a failed result).
export async function drillContainer(ctx: JobContext, options: DrillOptions = {}): Promise<DrillResult> {
  const started = Date.now();
  const at = new Date(started).toISOString();
  const root = drillRoot(ctx.policy.state_dir);
  const { dir, relative } = await makeScratch(root, ctx.container.name);
  const result = (fields: Partial<DrillResult>): DrillResult => ({
    ok: false,
    at,
    durationMs: Date.now() - started,
    restoreMs: 0,
    bytes: 0,
    throughput: 0,
    sampled: 0,
    hashed: 0,
    mismatches: 0,
    examples: [],
    ...fields,
  });
  try {
    const refusal = spaceRefusal(root, await freeBytes(dir), await localTreeBytes(ctx.layout.metaDir));
    if (refusal) throw new DrillRefused(refusal);
    const tree = join(dir, 'tree');
    const restoreStarted = Date.now();
    try {
      await restoreContainer(ctx, { ...options.restore, destination: tree, keepMetadata: join(dir, 'meta') });
    } catch (error) {
      return result({ restoreMs: Date.now() - restoreStarted, failure: `restore failed: ${errorMessage(error)}` });
    }
    const restoreMs = Date.now() - restoreStarted;
    const signal = options.restore?.signal;
    const manifest = await readManifest(join(dir, 'meta', MANIFEST_FILE)).catch((error: unknown) => errorMessage(error));
    if (typeof manifest === 'string') return result({ restoreMs, failure: `restored, but cannot check it: ${manifest}` });
    const sampleProblems = await checkSample(tree, manifest.sample, signal);
    const found = await checkTree(tree, { ...(options.full ? { fullList: join(dir, 'files.nul') } : {}), ...(signal ? { signal } : {}) });
    const totals = checkTotals(manifest, found);
    const problems = [...sampleProblems, ...totals.mismatches];
    const boot = options.boot ? await bootOnce(options.boot, `${DRILL_DIR}/${relative}/tree`) : undefined;
    const bytes = manifest.totals.bytes;
    const failure = describeFailure(problems, boot);
    return result({
      ok: failure === undefined,
      restoreMs,
      bytes,
      throughput: restoreMs > 0 ? Math.round((bytes * 1000) / restoreMs) : 0,
      sampled: manifest.sample.length,
      hashed: found.hashed,
      mismatches: problems.length,
      examples: problems.slice(0, EXAMPLES),
      ...(boot ? { booted: boot.booted, bootDetail: boot.detail } : {}),
      ...(failure ? { failure } : {}),
      ...(totals.notes.length > 0 ? { notes: totals.notes } : {}),
    });
  } finally {
    await cleanupScratch(dir);
  }
}

// A drill that did not start (not enough space): nothing was restored.
export class DrillRefused extends Error {
  override name = 'DrillRefused';
}

// The boot test's result; a helper that cannot be reached fails the boot test, saying why.
async function bootOnce(boot: NonNullable<DrillOptions['boot']>, dir: string): Promise<BootResult> {
  const started = Date.now();
  return boot
    .tester(dir, boot.timeoutS)
    .catch((error: unknown) => ({ booted: false, detail: errorMessage(error), durationMs: Date.now() - started }));
}

function describeFailure(problems: readonly Mismatch[], boot: BootResult | undefined): string | undefined {
  const parts: string[] = [];
  if (problems.length > 0) {
    const named = problems.slice(0, 3).map((m) => `${m.path}: ${m.problem}`);
    parts.push(`${problems.length} mismatch(es): ${named.join('; ')}${problems.length > 3 ? '; …' : ''}`);
  }
  if (boot && !boot.booted) parts.push(`boot test failed: ${boot.detail}`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}
