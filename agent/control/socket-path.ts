// Where the agent's control socket lives; agent and CLI both honour $LXC_BACKUP_SOCKET
// so tests (and several agents on one machine) can use their own.

const DEFAULT_SOCKET = '/run/lxc-backup/agent.sock';

// The control socket path for this environment.
export function agentSocketPath(env: NodeJS.ProcessEnv): string {
  return env.LXC_BACKUP_SOCKET || DEFAULT_SOCKET;
}
