// The one error a verb throws to answer `ok: false`: refused (not allowed), failed (tried and
// did not work) or timeout (hit its limit and was undone). Anything else thrown is `failed`.
import type { HelperErrorReply } from '../core/helper-protocol.js';

// A request that was not carried out, with the reason the client sees.
export class HelperFailure extends Error {
  constructor(
    readonly code: HelperErrorReply['code'],
    message: string,
  ) {
    super(message);
    this.name = 'HelperFailure';
  }
}

// Throws a `refused` HelperFailure.
export function refuse(message: string): never {
  throw new HelperFailure('refused', message);
}
