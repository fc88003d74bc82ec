// The --scale scenario (issue 20): many container directories, few of them changed. 100 copies
// of a ~22 MB slice of the bench rootfs (etc, usr/bin) plus each one's own 5 MB of seeded files;
// a full cycle, then the change pattern in 5 % of them and an incremental cycle, then a cycle
// with no change; the loop and lxc-backup back to back each time. lxc-backup runs
// `backup --all --if-changed` (what its schedule does) with the shipped policy.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loopEnv, prepareLoop, prepareProduct, runLoop, type Product } from './contenders.js';
import { flushWrites, loadAverage, sleep, timed } from './run.js';
import { applyChange, containerNames, lxcConfig, writeGenerated } from './workload.js';

// The slice of the base rootfs each container gets.
const SLICE = ['etc', 'usr/bin'];
// Longer than the change fingerprint's settle margin (SETTLE_SECONDS, 3 s): files changed just
// before a walk keep that backup from allowing a skip next time. Nightly changes are hours old.
const SETTLE_MS = 4_500;

// Seconds per cycle and contender, and the single-container comparison.
export interface ScaleSamples {
  containers: number;
  changed: number;
  full: { loop: number; product: number };
  incremental: { loop: number; product: number };
  unchanged: { loop: number; product: number };
  // One container with no change: duplicity's own incremental (the loop's command) and
  // lxc-backup's share of the no-change cycle, and its CLI run for that container alone.
  oneContainer: { duplicity: number[]; productShare: number; productCli: number[] };
  load: number[];
  diskMiB: number;
}

// Builds the containers under hostRoot (replacing what is there).
export async function buildScaleContainers(base: string, hostRoot: string, count: number): Promise<string[]> {
  await rm(hostRoot, { recursive: true, force: true });
  const names = containerNames(count, 's');
  for (const name of names) {
    const rootfs = join(hostRoot, name, 'rootfs');
    for (const part of SLICE) {
      await mkdir(join(rootfs, part, '..'), { recursive: true });
      await timed('cp', ['-a', '--', join(base, part), join(rootfs, part)]);
    }
    await writeGenerated(rootfs, name);
    await writeFile(join(hostRoot, name, 'config'), lxcConfig(hostRoot, name));
  }
  return names;
}

async function runProductIfChanged(repo: string, product: Product, names?: readonly string[]): Promise<number> {
  const which = names ? [...names] : ['--all'];
  const args = [join(repo, 'dist', 'lxc-backup.mjs'), 'backup', ...which, '--if-changed', '--policy', product.policy, '--direct'];
  return (await timed('node', args)).seconds;
}

// Runs the scenario; `productHostRoot` is where lxc-backup sees hostRoot (host-view.ts).
export async function runScale(options: {
  repo: string;
  work: string;
  base: string;
  hostRoot: string;
  productHostRoot: string;
  names: readonly string[];
  log: (line: string) => void;
}): Promise<ScaleSamples> {
  const { repo, work, hostRoot, names, log } = options;
  const loop = await prepareLoop(join(work, 'scale-loop'));
  const product = await prepareProduct(repo, join(work, 'scale-product'), options.productHostRoot);
  const load: number[] = [];
  const pair = async (label: string, loopFirst: boolean): Promise<{ loop: number; product: number }> => {
    const result = { loop: 0, product: 0 };
    const order: Array<'loop' | 'product'> = loopFirst ? ['loop', 'product'] : ['product', 'loop'];
    for (const who of order) {
      await flushWrites();
      load.push(await loadAverage());
      result[who] = who === 'loop' ? await runLoop(loop, hostRoot, names) : await runProductIfChanged(repo, product);
      log(`scale ${label}: ${who} ${result[who].toFixed(1)} s`);
    }
    return result;
  };
  await sleep(SETTLE_MS);
  const full = await pair('full', true);
  // 5 %: every twentieth container, at least one.
  const changedNames = names.filter((_, i) => i % 20 === 0);
  for (const name of changedNames) await applyChange(hostRoot, name, 1);
  await sleep(SETTLE_MS);
  const incremental = await pair('incremental (5 % changed)', false);
  const unchanged = await pair('no change', true);
  const one = names[1] ?? names[0]!;
  const duplicity: number[] = [];
  const productCli: number[] = [];
  for (let i = 0; i < 3; i++) {
    const url = `file://${join(loop.target, one)}/`;
    const args = ['--exclude-filelist', loop.excludeFile, one, url, '--full-if-older-than', '30D', '--numeric-owner'];
    duplicity.push((await timed('duplicity', args, { cwd: hostRoot, env: loopEnv(loop) })).seconds);
    productCli.push(await runProductIfChanged(repo, product, [one]));
  }
  const du = await timed('du', ['-sm', hostRoot, loop.target, product.dir]);
  const diskMiB = du.stdout.split('\n').reduce((sum, line) => sum + (Number(line.split('\t')[0]) || 0), 0);
  return {
    containers: names.length,
    changed: changedNames.length,
    full,
    incremental,
    unchanged,
    oneContainer: { duplicity, productShare: unchanged.product / names.length, productCli },
    load,
    diskMiB,
  };
}
