// The --small-files scenario (issue 20): 4 small, file-heavy containers, each a copy of the
// machine's Python standard library (~54 MB, ~1.5k entries) plus its own 5 MB of seeded files.
// Full cycles only, on empty targets: the loop and lxc-backup (the shipped policy, and the same
// at the loop's priority as a diagnostic) back to back, order alternating, `sync` before each.
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { warmPageCache } from './cycles.js';
import { prepareLoop, prepareProduct, resetProduct, runLoop, runProduct } from './contenders.js';
import { flushWrites, loadAverage, timed } from './run.js';
import { containerNames, lxcConfig, writeGenerated } from './workload.js';

// Full-cycle seconds per contender; the same index is one back-to-back group.
export interface SmallFilesSamples {
  stdlib: string;
  loop: number[];
  product: number[];
  // The shipped policy with duplicity at the loop's priority (nice 0, no ionice).
  productNice0: number[];
  // The shipped policy with gpg's full key stretching (a passphrase a person made up).
  productFullStretching: number[];
  load: number[];
}

// The newest /usr/lib/python3.N on this machine: Debian's python3 standard library.
export async function findStdlib(): Promise<string> {
  const versions = (await readdir('/usr/lib')).filter((name) => /^python3\.\d+$/.test(name));
  versions.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  const newest = versions.at(-1);
  if (!newest) throw new Error('expected a Python standard library at /usr/lib/python3.N, found none (apt-get install python3)');
  return join('/usr/lib', newest);
}

// Builds the containers under hostRoot (replacing what is there): the standard library without
// site-packages / dist-packages (third-party code), plus the seeded files of the main workload.
export async function buildSmallFilesContainers(stdlib: string, hostRoot: string, count: number): Promise<string[]> {
  await rm(hostRoot, { recursive: true, force: true });
  const names = containerNames(count, 'p');
  for (const name of names) {
    const rootfs = join(hostRoot, name, 'rootfs');
    const into = join(rootfs, stdlib);
    await timed('mkdir', ['-p', '--', into]);
    // rsync-free copy with excludes: tar through a pipe keeps modes, owners and times like cp -a.
    await timed('sh', [
      '-c',
      'tar -C "$1" --exclude=./site-packages --exclude=./dist-packages -cf - . | tar -C "$2" -xpf -',
      'copy',
      stdlib,
      into,
    ]);
    await writeGenerated(rootfs, name);
    await writeFile(join(hostRoot, name, 'config'), lxcConfig(hostRoot, name));
  }
  return names;
}

// Runs the paired full cycles.
export async function runSmallFiles(options: {
  repo: string;
  work: string;
  hostRoot: string;
  productHostRoot: string;
  names: readonly string[];
  repetitions: number;
  stdlib: string;
  log: (line: string) => void;
}): Promise<SmallFilesSamples> {
  const { repo, work, hostRoot, productHostRoot, names, log } = options;
  const product = await prepareProduct(repo, join(work, 'small-product'), productHostRoot);
  const nice0 = await prepareProduct(repo, join(work, 'small-product-nice0'), productHostRoot, {
    priority: { nice: 0, io_class: 'none' },
  });
  const fullStretching = await prepareProduct(repo, join(work, 'small-product-full-s2k'), productHostRoot, { stretching: 'full' });
  const samples: SmallFilesSamples = {
    stdlib: options.stdlib,
    loop: [],
    product: [],
    productNice0: [],
    productFullStretching: [],
    load: [],
  };
  await warmPageCache(hostRoot);
  for (let rep = 0; rep < options.repetitions; rep++) {
    const loop = await prepareLoop(join(work, 'small-loop'));
    await resetProduct(product);
    await resetProduct(nice0);
    await resetProduct(fullStretching);
    const contenders: [string, () => Promise<number>, number[]][] = [
      ['loop', () => runLoop(loop, hostRoot, names), samples.loop],
      ['lxc-backup', () => runProduct(repo, product), samples.product],
      ['lxc-backup nice 0', () => runProduct(repo, nice0), samples.productNice0],
      ['lxc-backup full stretching', () => runProduct(repo, fullStretching), samples.productFullStretching],
    ];
    if (rep % 2 === 1) contenders.reverse();
    for (const [label, run, into] of contenders) {
      await flushWrites();
      samples.load.push(await loadAverage());
      const seconds = await run();
      into.push(seconds);
      log(`small files rep ${rep + 1}: full ${label}: ${seconds.toFixed(1)} s`);
    }
  }
  for (const setup of [product, nice0, fullStretching]) await resetProduct(setup);
  await prepareLoop(join(work, 'small-loop'));
  return samples;
}
