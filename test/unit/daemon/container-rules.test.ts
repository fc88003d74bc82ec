// The queue's safety-net timeout: past the engine's own limits, and capped for the timer.
import { describe, expect, it } from 'vitest';
import { SAFETY_MARGIN_MS, safetyTimeoutMs } from '../../../agent/daemon/container-rules.js';
import { MAX_TIMER_MS } from '../../../agent/policy/duration.js';
import { parsePolicy } from '../../../agent/policy/parse.js';
import type { Policy } from '../../../agent/policy/schema.js';

function policy(defaults: string): Policy {
  const text = `version: 1\nhost_root: /h\nstate_dir: /s\ndefaults: { encryption: { mode: none }, ${defaults} }\n`;
  const result = parsePolicy(text, 'policy.yaml');
  if (!result.policy) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.policy;
}

describe('safetyTimeoutMs', () => {
  it('lies past timeout plus capture_timeout, so the engine timeout always fires first', () => {
    expect(safetyTimeoutMs(policy('timeout: 2s, capture_timeout: 1m'), 'web')).toBe(2_000 + 60_000 + SAFETY_MARGIN_MS);
  });

  it('a timeout of 25D is capped for the timer instead of firing at once', () => {
    expect(safetyTimeoutMs(policy('timeout: 25D'), 'web')).toBe(MAX_TIMER_MS);
  });
});
