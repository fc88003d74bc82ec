// The agent's answers to control requests, taken from the daemon.
import type { BackupRequest, ControlHandlers, DrillRequest, PruneRequest, TriggerReply } from '../control/protocol.js';
import type { Daemon } from '../daemon/daemon-options.js';

// Queues what a backup, prune or drill request names, as the daemon would for a manual run.
function trigger(daemon: Daemon, request: BackupRequest | PruneRequest | DrillRequest): TriggerReply {
  const names = request.all ? 'all' : (request.names ?? []);
  const full = request.type === 'backup' && request.full === true;
  return { ok: true, ...daemon.trigger(request.type, names, full) };
}

// One handler per control verb, each answering from `daemon`.
export function controlHandlers(daemon: Daemon): ControlHandlers {
  return {
    status: async () => ({ ok: true, status: daemon.status() }),
    backup: async (request) => trigger(daemon, request),
    prune: async (request) => trigger(daemon, request),
    drill: async (request) => trigger(daemon, request),
  };
}
