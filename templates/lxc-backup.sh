#!/bin/sh
# lxc-backup CLI, installed as /usr/local/bin/lxc-backup by scripts/provision; the systemd
# unit starts the agent through it too.
bundle=${LXC_BACKUP_BUNDLE:-/opt/lxc-backup/lxc-backup.mjs}
if [ "$1" = agent ]; then
  # The agent mostly waits. With V8's defaults its young generation grows to 16-32 MB during
  # a cycle of backups and the RSS with it; these keep it near 2 MB (BENCHMARKS.md). They only
  # take hold on the command line: set from inside the process, V8 applies them erratically.
  # --expose-gc: one collection after start-up and whenever the job queue drains
  # (agent/daemon/idle-memory.ts).
  exec node --max-semi-space-size=1 --optimize-for-size --expose-gc "$bundle" "$@"
fi
exec node "$bundle" "$@"
