// The capture's cost on one small-files container (issue 20): `node --import tsx
// bench/capture-cost.ts [DIR] [RUNS]`. DIR: a container directory (default: one built from
// the machine's Python standard library, bench/small-files.ts, in a temp dir). Reports the
// median ms of RUNS (default 7) captures with the drill manifest, as a backup runs it (default
// excludes and sample), warm cache, and how many find and getfattr processes one capture starts.
import { appendFile, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureMetadata } from '../agent/engine/fidelity/capture.js';
import { sampleSizeFor } from '../agent/engine/drill/sample-pick.js';
import { DEFAULT_SETTINGS } from '../agent/policy/defaults.js';
import { DEFAULT_VERIFY } from '../agent/policy/verify-fields.js';
import { buildSmallFilesContainers, findStdlib } from './small-files.js';

const work = await mkdtemp(join(tmpdir(), 'lxc-backup-capture-cost-'));
const given = process.argv[2];
const runs = Number(process.argv[3] ?? 7);
const dir = given ?? join(work, 'host', (await buildSmallFilesContainers(await findStdlib(), join(work, 'host'), 1))[0] ?? '');
const manifest = { exclude: DEFAULT_SETTINGS.exclude, sample: sampleSizeFor(DEFAULT_VERIFY.sample) };
const capture = () => captureMetadata(dir, join(work, 'meta'), { manifest });

// One capture with find and getfattr shimmed on PATH, each start logged.
const shims = join(work, 'shims');
const log = join(work, 'starts.log');
await appendFile(log, '');
await rm(shims, { recursive: true, force: true });
await mkdir(shims);
for (const tool of ['find', 'getfattr']) {
  await writeFile(join(shims, tool), `#!/bin/sh\necho ${tool} >> '${log}'\nexec /usr/bin/${tool} "$@"\n`);
  await chmod(join(shims, tool), 0o755);
}
const path = process.env.PATH;
process.env.PATH = `${shims}:${path}`;
const summary = await capture();
process.env.PATH = path;
const starts = (await readFile(log, 'utf8')).split('\n').filter(Boolean);

// CPU ms of this process and its waited-for children (find, getfattr): steadier than wall
// time on a loaded machine. /proc/self/stat fields 16 and 17 are the children's, in ticks of 10 ms.
async function cpuMs(): Promise<number> {
  const fields = (await readFile('/proc/self/stat', 'utf8')).split(') ')[1]?.split(' ') ?? [];
  const own = process.cpuUsage();
  return (own.user + own.system) / 1000 + (Number(fields[13]) + Number(fields[14])) * 10;
}

await capture();
const ms: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = process.hrtime.bigint();
  const cpuBefore = await cpuMs();
  await capture();
  cpu.push((await cpuMs()) - cpuBefore);
  ms.push(Number(process.hrtime.bigint() - started) / 1e6);
}
ms.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const count = (tool: string): number => starts.filter((s) => s === tool).length;
process.stdout.write(
  `${dir}: ${summary.regularFiles} regular files; capture with manifest: median ${ms[Math.floor(ms.length / 2)]?.toFixed(1)} ms ` +
    `(min ${ms[0]?.toFixed(1)}, max ${ms.at(-1)?.toFixed(1)}, ${runs} runs), CPU median ${cpu[Math.floor(cpu.length / 2)]?.toFixed(0)} ms; processes per capture: find ${count('find')}, getfattr ${count('getfattr')}\n`,
);
await rm(work, { recursive: true, force: true });
