// Which consistency mode a backup uses, and why it is not the one asked for (pure).
import type { BackingStore } from '../../core/helper-protocol.js';

// What the policy asks for.
export type RequestedMode = 'live' | 'freeze' | 'snapshot' | 'auto';
// What a backup actually used: `stopped` needs no pause to be consistent.
export type UsedMode = 'snapshot' | 'freeze' | 'live' | 'stopped';

// The decision and, when it is not what was asked (or a weaker mode), the reason.
export interface ModeDecision {
  mode: UsedMode;
  reason?: string;
}

// What the decision is made from.
export interface ModeInput {
  requested: RequestedMode;
  // The helper's `state` answer, or why there is none.
  helper:
    | { available: false; reason: string }
    | { available: true; state: string; backing: BackingStore; snapshot: boolean; snapshotReason?: string };
  // When an earlier freeze of this container hit max_freeze: its time, and the limit.
  freezeLimitHit?: { at: string; maxFreeze: string };
}

// Backing stores whose files the agent reads under host_root, so a freeze (or a live read) sees them.
const READABLE: ReadonlySet<BackingStore> = new Set(['dir', 'btrfs', 'zfs']);

// Decides the mode: stopped when the guest is; auto = snapshot where possible, else freeze, else
// live; an explicit mode falls back the same way when it cannot be had, always with the reason.
export function decideMode(input: ModeInput): ModeDecision {
  const { requested, helper } = input;
  if (!helper.available) return requested === 'live' ? { mode: 'live' } : { mode: 'live', reason: helper.reason };
  if (helper.state === 'STOPPED') return { mode: 'stopped' };
  if (requested === 'live') return { mode: 'live' };
  const reasons: string[] = [];
  if (requested === 'snapshot' || requested === 'auto') {
    if (helper.snapshot) return { mode: 'snapshot' };
    reasons.push(`no snapshot: ${helper.snapshotReason ?? `not offered for a ${helper.backing} rootfs`}`);
  }
  const freeze = freezeProblem(input);
  if (!freeze) return reasons.length > 0 ? { mode: 'freeze', reason: reasons.join('; ') } : { mode: 'freeze' };
  reasons.push(freeze);
  return { mode: 'live', reason: reasons.join('; ') };
}

// Why a freeze cannot be used for this backup, or undefined when it can.
function freezeProblem(input: ModeInput): string | undefined {
  const { helper } = input;
  if (!helper.available) return helper.reason;
  if (!READABLE.has(helper.backing)) return `no freeze: a ${helper.backing} rootfs is not readable under host_root`;
  if (helper.state === 'FROZEN') return 'no freeze: the container is already FROZEN by someone else (left as it is, never thawed by us)';
  if (helper.state !== 'RUNNING') return `no freeze: the container is ${helper.state}`;
  if (input.freezeLimitHit)
    return `no freeze: the last freeze (${input.freezeLimitHit.at}) hit max_freeze ${input.freezeLimitHit.maxFreeze}; this try runs live, the next one freezes again`;
  return undefined;
}
