// The agent's core: keeps discovery, schedule, queue and state in step under the current
// policy. I/O edges (socket, signals, policy file watch) are wired by run-agent.ts.
import type { ContainerInfo } from '../discovery/container-info.js';
import { createDiscovery } from '../discovery/discovery.js';
import type { JobAction, JobRunner } from '../core/job.js';
import type { Log } from '../core/log.js';
import { durationSeconds } from '../policy/duration.js';
import { resolveContainer } from '../policy/resolve.js';
import type { Policy, Settings } from '../policy/schema.js';
import { changedContainers, exclusionOf, hasRetention, scheduleOf, timeoutMs } from './container-rules.js';
import { emitSafely, type DaemonEvent } from './events.js';
import { createJobQueue } from './job-queue.js';
import { releaseIdleMemory } from './idle-memory.js';
import { jobEndFields, outcomeWord } from './job-log.js';
import { missedRun, nextRunAfter } from '../schedule/next-run.js';
import type { Reload } from './policy-watch.js';
import { createScheduler } from './scheduler.js';
import { createStaleWatch } from './stale-watch.js';
import { markUnfinishedJobs, type UnfinishedJob } from './unfinished-jobs.js';
import { recordOutcome, recordStart, type AgentState, type ContainerRecord } from './state.js';
import { buildStatus, type ContainerView, type StatusReport } from './status-report.js';

export interface DaemonOptions {
  policyPath: string;
  policy: Policy;
  runner: JobRunner;
  log: Log;
  // This host's name: the container with this name or uts name is the agent's own.
  hostname: string;
  state: AgentState;
  writeState(state: AgentState): Promise<void>;
  now?: () => Date;
  retry?: { baseMs: number; maxAttempts: number };
  // Job starts and ends and stale episodes, for notifications and metrics.
  onEvent?: (event: DaemonEvent) => void;
  // How often staleness is re-checked (it is also checked at start and after each job).
  staleCheckMs?: number;
  // Jobs that started and never ended before this start (engine/running-jobs.ts); read once at start.
  unfinishedJobs?: () => Promise<UnfinishedJob[]>;
}

// What a manual trigger did with each name.
export interface TriggerResult {
  queued: string[];
  merged: string[];
  skipped: Array<{ name: string; reason: string }>;
  unknown: string[];
}

export interface Daemon {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): StatusReport;
  trigger(action: JobAction, names: string[] | 'all', full: boolean): TriggerResult;
  applyReload(reload: Reload): void;
  policy(): Policy;
}

