// Command line of scripts/bench (pure): presets for the full run and --quick, and overrides.
import { parseArgs } from 'node:util';
import type { Profile } from './workload.js';

// Everything a run is shaped by.
export interface BenchOptions {
  quick: boolean;
  json: boolean;
  profile: Profile;
  containers: number;
  repetitions: number;
  // Change + incremental rounds after each repetition's full cycle.
  incrementalRounds: number;
  restContainers: number;
  idleSeconds: number;
  cache: string;
  work: string;
  only: Set<Scenario>;
  keep: boolean;
  // The --scale scenario alone (issue 20): `containers` directories, 5 % changed.
  scale: boolean;
  // The --small-files scenario alone (issue 20): 4 Python standard library copies, full cycles.
  smallFiles: boolean;
}

export type Scenario = 'cycles' | 'restore' | 'rest';
const SCENARIOS: readonly Scenario[] = ['cycles', 'restore', 'rest'];

// The help text.
export const USAGE = `usage: scripts/bench [--quick] [--json] [--repetitions N] [--incremental-rounds N] [--containers N]
                    [--rest-containers N] [--idle-seconds S] [--only cycles,restore,rest] [--cache DIR]
                    [--work DIR] [--keep] [--scale] [--small-files]
  full run: 4 containers (debootstrapped Debian minbase + 5 MB seeded files each), 3 repetitions
            of a full cycle and 3 change + incremental rounds, 200 containers at rest, 60 s idle windows
  --quick:  4 smaller containers (etc, usr/bin, usr/share/{doc,man,zoneinfo}), 1 repetition with
            1 incremental round, 20 at rest, 5 s idle
  --scale:  only the scale scenario: 100 containers (--containers) of ~27 MB, full cycle, 5 % changed
            + incremental cycle, no-change cycle (about 6 GB of disk; BENCHMARKS.md)
  --small-files: only the small-files scenario: 4 containers (--containers), each a Python
            standard library copy + 5 MB seeded, 3 paired full cycles (--repetitions; ~2 GB, ~3 min)`;

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`expected --${name} to be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

// Parses argv (without node and the script); throws with a one-line message on bad input.
export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      keep: { type: 'boolean' },
      scale: { type: 'boolean' },
      'small-files': { type: 'boolean' },
      repetitions: { type: 'string' },
      'incremental-rounds': { type: 'string' },
      containers: { type: 'string' },
      'rest-containers': { type: 'string' },
      'idle-seconds': { type: 'string' },
      only: { type: 'string' },
      cache: { type: 'string' },
      work: { type: 'string' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  const only = new Set<Scenario>();
  for (const part of (values.only ?? SCENARIOS.join(',')).split(',')) {
    if (!SCENARIOS.includes(part as Scenario))
      throw new Error(`expected --only to list ${SCENARIOS.join(', ')}, got ${JSON.stringify(part)}`);
    only.add(part as Scenario);
  }
  const cache = values.cache ?? '/var/cache/lxc-backup-bench';
  return {
    quick,
    json: values.json === true,
    profile: quick ? 'quick' : 'full',
    containers: positiveInt('containers', values.containers, values.scale ? 100 : 4),
    repetitions: positiveInt('repetitions', values.repetitions, quick ? 1 : 3),
    incrementalRounds: positiveInt('incremental-rounds', values['incremental-rounds'], quick ? 1 : 3),
    restContainers: positiveInt('rest-containers', values['rest-containers'], quick ? 20 : 200),
    idleSeconds: positiveInt('idle-seconds', values['idle-seconds'], quick ? 5 : 60),
    cache,
    work: values.work ?? `${cache}/work`,
    only,
    keep: values.keep === true,
    scale: values.scale === true,
    smallFiles: values['small-files'] === true,
  };
}
