// A displayable copy of a container's policy with every secret reference shown as `***`.
import { isSecretPath } from './describe.js';
import type { ContainerPolicy } from './resolve.js';

function maskValue(value: unknown, path: PropertyKey[]): unknown {
  if (Array.isArray(value)) return value.map((item, index) => maskValue(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskValue(inner, [...path, key])]));
  }
  return isSecretPath(path) && value !== undefined && value !== null ? '***' : value;
}

// The container policy with secrets masked, ready for `policy show`.
export function maskContainerPolicy(resolved: ContainerPolicy): ContainerPolicy {
  return { ...resolved, settings: maskValue(resolved.settings, []) as ContainerPolicy['settings'] };
}
