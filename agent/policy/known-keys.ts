// The keys the schema allows at a path, so an unknown key can be answered with the known ones.
import type * as z from 'zod';
import { valueAt } from './describe.js';

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

const def = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let d = def(current); d.innerType && d.type !== 'object'; d = def(current)) current = d.innerType;
  return current;
}

// Pick the option of a discriminated union the raw value selects (by `mode`).
function pickOption(options: z.ZodType[], raw: unknown): z.ZodType | undefined {
  const mode = (raw as { mode?: unknown } | undefined)?.mode;
  return options.find((option) => {
    const modeSchema = def(option).shape?.mode;
    return modeSchema && (modeSchema as unknown as { _zod: { def: { values: unknown[] } } })._zod.def.values.includes(mode);
  });
}

// Known keys of the mapping at `path` in the raw document, or [] when unknown.
export function knownKeysAt(schema: z.ZodType, root: unknown, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (let i = 0; i <= path.length && current; i++) {
    const d = def(current);
    if (d.type === 'union' && d.options) {
      current = pickOption(d.options, valueAt(root, path.slice(0, i)));
      if (!current) return [];
      continue;
    }
    if (i === path.length) return d.shape ? Object.keys(d.shape).filter((key) => key !== '$schema') : [];
    const key = path[i];
    if (key === undefined) return [];
    if (d.type === 'object') current = d.shape?.[String(key)];
    else if (d.type === 'record') current = d.valueType;
    else if (d.type === 'array') current = d.element;
    else return [];
    if (current) current = unwrap(current);
  }
  const last = current ? def(current) : undefined;
  return last?.shape ? Object.keys(last.shape) : [];
}
