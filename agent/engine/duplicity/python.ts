// Which Python interpreter lxc-backup's own Python helpers run with.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

// The Python that runs duplicity (its #! line): its modules import there, it exists wherever
// duplicity does, and it is the real interpreter, not a wrapper on PATH; python3 otherwise.
let python: Promise<string> | undefined;
export async function duplicityPython(): Promise<string> {
  python ??= findDuplicityPython();
  return python;
}

async function findDuplicityPython(): Promise<string> {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const head = await readFile(join(dir, 'duplicity'), { encoding: 'utf8' }).catch(() => undefined);
    const shebang = head?.split('\n')[0] ?? '';
    const match = /^#!\s*(\/\S+)(?:\s+(\S+))?/.exec(shebang);
    if (!match) continue;
    // `#!/usr/bin/env python3`: the interpreter is the argument.
    const [, program = '', argument] = match;
    return program.endsWith('/env') && argument ? argument : program;
  }
  return 'python3';
}
