// The JSON Schema editors use to complete and check policy.yaml, generated from the zod schema.
import * as z from 'zod';
import { policySchema } from './schema.js';

// The schema document as committed at templates/policy.schema.json.
export function policyJsonSchema(): string {
  const schema = z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'lxc-backup policy' }, null, 2)}\n`;
}
