// Entry point of the bundled `lxc-backup` command: wiring only.
import { processIo } from './cli/io.js';
import { runCli } from './cli/run.js';
import { VERBS } from './cli/verb-registry.js';

process.exitCode = await runCli(process.argv.slice(2), VERBS, processIo);
