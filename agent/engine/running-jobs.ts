// "Job started", on disk before duplicity starts: state_dir/running/NAME.json, written and
// synced before the run and removed after it, whatever its end. A file still there when the
// agent starts belongs to a job that never finished (kill -9, power loss, OOM): the daemon
// logs it, marks the container interrupted and re-queues it, and duplicity resumes.
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { containerFileName } from './duplicity/container-file-name.js';
import type { JobContext } from './job-context.js';

// Our own small file; read no further than this whatever it holds.
const MAX_BYTES = 4096;

// A job that started and never recorded its end.
export interface UnfinishedJob {
  name: string;
  action: string;
  started: string;
}

const dirOf = (stateDir: string): string => join(stateDir, 'running');

// Records that `action` on the container in `ctx` starts now; returns the function that
// removes the record when it ends.
export async function markRunning(ctx: Pick<JobContext, 'policy' | 'layout'>, action: string): Promise<() => Promise<void>> {
  // A long name's file sits in running/hashed/; the temp name is short, whatever the name.
  const file = join(dirOf(ctx.policy.state_dir), containerFileName(ctx.layout.name, '.json'));
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = join(dirname(file), `.tmp-${process.pid}-${randomUUID()}`);
  const handle = await open(temp, 'w', 0o600);
  try {
    const job: UnfinishedJob = { name: ctx.layout.name, action, started: new Date().toISOString() };
    await handle.writeFile(`${JSON.stringify({ ...job, pid: process.pid })}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  return () => rm(file, { force: true });
}

async function readOne(file: string): Promise<UnfinishedJob | undefined> {
  // O_NOFOLLOW: a symlink planted here is not ours and is never read through.
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!handle) return undefined;
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    const buffer = Buffer.alloc(MAX_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_BYTES, 0);
    const parsed = JSON.parse(buffer.subarray(0, bytesRead).toString('utf8')) as Partial<UnfinishedJob>;
    if (typeof parsed.name !== 'string' || typeof parsed.action !== 'string' || typeof parsed.started !== 'string') return undefined;
    return { name: parsed.name, action: parsed.action, started: parsed.started };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

// The jobs whose start is recorded and whose end is not. Call only when no job can be running
// (the agent's start, before its queue runs); unreadable records are skipped.
export async function findUnfinishedJobs(stateDir: string): Promise<UnfinishedJob[]> {
  const jobs: UnfinishedJob[] = [];
  for (const dir of [dirOf(stateDir), join(dirOf(stateDir), 'hashed')]) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const job = await readOne(join(dir, name));
      if (job) jobs.push(job);
    }
  }
  return jobs;
}
