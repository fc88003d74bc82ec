// What /proc says about the agent: resident memory, inotify watches, CPU time.
import { readdir, readFile } from 'node:fs/promises';
import { timed } from './run.js';

// VmRSS in bytes.
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) * 1024;
}

// inotify watches held: the `inotify wd:` lines over all of the process's descriptors.
export async function inotifyWatches(pid: number): Promise<number> {
  let count = 0;
  for (const fd of await readdir(`/proc/${pid}/fdinfo`)) {
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
    count += info.match(/^inotify wd:/gm)?.length ?? 0;
  }
  return count;
}

// utime + stime in clock ticks (fields 14 and 15 of /proc/PID/stat, after the command name).
export function cpuTicksFromStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

// CPU seconds the process has used so far.
export async function cpuSeconds(pid: number, ticksPerSecond: number): Promise<number> {
  return cpuTicksFromStat(await readFile(`/proc/${pid}/stat`, 'utf8')) / ticksPerSecond;
}

// The kernel's clock ticks per second (USER_HZ).
export async function clockTicks(): Promise<number> {
  return Number((await timed('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
}
