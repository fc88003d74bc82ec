// Scenarios 1–3: full cycle, incremental cycle after the fixed change pattern, and the
// agent's own cost at equal settings (concurrency 1, duplicity's default compression and
// priority) — each repetition runs the loop and the lxc-backup setups back to back on the
// same data. A fourth setup (shipped policy at the loop's priority) shows what nice 19 costs
// when other work shares the machine.
import { join } from 'node:path';
import { prepareLoop, prepareProduct, resetProduct, runLoop, runProduct, type Product } from './contenders.js';
import { applyChange } from './workload.js';
import { flushWrites, loadAverage, timed } from './run.js';

// Seconds of each contender: full runs one per repetition, incremental runs one per round
// (repetitions × incremental rounds); the same index is the same back-to-back group.
export interface CycleSamples {
  loopFull: number[];
  productFull: number[];
  equalFull: number[];
  // The shipped policy with duplicity at the loop's priority (nice 0, no ionice).
  samePriorityFull: number[];
  loopIncremental: number[];
  productIncremental: number[];
  equalIncremental: number[];
  samePriorityIncremental: number[];
  load: number[];
}

export interface CycleOptions {
  repo: string;
  work: string;
  // The workload's real path: the loop backs up from it and the change pattern writes there.
  hostRoot: string;
  // Where lxc-backup's policies see the same containers (host-view.ts).
  productHostRoot: string;
  names: readonly string[];
  repetitions: number;
  // Also run the shipped policy at the loop's priority (skipped by --quick to stay short).
  priorityVariant: boolean;
  // Change + incremental rounds after each full cycle. An incremental round is short (4-10 s
  // a contender), so other work on a shared machine moves its ratio by several per cent;
  // more rounds make the median steadier at little cost.
  incrementalRounds: number;
  log: (line: string) => void;
}

// Reads every file once so the first contender does not pay for the disk and the others not.
export async function warmPageCache(hostRoot: string): Promise<void> {
  await timed('find', [hostRoot, '-type', 'f', '-exec', 'cat', '{}', '+'], { stdout: 'ignore' });
}

// Runs the repetitions; leaves the default product's backups (full + incremental) in place.
export async function runCycles(options: CycleOptions): Promise<{ samples: CycleSamples; product: Product }> {
  const { repo, work, hostRoot, productHostRoot, names, log } = options;
  const product = await prepareProduct(repo, join(work, 'product'), productHostRoot);
  // The loop runs duplicity at nice 0 without ionice: equal settings include that.
  const loopPriority = { nice: 0, io_class: 'none' } as const;
  const equal = await prepareProduct(repo, join(work, 'product-equal'), productHostRoot, {
    concurrency: 1,
    compression: 'default',
    priority: loopPriority,
    // gpg's own key stretching, as the loop's gpg does: the overhead compares equal work.
    stretching: 'full',
  });
  const samePriority = await prepareProduct(repo, join(work, 'product-nice0'), productHostRoot, { priority: loopPriority });
  const samples: CycleSamples = {
    loopFull: [],
    productFull: [],
    equalFull: [],
    samePriorityFull: [],
    loopIncremental: [],
    productIncremental: [],
    equalIncremental: [],
    samePriorityIncremental: [],
    load: [],
  };
  await warmPageCache(hostRoot);
  for (let rep = 0; rep < options.repetitions; rep++) {
    const loop = await prepareLoop(join(work, 'loop'));
    await resetProduct(product);
    await resetProduct(equal);
    await resetProduct(samePriority);
    samples.load.push(await loadAverage());
    // Alternate the order so neither side always runs first after the change.
    const contenders: [string, () => Promise<number>, number[], number[]][] = [
      ['loop', () => runLoop(loop, hostRoot, names), samples.loopFull, samples.loopIncremental],
      ['lxc-backup', () => runProduct(repo, product), samples.productFull, samples.productIncremental],
      ['lxc-backup equal', () => runProduct(repo, equal), samples.equalFull, samples.equalIncremental],
    ];
    if (options.priorityVariant)
      contenders.push([
        'lxc-backup nice 0',
        () => runProduct(repo, samePriority),
        samples.samePriorityFull,
        samples.samePriorityIncremental,
      ]);
    if (rep % 2 === 1) contenders.reverse();
    for (const [label, run, full] of contenders) {
      await flushWrites();
      const seconds = await run();
      full.push(seconds);
      log(`rep ${rep + 1}: full ${label}: ${seconds.toFixed(1)} s`);
    }
    for (let round = 0; round < options.incrementalRounds; round++) {
      for (const name of names) await applyChange(hostRoot, name, rep * options.incrementalRounds + round + 1);
      // Each round flips the order again, so each contender runs first as often as last.
      if (round > 0) contenders.reverse();
      for (const [label, run, , incremental] of contenders) {
        await flushWrites();
        const seconds = await run();
        incremental.push(seconds);
        log(`rep ${rep + 1}.${round + 1}: incremental ${label}: ${seconds.toFixed(1)} s`);
      }
    }
  }
  for (const other of [equal, samePriority]) await resetProduct(other);
  await prepareLoop(join(work, 'loop'));
  return { samples, product };
}
