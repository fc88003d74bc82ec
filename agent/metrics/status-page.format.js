// The status page's formatting of values (inlined before status-page.client.js, which uses
// these functions): relative and local times, sizes, and the VERIFIED and consistency-mode
// cells, read the same way as the CLI's `status` table (agent/cli/status-format.ts).
// biome-ignore-all lint/correctness/noUnusedVariables: used by status-page.client.js, inlined after this file into one script

function span(ms) {
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 172800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}
function when(iso) {
  if (!iso) return '–';
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return String(iso);
  const diff = at - Date.now();
  if (Math.abs(diff) < 1000) return 'now';
  return diff > 0 ? `in ${span(diff)}` : `${span(diff)} ago`;
}
function localTime(iso) {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? String(iso) : at.toLocaleString();
}
function bytes(n) {
  if (typeof n !== 'number') return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n,
    unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit && value < 10 ? value.toFixed(1) : Math.floor(value)} ${units[unit]}`;
}
// VERIFIED: when the newest drill passed, `failed` after a failed one, `off` (why in the
// tooltip) when scheduled drills are off, – before any drill.
function verified(c) {
  if (c.drills_off) {
    const text = c.drills_off.cause === 'no_key' ? 'off (no key)' : 'off';
    return { text, title: c.drills_off.reason, cls: 'muted' };
  }
  const drill = c.last_drill;
  if (drill && !drill.ok) {
    const named = (drill.examples || []).join(', ');
    return { text: 'failed', title: `drill ${localTime(drill.at)}${named ? `: ${named}` : ''}`, cls: 'state-failing' };
  }
  if (!c.last_verified) return { text: '–', title: 'no restore drill yet', cls: '' };
  return { text: when(c.last_verified), title: localTime(c.last_verified), cls: c.state === 'unverified' ? 'state-stale' : '' };
}

// The last successful backup's consistency mode (snapshot, freeze, live, stopped), why in the tooltip.
function consistencyMode(c) {
  if (!c.consistency) return { text: '–', title: '' };
  return { text: c.consistency.mode, title: c.consistency.reason || '' };
}
