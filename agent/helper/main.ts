// lxc-backup-helper: the host side of the backup container's requests (core/helper-protocol.ts).
// Runs as root on the host: reads its config, undoes what a previous run left, then serves
// sessions until SIGTERM, when it ends every session (undoing what each held) and exits.
import type { Socket } from 'node:net';
import { errorMessage } from '../core/error-message.js';
import { createLogger } from '../core/log.js';
import { parseHelperConfig } from './config.js';
import { helperContext } from './context.js';
import { recoverLeftovers } from './recover.js';
import { listen } from './server.js';
import { serveSession } from './session.js';

async function main(): Promise<void> {
  process.umask(0o077);
  const config = parseHelperConfig(process.argv.slice(2));
  // stderr: systemd's journal keeps it; stdout stays free.
  const log = createLogger(process.stderr);
  const ctx = helperContext(config, log);
  await recoverLeftovers(ctx);
  const sessions = new Map<Socket, Promise<void>>();
  const server = await listen(config.socket, (socket) => {
    const done = serveSession(ctx, socket);
    sessions.set(socket, done);
    void done.then(() => sessions.delete(socket));
  });
  log.info({ verb: 'start', result: 'ok', lxcpath: config.lxcpath, max_freeze_s: config.max_freeze_s }, 'host helper listening');
  const stop = async (): Promise<void> => {
    server.close();
    for (const socket of sessions.keys()) socket.destroy();
    await Promise.all(sessions.values());
    log.info({ verb: 'stop', result: 'ok' }, 'host helper stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`lxc-backup-helper: ${errorMessage(error)}\n`);
  process.exit(2);
});