// Creates the daemon; nothing runs until start().
export function createDaemon(options: DaemonOptions): Daemon {
  const { log, state, hostname } = options;
  const now = options.now ?? (() => new Date());
  let policy = options.policy;
  let problems: string[] = [];
  const present = new Map<string, ContainerInfo>();

  const record = (name: string): ContainerRecord => (state.containers[name] ??= {});
  const save = (): void => {
    options.writeState(state).catch((error: unknown) => log.error({ err: error }, 'cannot write state'));
  };
  const names = (): Set<string> => new Set([...present.keys(), ...Object.keys(state.containers)]);
  const resolveSettings = (name: string): Settings => resolveContainer(policy, name).settings;
  const eligible = (name: string): boolean => present.has(name) && exclusionOf(policy, name, present.get(name), hostname) === undefined;

  const queue = createJobQueue({
    runner: options.runner,
    concurrency: policy.concurrency,
    timeoutMs: (name) => timeoutMs(policy, name),
    pruneAfterBackup: (name) => hasRetention(resolveSettings(name)),
    ...(options.retry ? { retry: options.retry } : {}),
    started(name, action) {
      state.containers[name] = recordStart(record(name), action, now());
      log.info({ container: name, action, event: 'job-start' }, `${action} ${name} started`);
      emitSafely(options.onEvent, { type: 'job-start', container: name, action, at: now() }, log);
    },
    ended(name, action, end) {
      state.containers[name] = recordOutcome(record(name), action, end.outcome, now(), end.interrupted);
      log.info(jobEndFields(name, action, end), `${action} ${name} ${outcomeWord(end)}`);
      emitSafely(options.onEvent, { type: 'job-end', container: name, action, end, at: now() }, log);
      stale.check(name);
      save();
    },
    drained: releaseIdleMemory,
  });

  const stale = createStaleWatch({
    names,
    eligible,
    settings: resolveSettings,
    record,
    update: (name, next) => (state.containers[name] = next),
    now,
    becameStale(name, reason, maxAgeMs) {
      log.warn({ container: name, event: 'stale', max_age_ms: maxAgeMs }, `${name} is stale: ${reason}`);
      emitSafely(options.onEvent, { type: 'stale', container: name, reason, maxAgeMs, at: now() }, log);
    },
    recovered: (name) => log.info({ container: name, event: 'stale-end' }, `${name} is no longer stale`),
  });

  const scheduler = createScheduler({ now, onDue: (name, action) => queue.enqueue(name, action) });

  // Puts one container's schedule in line with the policy and what is on disk.
  const reconcile = (name: string): void => {
    const info = present.get(name);
    const exclusion = exclusionOf(policy, name, info, hostname);
    if (!info) {
      const keepPruning = exclusion === undefined && policy.removed_containers.prune && hasRetention(resolveSettings(name));
      if (keepPruning) scheduler.plan(name, scheduleOf(policy, name), 'prune');
      else scheduler.unplan(name);
    } else if (exclusion) scheduler.unplan(name);
    else scheduler.plan(name, scheduleOf(policy, name), 'backup');
  };

  const takeOn = (info: ContainerInfo): void => {
    present.set(info.name, info);
    const current = record(info.name);
    if (current.orphaned_since) log.info({ container: info.name }, `${info.name} reappeared: continuing its backups`);
    state.containers[info.name] = {
      ...current,
      orphaned_since: null,
      idmaps: info.idmaps,
      first_seen: current.first_seen ?? now().toISOString(),
    };
    reconcile(info.name);
  };

  const discovery = createDiscovery({
    hostRoot: policy.host_root,
    settleMs: durationMs(policy.new_containers.settle),
    handlers: {
      appeared(info) {
        log.info({ container: info.name, unsupported: info.unsupported }, `new container ${info.name}`);
        takeOn(info);
        if (policy.new_containers.first_backup === 'immediate' && eligible(info.name)) queue.enqueue(info.name, 'backup');
        save();
      },
      changed(info) {
        present.set(info.name, info);
        reconcile(info.name);
      },
      vanished(name) {
        present.delete(name);
        state.containers[name] = { ...record(name), orphaned_since: now().toISOString() };
        log.warn({ container: name }, `${name} is gone: unscheduled, its backups are kept`);
        reconcile(name);
        save();
      },
      error: (error) => log.error({ err: error }, 'watching host_root failed'),
    },
  });

  // At start: resume interrupted backups, back up never-attempted ones (first_backup), and catch up missed slots.
  const catchUp = (name: string): void => {
    const current = record(name);
    let reason: string | undefined;
    if (current.interrupted) reason = 'resuming an interrupted backup';
    else if (!current.last_attempt) reason = policy.new_containers.first_backup === 'immediate' ? 'first backup' : undefined;
    else if (missedRun(scheduleOf(policy, name), name, new Date(current.last_attempt), now())) reason = 'catching up a missed slot';
    if (!reason) return;
    log.info({ container: name, reason }, `${name}: ${reason}`);
    queue.enqueue(name, 'backup');
  };

  return {
    async start() {
      const started = Date.now();
      const found = await discovery.start();
      for (const info of found) takeOn(info);
      for (const name of Object.keys(state.containers)) {
        if (!present.has(name) && !state.containers[name]?.orphaned_since) {
          state.containers[name] = { ...record(name), orphaned_since: now().toISOString() };
        }
        reconcile(name);
      }
      for (const line of markUnfinishedJobs(state, (await options.unfinishedJobs?.()) ?? []))
        log.warn({ container: line.container, event: 'interrupted' }, line.message);
      for (const name of present.keys()) if (eligible(name)) catchUp(name);
      // Right away, so downtime longer than max_age is reported at start, not a tick later.
      stale.checkAll();
      stale.start(options.staleCheckMs ?? 10_000, save);
      scheduler.start();
      save();
      log.info({ containers: present.size, startup_ms: Date.now() - started }, `agent scheduled ${present.size} container(s)`);
    },
    async stop() {
      scheduler.stop();
      stale.stop();
      await discovery.close();
      await queue.shutdown();
      await options.writeState(state);
    },
    status() {
      const views: ContainerView[] = [];
      for (const name of names()) {
        const exclusion = exclusionOf(policy, name, present.get(name), hostname);
        if (exclusion?.kind === 'hidden') continue;
        views.push({
          name,
          record: record(name),
          disabled: exclusion?.kind === 'disabled' || exclusion?.kind === 'self',
          ...(exclusion?.kind === 'unsupported' ? { unsupported: exclusion.reason } : {}),
          running: queue.activity(name) === 'running',
          stale: stale.isStale(name),
          ...(present.has(name) ? optionalNextRun(scheduler.nextRun(name)) : {}),
        });
      }
      // Listed from the moment discovery sees them, so a new container never looks missed.
      for (const { name, dueAt } of discovery.settling()) {
        const exclusion = exclusionOf(policy, name, undefined, hostname);
        if (present.has(name) || state.containers[name] || exclusion?.kind === 'hidden') continue;
        const firstRun = policy.new_containers.first_backup === 'immediate' ? dueAt : nextRunAfter(scheduleOf(policy, name), name, dueAt);
        views.push({
          name,
          record: {},
          disabled: exclusion !== undefined,
          running: false,
          settling: exclusion === undefined,
          ...(exclusion ? {} : optionalNextRun(firstRun)),
        });
      }
      return buildStatus(options.policyPath, problems, views);
    },
    trigger(action, wanted, full) {
      const result: TriggerResult = { queued: [], merged: [], skipped: [], unknown: [] };
      const all = [...names()].filter((name) => exclusionOf(policy, name, present.get(name), hostname) === undefined);
      const targets = wanted === 'all' ? all.filter((name) => action === 'prune' || present.has(name)) : wanted;
      for (const name of targets) {
        const exclusion = exclusionOf(policy, name, present.get(name), hostname);
        if (!present.has(name) && !state.containers[name]) result.unknown.push(name);
        else if (exclusion && exclusion.kind !== 'hidden')
          result.skipped.push({ name, reason: exclusion.kind === 'unsupported' ? exclusion.reason : exclusion.kind });
        else if (exclusion) result.skipped.push({ name, reason: 'ignored by the policy' });
        else if (action === 'backup' && !present.has(name)) result.skipped.push({ name, reason: 'orphaned: its directory is gone' });
        else result[queue.enqueue(name, action, { full, manual: true })].push(name);
      }
      return result;
    },
    applyReload(reload) {
      if ('problems' in reload) {
        problems = reload.problems;
        log.error({ problems }, `policy edit rejected, still running the last good policy: ${problems.join('; ')}`);
        return;
      }
      const before = policy;
      policy = reload.policy;
      problems = [];
      if (
        policy.host_root !== before.host_root ||
        policy.state_dir !== before.state_dir ||
        JSON.stringify(policy.metrics) !== JSON.stringify(before.metrics)
      ) {
        log.warn(
          { host_root: policy.host_root, state_dir: policy.state_dir },
          'host_root, state_dir and metrics changes apply after a restart',
        );
      }
      queue.setConcurrency(policy.concurrency);
      discovery.setSettleMs(durationMs(policy.new_containers.settle));
      for (const name of names()) reconcile(name);
      stale.checkAll();
      log.info({ changed: changedContainers(before, policy, names()) }, 'policy reloaded');
    },
    policy: () => policy,
  };
}

function durationMs(text: string): number {
  return durationSeconds(text) * 1000;
}

function optionalNextRun(nextRun: Date | undefined): { nextRun?: Date } {
  return nextRun ? { nextRun } : {};
}
