// boot-test containers: not yet.
import type { HelperContext } from './context.js';

// Stops and removes a boot-test container.
export async function removeBootContainer(_ctx: HelperContext, _lxcpath: string, _name: string): Promise<void> {}
