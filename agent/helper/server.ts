// The helper's socket: the one systemd passes (socket activation, fd 3), or its own at
// config.socket, mode 0600 in a 0700 directory.
import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';

// At most this many sessions at once; more are refused by the kernel's backlog and closed.
const MAX_SESSIONS = 16;

// Listens and calls `onSession` for every connection.
export async function listen(socketPath: string, onSession: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onSession);
  server.maxConnections = MAX_SESSIONS;
  if (process.env.LISTEN_FDS === '1' && process.env.LISTEN_PID === String(process.pid)) {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen({ fd: 3 }, resolve));
    return server;
  }
  const dir = dirname(socketPath);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  if ((await lstat(socketPath).catch(() => undefined))?.isSocket()) {
    if (await answers(socketPath)) throw new Error(`${socketPath}: another helper is listening there`);
    await unlink(socketPath);
  }
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  await chmod(socketPath, 0o600);
  return server;
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
