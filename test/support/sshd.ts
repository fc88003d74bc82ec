// Throwaway OpenSSH server on 127.0.0.1 for SFTP-target integration tests (root login by a fresh key).
//
// duplicity 0.8.22 against this fixture (verified in test/integration/target-fixtures.test.ts):
//   duplicity full --no-encryption
//     '--ssh-options=-oIdentityFile=<identityFile> -oUserKnownHostsFile=<knownHostsFile>'
//     SRC sftp://root@127.0.0.1:<port>/<dir>          (dir is absolute, so "//" after the port)
// sftp:// uses the paramiko backend. It only reads -oIdentityFile= (or -i), -oUserKnownHostsFile=
// and -oGlobalKnownHostsFile= out of --ssh-options and ignores StrictHostKeyChecking; an unknown
// host key makes it prompt on stdin, so the known_hosts file must already hold the key as
// "[127.0.0.1]:<port> ssh-ed25519 ...". It still reads ~/.ssh/config and /etc/ssh/ssh_config.
// duplicity 3.0.x: same paramiko code and regexes; --ssh-options is argparse there, so the value
// must be bound with "=" (a separate "-o..." word would be parsed as an option). Both accept it.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startFixtureProcess, type FixtureProcess } from './fixture-process.js';
import { freePort, makeTempDir, removeDir } from './temp.js';

// A running sshd and everything a client needs to log in to it without prompts.
export interface SftpServer {
  host: string;
  port: number;
  user: string;
  identityFile: string;
  knownHostsFile: string;
  // Empty directory on the "remote" side, to use as backup root.
  dir: string;
  // Pid of the sshd listener, so tests can check that stop() ended it.
  pid: number;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';
const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 3;

// Starts sshd in the foreground with its own host key, user key and config under a temp dir.
export async function startSshd(): Promise<SftpServer> {
  const base = await makeTempDir('sshd');
  try {
    const etc = join(base, 'etc');
    const dir = join(base, 'remote');
    await mkdir(etc, { mode: 0o700 });
    await mkdir(dir);
    // sshd refuses to start without its privilege-separation directory.
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    const hostKey = join(etc, 'ssh_host_ed25519_key');
    const identityFile = join(etc, 'id_ed25519');
    await generateKey(hostKey);
    await generateKey(identityFile);
    await writeFile(join(etc, 'authorized_keys'), await readFile(`${identityFile}.pub`));
    const hostPublic = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');

    const { port, daemon } = await listen(etc, hostKey);
    const knownHostsFile = join(etc, 'known_hosts');
    await writeFile(knownHostsFile, `[${HOST}]:${port} ${hostPublic}\n`);
    return {
      host: HOST,
      port,
      user: userInfo().username,
      identityFile,
      knownHostsFile,
      dir,
      pid: daemon.pid,
      async stop() {
        await daemon.stop();
        await removeDir(base);
      },
    };
  } catch (error) {
    await removeDir(base);
    throw error;
  }
}

// Writes an sshd_config for `port` and starts sshd, picking another port if the probed one was taken meanwhile.
async function listen(etc: string, hostKey: string): Promise<{ port: number; daemon: FixtureProcess }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await freePort();
    const config = join(etc, 'sshd_config');
    await writeFile(config, sshdConfig(etc, hostKey, port));
    try {
      // -D keeps it in the foreground so this pid is the listener; -e sends the log to stderr.
      const daemon = await startFixtureProcess(SSHD, ['-D', '-e', '-f', config], {
        ready: new RegExp(`Server listening on ${HOST.replaceAll('.', '\\.')} port ${port}\\b`),
      });
      return { port, daemon };
    } catch (error) {
      lastError = error;
      if (!String(error).includes('Address already in use')) throw error;
    }
  }
  throw lastError;
}

// The whole server config: loopback only, key auth only, sftp in-process so no sftp-server binary is needed.
function sshdConfig(etc: string, hostKey: string, port: number): string {
  return [
    `ListenAddress ${HOST}`,
    `Port ${port}`,
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${join(etc, 'authorized_keys')}`,
    `PidFile ${join(etc, 'sshd.pid')}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'UseDNS no',
    // Temp dirs live under a world-writable /tmp, which StrictModes would reject.
    'StrictModes no',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

// Generates an unencrypted ed25519 key pair at `file` and `file.pub`.
async function generateKey(file: string): Promise<void> {
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lxc-backup-test', '-f', file]);
}
