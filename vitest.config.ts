import { configDefaults, defineConfig } from 'vitest/config';

// Integration files that must run with nothing else on the machine: they assert measured
// bounds (startup, freeze/pause, stop, timeout, streaming), freeze real containers, or look at
// the host's own LXC store. Everything else in test/integration tolerates a neighbour.
const ALONE = [
  'agent-dead-target',
  'agent-hostile',
  'agent-scale',
  'agent-shutdown',
  'agent-start-recovery',
  'agent-state-rebuild',
  'consistency-*',
  'crash-agent',
  'discovery-hostile',
  'drill-boot*',
  'find-backup-container',
  'host-helper-*',
  'job-timeout',
  'lock-flock',
  'notify-agent',
  'prometheus-alert',
  'restore-progress',
  'rootfs-symlink',
  'status-cli',
  'vanished-source',
].map((name) => `test/integration/${name}.test.ts`);

// The projects scripts/test runs in this order: unit (files in parallel), then e2e and
// integration side by side (each one file at a time), then integration-alone by itself.
// A plain `npx vitest run` runs unit in parallel and the rest one file at a time.
export default defineConfig({
  test: {
    // Integration and e2e tests drive real processes (duplicity, sshd, LXC); give them room.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['test/support/global-teardown.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], maxWorkers: 1, sequence: { groupOrder: 1 } } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      { extends: true, test: { name: 'integration-alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 2 } } },
    ],
  },
});
