// Fidelity beyond duplicity: capture xattrs/ACLs/capabilities, hard links and holes at backup
// time into a metadata directory, and apply them after a restore.
export { captureMetadata } from './capture.js';
export type { CaptureOptions, MetadataSummary } from './capture.js';
export { describeSkipped } from './skipped.js';
export type { SkippedEntries } from './skipped.js';
export { applyMetadata, parseApplySummary } from './apply.js';
export type { ApplySummary } from './apply.js';
export { APPLY_PY, APPLY_SCRIPT, README_TEXT } from './apply-script.js';
export {
  decodeHardlinks,
  encodeHardlinks,
  encodeSparse,
  FIND_PRINTF,
  isSparse,
  parseFindOutput,
  planFidelity,
  scanFindOutput,
} from './parse-find-output.js';
export type { FidelityPlan, FileStat, FindScan, SparseFile } from './parse-find-output.js';
