// The history file: appended per job, rotated to the newest maxJobs lines no older than
// maxDays, read with a byte bound whatever the file's size, and never through a symlink.
import { mkdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendHistory, historyPath, keptLines, readHistory } from '../../../agent/daemon/history-file.js';
import type { HistoryRecord } from '../../../agent/daemon/history-record.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('history-file');
});
afterEach(async () => removeDir(dir));

const NOW = new Date('2030-06-01T00:00:00Z');
const DAY = 86_400_000;
const job = (daysAgo: number, n = 0): HistoryRecord => ({
  time: new Date(NOW.getTime() - daysAgo * DAY + n).toISOString(),
  action: 'backup',
  outcome: 'ok',
  duration_ms: 1000 + n,
});

describe('appendHistory', () => {
  it('keeps one line per job, oldest first', async () => {
    const bounds = { maxJobs: 400, maxDays: 400 };
    for (let i = 0; i < 10; i += 1) await appendHistory(dir, 'web', job(1, i), bounds, NOW);
    const records = await readHistory(dir, 'web', bounds);
    expect(records.map((r) => r.duration_ms)).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009]);
    expect((await readFile(historyPath(dir, 'web'), 'utf8')).trim().split('\n')).toHaveLength(10);
  });

  it('rotates to the newest maxJobs lines', async () => {
    const bounds = { maxJobs: 3, maxDays: 400 };
    for (let i = 0; i < 7; i += 1) await appendHistory(dir, 'web', job(1, i), bounds, NOW);
    const lines = (await readFile(historyPath(dir, 'web'), 'utf8')).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as HistoryRecord).duration_ms)).toEqual([1004, 1005, 1006]);
  });

  it('drops lines older than maxDays even when fewer than maxJobs', async () => {
    const bounds = { maxJobs: 400, maxDays: 30 };
    await appendHistory(dir, 'web', job(40), bounds, NOW);
    await appendHistory(dir, 'web', job(10), bounds, NOW);
    await appendHistory(dir, 'web', job(0), bounds, NOW);
    expect((await readHistory(dir, 'web', bounds)).map((r) => r.time)).toEqual([job(10).time, job(0).time]);
  });

  it('keeps histories of different containers apart, a very long name in a hashed file', async () => {
    const bounds = { maxJobs: 5, maxDays: 5 };
    const long = 'a'.repeat(250);
    await appendHistory(dir, 'web', job(0, 1), bounds, NOW);
    await appendHistory(dir, long, job(0, 2), bounds, NOW);
    expect(historyPath(dir, long)).toMatch(/history\/hashed\/[0-9a-f]{64}\.jsonl$/);
    expect((await readHistory(dir, long, bounds)).map((r) => r.duration_ms)).toEqual([1002]);
    expect((await readHistory(dir, 'web', bounds)).map((r) => r.duration_ms)).toEqual([1001]);
  });
});

describe('readHistory', () => {
  it('never returns more than maxJobs, even between an append and its rotation', async () => {
    // A file with one line past the bound, as a reader finds it before the rotation's rename.
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify(job(1, i)));
    await mkdir(dirname(historyPath(dir, 'web')), { recursive: true });
    await writeFile(historyPath(dir, 'web'), `${lines.join('\n')}\n`);
    const bounds = { maxJobs: 4, maxDays: 400 };
    expect((await readHistory(dir, 'web', bounds)).map((r) => r.duration_ms)).toEqual([1001, 1002, 1003, 1004]);
    expect((await readHistory(dir, 'web', bounds, 2)).map((r) => r.duration_ms)).toEqual([1003, 1004]);
  });

  it('is empty for a container with no file', async () => {
    expect(await readHistory(dir, 'none', { maxJobs: 4, maxDays: 4 })).toEqual([]);
  });

  it('skips torn and foreign lines, keeps records with extra keys and new words', async () => {
    const path = historyPath(dir, 'web');
    await mkdir(dirname(path), { recursive: true });
    const newer = { ...job(0), action: 'drill', outcome: 'unchanged', consistency: 'freeze', future_key: 1 };
    await writeFile(path, `${JSON.stringify(job(1))}\nnot json\n[1]\n{"time":"x"}\n${JSON.stringify(newer)}\n{"time":"2030-`);
    const records = await readHistory(dir, 'web', { maxJobs: 10, maxDays: 10 });
    expect(records).toEqual([job(1), newer]);
  });

  it('reads only the tail of an oversized file', async () => {
    const path = historyPath(dir, 'web');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '');
    await truncate(path, 512 * 1024 * 1024);
    await writeFile(path, `\n${JSON.stringify(job(0))}\n`, { flag: 'a' });
    const before = process.memoryUsage().rss;
    expect(await readHistory(dir, 'web', { maxJobs: 4, maxDays: 4 })).toEqual([job(0)]);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('does not follow a symlink at the history file', async () => {
    const path = historyPath(dir, 'web');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(join(dir, 'elsewhere'), `${JSON.stringify(job(0))}\n`);
    await symlink(join(dir, 'elsewhere'), path);
    await expect(readHistory(dir, 'web', { maxJobs: 4, maxDays: 4 })).rejects.toThrow(/ELOOP/);
  });
});

describe('keptLines', () => {
  it('keeps the smaller of the two bounds', () => {
    const lines = [job(9), job(5), job(3), job(2), job(1)].map((r) => JSON.stringify(r));
    expect(keptLines(lines, { maxJobs: 4, maxDays: 4 }, NOW)).toEqual(lines.slice(2));
    expect(keptLines(lines, { maxJobs: 2, maxDays: 40 }, NOW)).toEqual(lines.slice(3));
  });
});
