// Every CLI verb, in the order `--help` lists them.
import { adoptVerb } from './adopt.js';
import { agentVerb } from './agent.js';
import { backupVerb } from './backup.js';
import { configRecordVerb } from './config-record.js';
import { drillVerb } from './drill.js';
import { filesVerb } from './files.js';
import { historyVerb } from './history.js';
import { listVerb } from './list.js';
import { notifyTestVerb } from './notify-test.js';
import { policyCheckVerb } from './policy-check.js';
import { policyShowVerb } from './policy-show.js';
import { pruneVerb } from './prune.js';
import { restoreVerb } from './restore.js';
import { statusVerb } from './status.js';
import { verifyVerb } from './verify.js';
import type { Verb } from './verb.js';

export const VERBS: readonly Verb[] = [
  agentVerb,
  statusVerb,
  backupVerb,
  pruneVerb,
  listVerb,
  historyVerb,
  filesVerb,
  verifyVerb,
  restoreVerb,
  drillVerb,
  configRecordVerb,
  adoptVerb,
  policyCheckVerb,
  policyShowVerb,
  notifyTestVerb,
];
