// Regenerates templates/policy.schema.json from the zod schema (npm run schema).
import { writeFile } from 'node:fs/promises';
import { policyJsonSchema } from '../agent/policy/json-schema.js';

await writeFile(new URL('../templates/policy.schema.json', import.meta.url), policyJsonSchema());
