// The owner marker every target carries (`lxc-backup-owner.json`): which agent installation
// writes there. Pure: format, parse and compare. It never holds a secret.
import { escapeControl } from '../../core/escape-control.js';

// The file name of the marker, next to duplicity's files on the target.
export const MARKER_NAME = 'lxc-backup-owner.json';
// A marker is a few hundred bytes; anything bigger is not ours and is never read whole.
export const MARKER_LIMIT = 64 * 1024;

// One agent installation: its state_dir's identity (state_dir/owner.json).
export interface OwnerIdentity {
  id: string;
  host: string;
  backup_container: string;
  created: string;
}

// What the marker says: the owner, the container it holds, and whom it was taken from.
export interface OwnerMarker {
  owner_id: string;
  host: string;
  backup_container: string;
  container: string;
  created: string;
  previous?: Omit<OwnerMarker, 'previous'>;
  // Set when the target already held duplicity files from before markers existed.
  adopted_existing_files?: boolean;
}

// The marker this identity writes for `container`; `previous` when taking a target over.
export function markerFor(
  identity: OwnerIdentity,
  container: string,
  extra: Pick<OwnerMarker, 'previous' | 'adopted_existing_files'> = {},
): OwnerMarker {
  return {
    owner_id: identity.id,
    host: identity.host,
    backup_container: identity.backup_container,
    container,
    created: new Date().toISOString(),
    ...extra,
  };
}

// The marker's file text.
export function formatMarker(marker: OwnerMarker): string {
  return `${JSON.stringify(marker, null, 2)}\n`;
}

const FIELDS = ['owner_id', 'host', 'backup_container', 'container', 'created'] as const;

// The marker in `text`, or a one-line reason it is not one ("expected …, got …").
export function parseMarker(text: string): OwnerMarker | { problem: string } {
  if (text.length > MARKER_LIMIT) return { problem: `expected at most ${MARKER_LIMIT} bytes, got ${text.length}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'expected JSON, got text that does not parse' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'expected a JSON object' };
  const record = value as Record<string, unknown>;
  for (const field of FIELDS) {
    const found = record[field];
    if (typeof found !== 'string' || found === '') {
      return { problem: `expected "${field}" to be a non-empty string, got ${found === undefined ? 'nothing' : typeof found}` };
    }
  }
  const marker = Object.fromEntries(FIELDS.map((field) => [field, record[field] as string])) as unknown as OwnerMarker;
  const previous = record.previous === undefined ? undefined : parseMarker(JSON.stringify(record.previous));
  if (previous && !('problem' in previous)) marker.previous = withoutPrevious(previous);
  if (record.adopted_existing_files === true) marker.adopted_existing_files = true;
  return marker;
}

function withoutPrevious(marker: OwnerMarker): Omit<OwnerMarker, 'previous'> {
  const { previous: _previous, ...rest } = marker;
  return rest;
}

// Whether the marker names this installation.
export function isOwnedBy(marker: OwnerMarker, identity: OwnerIdentity): boolean {
  return marker.owner_id === identity.id;
}

// "host/backup container (created …)" of a marker another machine wrote, escaped for a terminal.
export function describeOwner(marker: Pick<OwnerMarker, 'host' | 'backup_container' | 'created'>): string {
  const text = `${marker.host}/${marker.backup_container} (created ${marker.created})`;
  return escapeControl(text.length > 300 ? `${text.slice(0, 300)}…` : text);
}

// The refusal for a target that belongs to someone else, with the way out.
export function refusalMessage(target: string, container: string, owner: OwnerMarker | { problem: string }): string {
  const whose = 'problem' in owner ? `has an unreadable ${MARKER_NAME} (${owner.problem})` : `belongs to ${describeOwner(owner)}`;
  return `target ${target} ${whose}: refusing to write; if this container moved here, run \`lxc-backup adopt ${container}\``;
}

// The previous-owner record kept when a target is adopted.
export function previousOf(owner: OwnerMarker | { problem: string } | undefined): OwnerMarker['previous'] {
  if (!owner || 'problem' in owner) return undefined;
  return withoutPrevious(owner);
}
