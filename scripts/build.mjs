// Bundles the agent and CLI into one file that runs with plain `node`, no node_modules.
import { build } from 'esbuild';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';

// A module `X.text.js` is replaced by the text of file X (from source it reads X at run time:
// see agent/engine/fidelity/apply.py.text.ts), so the bundle carries it and needs no file beside it.
const textModules = {
  name: 'text-modules',
  setup(b) {
    b.onResolve({ filter: /\.text\.js$/ }, (args) => ({
      path: join(args.resolveDir, args.path.slice(0, -'.text.js'.length)),
      namespace: 'text-file',
    }));
    b.onLoad({ filter: /.*/, namespace: 'text-file' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};

// LXC_BACKUP_BUILD_OUT lets tests build a copy elsewhere.
const outfile = process.env.LXC_BACKUP_BUILD_OUT ?? 'dist/lxc-backup.mjs';
await bundle('agent/main.ts', outfile, 'node20.19');
// The host helper runs on the host with the host's Node: Debian 12 has 18.
// LXC_BACKUP_HELPER_BUILD_OUT lets tests build a copy elsewhere.
await bundle('agent/helper/main.ts', process.env.LXC_BACKUP_HELPER_BUILD_OUT ?? 'dist/lxc-backup-helper.mjs', 'node18');

async function bundle(entry, out, target) {
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    plugins: [textModules],
    platform: 'node',
    target,
    format: 'esm',
    // Some bundled CommonJS dependencies (pino) call require(); give ESM output a real one.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __lxcBackupCreateRequire } from 'node:module';\nconst require = __lxcBackupCreateRequire(import.meta.url);",
    },
    legalComments: 'none',
    // No comments in the bundle: V8 keeps the source in memory, and one non-Latin-1 character in a
    // dependency's comment (p-queue's emoji) doubles it to UTF-16. Identifiers stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
  await chmod(out, 0o755);
}
