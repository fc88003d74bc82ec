// The host helper's protocol: what the backup container may ask the host to do to another
// container. One JSON object per line each way over a unix stream socket, one reply per
// request, in order. A connection is a session: every freeze and snapshot taken on it is
// undone (thawed, released) when it closes, however it closes, so an agent that dies never
// leaves a guest paused. Both ends validate what they receive; the helper also checks every
// name against the host's own container list and never acts on the backup container.
import * as z from 'zod';

// The protocol version `hello` reports; bumped on an incompatible change.
export const HELPER_PROTOCOL_VERSION = 1;

// A container name as the helper accepts it: the same rule as core/container-name.ts, so
// no path characters, no leading dot or dash, at most 64 bytes (LXC's own limit).
const nameField = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/)
  .max(64);
const id = z.number().int().min(0);

// `hello`: what this helper offers and its limits.
const helloRequest = z.object({ id, verb: z.literal('hello') });
// `state`: the container's run state and backing store, and whether the helper can snapshot it.
const stateRequest = z.object({ id, verb: z.literal('state'), name: nameField });
// `freeze`: pause a RUNNING container for at most `max_s` seconds (capped by the helper's own
// max_freeze). Refused for a container that is already FROZEN: one the admin froze is never ours.
const freezeRequest = z.object({ id, verb: z.literal('freeze'), name: nameField, max_s: z.number().positive().max(3600) });
// `thaw`: undo this session's freeze of the container.
const thawRequest = z.object({ id, verb: z.literal('thaw'), name: nameField });
// `snapshot`: freeze (if running), take a read-only snapshot of the rootfs, thaw, and expose it
// under the host lxcpath at `path`; held until `release` or the end of the session.
const snapshotRequest = z.object({ id, verb: z.literal('snapshot'), name: nameField, max_s: z.number().positive().max(3600) });
// `release`: drop this session's snapshot of the container.
const releaseRequest = z.object({ id, verb: z.literal('release'), name: nameField });
// `hook`: run the guest's own /etc/lxc-backup/<phase>-backup inside it (lxc-attach), if it is
// an executable regular file there; bounded by `timeout_s`.
const hookRequest = z.object({
  id,
  verb: z.literal('hook'),
  name: nameField,
  phase: z.enum(['pre', 'post']),
  timeout_s: z.number().positive().max(3600),
});
// `boot-test`: start the tree under the helper's restore scratch at `dir` (a relative path,
// no `..`) as a temporary container with no network, report whether init came up within
// `timeout_s`, and destroy it whatever happened.
const bootTestRequest = z.object({
  id,
  verb: z.literal('boot-test'),
  dir: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[A-Za-z0-9._+-]+(\/[A-Za-z0-9._+-]+)*$/)
    .refine((dir) => !dir.split('/').some((part) => part === '..' || part === '.'), 'no . or .. components'),
  timeout_s: z.number().positive().max(600),
});

// Every request the helper answers; anything else is refused.
export const helperRequestSchema = z.discriminatedUnion('verb', [
  helloRequest,
  stateRequest,
  freezeRequest,
  thawRequest,
  snapshotRequest,
  releaseRequest,
  hookRequest,
  bootTestRequest,
]);
// A request to the host helper.
export type HelperRequest = z.infer<typeof helperRequestSchema>;
// The name of a helper verb.
export type HelperVerb = HelperRequest['verb'];
// Every verb, for `hello` and for messages.
export const HELPER_VERBS: readonly HelperVerb[] = ['hello', 'state', 'freeze', 'thaw', 'snapshot', 'release', 'hook', 'boot-test'];

// How a container's rootfs is stored, as far as snapshots go.
export const backingStoreSchema = z.enum(['dir', 'btrfs', 'zfs', 'lvm', 'other']);
// A backing store kind.
export type BackingStore = z.infer<typeof backingStoreSchema>;

// The good replies, one shape per verb (all carry `id` and `ok: true`).
const good = { id, ok: z.literal(true) };
export const helperReplySchemas = {
  hello: z.object({
    ...good,
    version: z.number().int(),
    verbs: z.array(z.string()),
    max_freeze_s: z.number(),
    host: z.string(),
  }),
  state: z.object({
    ...good,
    state: z.string(),
    backing: backingStoreSchema,
    // Whether `snapshot` works for this container here, and if not, why.
    snapshot: z.boolean(),
    snapshot_reason: z.string().optional(),
  }),
  freeze: z.object({ ...good }),
  // `paused_ms`: how long the guest was frozen; `limit_hit`: the helper thawed it at max_s.
  thaw: z.object({ ...good, paused_ms: z.number(), limit_hit: z.boolean() }),
  // `path`: the snapshot's rootfs, relative to the host lxcpath (as the backup container sees
  // it under host_root); `paused_ms`: how long the guest was frozen for it.
  snapshot: z.object({ ...good, path: z.string(), backing: backingStoreSchema, paused_ms: z.number() }),
  release: z.object({ ...good }),
  // `ran`: false when the guest has no executable hook; `output`: the tail, escaped.
  hook: z.object({ ...good, ran: z.boolean(), exit_code: z.number().int().optional(), output: z.string(), duration_ms: z.number() }),
  'boot-test': z.object({ ...good, booted: z.boolean(), detail: z.string(), duration_ms: z.number() }),
} satisfies { [V in HelperVerb]: z.ZodType };
// The good reply to a request of verb V.
export type HelperReply<V extends HelperVerb> = z.infer<(typeof helperReplySchemas)[V]>;

// Why a request was not carried out: `refused` (invalid, not allowed), `failed` (tried, did not
// work), `timeout` (hit its time limit and was undone).
export const helperErrorReplySchema = z.object({
  id: id.optional(),
  ok: z.literal(false),
  code: z.enum(['refused', 'failed', 'timeout']),
  error: z.string(),
});
// A refused or failed request.
export type HelperErrorReply = z.infer<typeof helperErrorReplySchema>;

// Where the helper's socket is, inside the backup container: provision bind-mounts the host's
// /run/lxc-backup-helper directory there, and nowhere else. Not under the container's /run,
// which its systemd mounts a fresh tmpfs over, hiding the bind.
export const HELPER_SOCKET_IN_CONTAINER = '/mnt/lxc-backup-helper/helper.sock';
// Where the helper's socket is on the host.
export const HELPER_SOCKET_ON_HOST = '/run/lxc-backup-helper/helper.sock';
// Where snapshots are exposed, relative to the host lxcpath; not a container name (leading dot).
export const SNAPSHOT_DIR = '.lxc-backup-snapshots';
