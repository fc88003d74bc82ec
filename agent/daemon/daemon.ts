// The agent's core: keeps discovery, schedule, queue and state in step under the current
// policy. I/O edges (socket, signals, policy file watch) are wired by run-agent.ts.
import type { ContainerInfo } from '../discovery/container-info.js';
import { createDiscovery } from '../discovery/discovery.js';
import type { JobAction } from '../core/job.js';
import { durationMs } from '../policy/duration.js';
import { jobSlots, resolveContainer } from '../policy/resolve.js';
import type { Settings } from '../policy/schema.js';
import { catchUps, newOrphans } from './catch-up.js';
import { hasRetention, safetyTimeoutMs } from './container-rules.js';
import type { Daemon, DaemonOptions } from './daemon-options.js';
import { emitSafely } from './events.js';
import { createDaemonGate, parkedEnd } from './daemon-gate.js';
import { createJobQueue, DEFAULT_RETRY, type JobEnd } from './job-queue.js';
import { releaseIdleMemory } from './idle-memory.js';
import { jobEndFields, outcomeWord } from './job-log.js';
import { isEligible, type Known, knownNames } from './known.js';
import { reloadPlan } from './reload-plan.js';
import { type SchedulePlan, schedulePlan } from './schedule-plan.js';
import { backsUpOnArrival } from './settling.js';
import { createScheduler } from './scheduler.js';
import { createStaleWatch } from './stale-watch.js';
import { daemonDrills } from './daemon-drills.js';
import { markUnfinishedJobs } from './unfinished-jobs.js';
import { recordOrphaned, recordOutcome, recordSeen, recordStart, type ContainerRecord } from './state.js';
import { buildStatus } from './status-report.js';
import { containerViews } from './status-views.js';
import { triggerPlan, triggerResult } from './trigger-plan.js';

