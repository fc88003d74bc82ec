// Scenario 5: `lxc-backup restore` (duplicity restore + applying the captured metadata +
// moving into place) vs plain `duplicity restore` of the same backup, same cache.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BENCH_PASSPHRASE, type Product } from './contenders.js';
import { flushWrites, timed } from './run.js';

export interface RestoreSamples {
  product: number[];
  plain: number[];
}

// Restores `name` from `product`'s backups `repetitions` times each way, alternating order.
export async function runRestores(
  repo: string,
  work: string,
  product: Product,
  name: string,
  repetitions: number,
  log: (line: string) => void,
): Promise<RestoreSamples> {
  const samples: RestoreSamples = { product: [], plain: [] };
  const productDir = join(work, 'restore-product');
  const plainDir = join(work, 'restore-plain');
  const plain = async (): Promise<number> => {
    const env = { PASSPHRASE: BENCH_PASSPHRASE, GNUPGHOME: join(product.state, 'gnupg'), LC_ALL: 'C.UTF-8' };
    const args = [
      'restore',
      '--numeric-owner',
      `--archive-dir=${join(product.state, 'cache')}`,
      `--name=${name}`,
      `file://${join(product.target, name)}`,
      plainDir,
    ];
    return (await timed('duplicity', args, { env })).seconds;
  };
  const ours = async (): Promise<number> => {
    return (await timed('node', [join(repo, 'dist', 'lxc-backup.mjs'), 'restore', name, '--to', productDir, '--policy', product.policy]))
      .seconds;
  };
  for (let rep = 0; rep < repetitions; rep++) {
    await rm(productDir, { recursive: true, force: true });
    await rm(plainDir, { recursive: true, force: true });
    const order: [string, () => Promise<number>, number[]][] = [
      ['duplicity restore', plain, samples.plain],
      ['lxc-backup restore', ours, samples.product],
    ];
    if (rep % 2 === 1) order.reverse();
    for (const [label, run, into] of order) {
      await flushWrites();
      const seconds = await run();
      into.push(seconds);
      log(`rep ${rep + 1}: ${label}: ${seconds.toFixed(1)} s`);
    }
  }
  await rm(productDir, { recursive: true, force: true });
  await rm(plainDir, { recursive: true, force: true });
  return samples;
}