// Creates the daemon; nothing runs until start(). It holds the state and applies what the pure
// decisions (schedule-plan, catch-up, trigger-plan, reload-plan, settling, status-views) return.
export function createDaemon(options: DaemonOptions): Daemon {
  const { log, state, hostname } = options;
  const now = options.now ?? (() => new Date());
  let policy = options.policy;
  let problems: string[] = [];
  const present = new Map<string, ContainerInfo>();

  const known = (): Known => ({ policy, hostname, present, records: state.containers });
  const record = (name: string): ContainerRecord => (state.containers[name] ??= {});
  const save = (): void => {
    options.writeState(state).catch((error: unknown) => log.error({ err: error }, 'cannot write state'));
  };
  const resolveSettings = (name: string): Settings => resolveContainer(policy, name).settings;

  const ended = (name: string, action: JobAction, end: JobEnd): void => {
    state.containers[name] = recordOutcome(record(name), action, end.outcome, now(), end.interrupted);
    log.info(jobEndFields(name, action, end), `${action} ${name} ${outcomeWord(end)}`);
    emitSafely(options.onEvent, { type: 'job-end', container: name, action, end, at: now() }, log);
    stale.check(name);
    save();
  };
  const retry = options.retry ?? DEFAULT_RETRY;
  const gate = createDaemonGate({ runner: options.runner, policy: () => policy, retry, now, log });
  const queue = createJobQueue({
    runner: options.runner,
    concurrency: jobSlots(policy.concurrency),
    timeoutMs: (name) => safetyTimeoutMs(policy, name),
    pruneAfterBackup: (name) => hasRetention(resolveSettings(name)),
    retry,
    ...(gate ? { gate } : {}),
    started(name, action) {
      state.containers[name] = recordStart(record(name), action, now());
      log.info({ container: name, action, event: 'job-start' }, `${action} ${name} started`);
      emitSafely(options.onEvent, { type: 'job-start', container: name, action, at: now() }, log);
    },
    ended,
    // A failed attempt (the probe was one): status `failing`, a `fail` notification, last_attempt set.
    parked(name, action, parked, attempt) {
      state.containers[name] = recordStart(record(name), action, now());
      ended(name, action, parkedEnd(parked, attempt));
    },
    drained: releaseIdleMemory,
  });

  const stale = createStaleWatch({
    names: () => knownNames(known()),
    eligible: (name) => isEligible(known(), name),
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

  const drills = daemonDrills({ known, queue, now, settings: resolveSettings, record });
  const scheduler = createScheduler({ now, onDue: (name, action) => queue.enqueue(name, action), onTick: drills.tick });

  const applyPlan = (name: string, plan: SchedulePlan): void =>
    plan ? scheduler.plan(name, plan.expression, plan.action) : scheduler.unplan(name);
  // Puts one container's schedule in line with the policy and what is on disk.
  const reconcile = (name: string): void => applyPlan(name, schedulePlan(known(), name));

  const takeOn = (info: ContainerInfo): void => {
    present.set(info.name, info);
    const current = record(info.name);
    if (current.orphaned_since) log.info({ container: info.name }, `${info.name} reappeared: continuing its backups`);
    state.containers[info.name] = recordSeen(current, info.idmaps, now());
    reconcile(info.name);
  };

  const discovery = createDiscovery({
    hostRoot: policy.host_root,
    settleMs: durationMs(policy.new_containers.settle),
    handlers: {
      appeared(info) {
        log.info({ container: info.name, unsupported: info.unsupported }, `new container ${info.name}`);
        takeOn(info);
        if (backsUpOnArrival(known(), info.name)) queue.enqueue(info.name, 'backup');
        save();
      },
      changed(info) {
        present.set(info.name, info);
        reconcile(info.name);
      },
      vanished(name) {
        present.delete(name);
        state.containers[name] = recordOrphaned(record(name), now());
        log.warn({ container: name }, `${name} is gone: unscheduled, its backups are kept`);
        reconcile(name);
        save();
      },
      error: (error) => log.error({ err: error }, 'watching host_root failed'),
    },
  });

  return {
    async start() {
      const started = Date.now();
      for (const info of await discovery.start()) takeOn(info);
      for (const name of newOrphans(known())) state.containers[name] = recordOrphaned(record(name), now());
      for (const name of Object.keys(state.containers)) if (!present.has(name)) reconcile(name);
      for (const line of markUnfinishedJobs(state, (await options.unfinishedJobs?.()) ?? [])) {
        log.warn({ container: line.container, event: 'interrupted' }, line.message);
      }
      for (const { name, reason } of catchUps(known(), now())) {
        log.info({ container: name, reason }, `${name}: ${reason}`);
        queue.enqueue(name, 'backup');
      }
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
      const live = {
        running: (name: string) => queue.activity(name) === 'running',
        retryAt: (name: string) => queue.retryAt(name),
        stale: (name: string) => stale.isStale(name),
        unverified: drills.unverified,
        drillsOff: drills.drillsOff,
        nextRun: (name: string) => scheduler.nextRun(name),
        settling: discovery.settling(),
      };
      return buildStatus(options.policyPath, problems, containerViews(known(), live));
    },
    trigger(action, wanted, full) {
      return triggerResult(triggerPlan(known(), action, wanted), (name) => queue.enqueue(name, action, { full, manual: true }));
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
      const plan = reloadPlan(before, known());
      if (plan.needsRestart) {
        log.warn(
          { host_root: policy.host_root, state_dir: policy.state_dir },
          'host_root, state_dir and metrics changes apply after a restart',
        );
      }
      queue.setConcurrency(jobSlots(policy.concurrency));
      gate?.recheck();
      discovery.setSettleMs(durationMs(policy.new_containers.settle));
      for (const { name, plan: next } of plan.plans) applyPlan(name, next);
      stale.checkAll();
      log.info({ changed: plan.changed }, 'policy reloaded');
    },
    policy: () => policy,
  };
}
