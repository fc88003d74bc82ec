// The status page's script (inlined into status-page.html by status-page.ts): it fetches
// status.json and history/NAME.json from the agent and builds the tables and charts.

// Every value from the agent goes into the page through textContent or setAttribute, never as
// markup: container names, errors and paths may be chosen by a guest.
// The SVG namespace, from an <svg> the parser made (so the page holds no URL at all).
const SVG_NS = document.getElementById('svg-ns').namespaceURI;
const byId = (id) => document.getElementById(id);
let selected = null;

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}
function svgEl(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}
function cell(row, label, text, className) {
  const td = el('td', text, { 'data-label': label });
  if (className) td.className = className;
  row.append(td);
  return td;
}

// A small chart of one container's backups: size and duration lines, failures as red dots.
function chart(series) {
  const w = 160,
    h = 40,
    pad = 3;
  const box = svgEl('svg', { viewBox: `0 0 ${w} ${h}`, class: 'chart', role: 'img', preserveAspectRatio: 'none' });
  const title = svgEl('title', {});
  title.textContent = `${series.length} backup(s): size written, duration; failures in red`;
  box.append(title, svgEl('path', { class: 'base', d: `M0,${h - 0.5}H${w}` }));
  const x = (i) => (series.length < 2 ? w / 2 : pad + (i * (w - 2 * pad)) / (series.length - 1));
  for (const [key, cls] of [
    ['bytes', 'size'],
    ['duration_ms', 'duration'],
  ]) {
    const values = series.map((p) => (p.outcome === 'failed' ? null : p[key])).filter((v) => typeof v === 'number');
    const max = Math.max(1, ...values);
    const points = [];
    series.forEach((p, i) => {
      const v = p.outcome === 'failed' ? null : p[key];
      if (typeof v === 'number') points.push([x(i), h - pad - (v / max) * (h - 2 * pad)]);
    });
    // One point is drawn as a short dash, so it is visible and still a path.
    if (points.length === 1) points.push([points[0][0] + 4, points[0][1]]);
    const d = points.map((p, i) => `${i ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}`).join('');
    if (d) box.append(svgEl('path', { class: cls, d }));
  }
  series.forEach((p, i) => {
    if (p.outcome !== 'failed') return;
    const dot = svgEl('circle', { class: 'fail', cx: x(i).toFixed(1), cy: h - pad, r: 2.5 });
    const tip = svgEl('title', {});
    tip.textContent = `failed ${localTime(p.time)}`;
    dot.append(tip);
    box.append(dot);
  });
  return box;
}

function renderStatus(status) {
  byId('updated').textContent = `updated ${new Date(status.generated).toLocaleTimeString()}`;
  const policy = byId('policy');
  policy.textContent = `policy ${status.policy.path}${status.policy.valid ? ' (valid)' : ` INVALID, running the last good one: ${status.policy.error || ''}`}`;
  policy.className = status.policy.valid ? '' : 'bad';
  const body = byId('containers').tBodies[0];
  body.replaceChildren();
  if (status.containers.length === 0) {
    const row = el('tr');
    cell(row, 'Container', 'no containers found').colSpan = 8;
    body.append(row);
  }
  for (const c of status.containers) {
    const row = el('tr', null, { class: `container${c.name === selected ? ' selected' : ''}` });
    row.dataset.name = c.name;
    const link = el('a', c.name, { href: `#${encodeURIComponent(c.name)}` });
    cell(row, 'Container', null).append(link);
    let state = c.state;
    if (c.retry_at && c.state !== 'running') state += ` (retry ${when(c.retry_at)})`;
    cell(row, 'State', state, `state state-${c.state}`);
    cell(row, 'Last success', c.last_success ? when(c.last_success) : 'never').title = c.last_success || '';
    const mode = consistencyMode(c);
    cell(row, 'Mode', mode.text).title = mode.title;
    const check = verified(c);
    cell(row, 'Verified', check.text, check.cls).title = check.title;
    cell(row, 'Next run', when(c.next_run)).title = c.next_run || '';
    const sizes = cell(row, 'Size / duration', null);
    sizes.append(chart(c.series || []));
    if (typeof c.size_bytes === 'number') sizes.append(el('div', `chain ${bytes(c.size_bytes)}`, { class: 'muted' }));
    cell(row, 'Last error', (c.last_error || '').split('\n')[0], 'error');
    body.append(row);
  }
}

function renderDetail(name, data) {
  byId('detail').hidden = false;
  byId('detail-name').textContent = name;
  const chain = data.chain;
  byId('detail-chain').textContent = chain
    ? chain.chains +
      ' chain(s) on the target; ' +
      chain.setsInActiveChain +
      ' set(s) in the active chain' +
      (chain.lastFull ? `; last full ${localTime(chain.lastFull)}` : '') +
      (chain.lastBackup ? `; last backup ${localTime(chain.lastBackup)}` : '')
    : 'no chain recorded yet';
  const chains = byId('chains').tBodies[0];
  chains.replaceChildren();
  for (const c of data.chains.slice().reverse()) {
    const row = el('tr');
    cell(row, 'Full', c.full ? localTime(c.full) : '(before the history)');
    cell(row, 'Newest set', localTime(c.last));
    cell(row, 'Incrementals', c.incrementals);
    cell(row, 'Written', bytes(c.bytes));
    chains.append(row);
  }
  const history = byId('history').tBodies[0];
  history.replaceChildren();
  for (const job of data.jobs.slice().reverse()) {
    const row = el('tr', null, { class: 'job' });
    cell(row, 'Time', localTime(job.time));
    cell(row, 'Action', job.action);
    cell(row, 'Outcome', job.outcome, `outcome-${job.outcome}`);
    cell(row, 'Duration', typeof job.duration_ms === 'number' ? span(job.duration_ms) : '–');
    cell(row, 'Written', bytes(job.bytes));
    cell(row, 'Set', job.set_type || '–');
    cell(row, 'Mode', job.consistency || '–');
    cell(row, 'Error', (job.error || '').split('\n')[0], 'error');
    history.append(row);
  }
  if (data.jobs.length === 0) {
    const row = el('tr');
    cell(row, 'Time', 'no jobs recorded yet').colSpan = 8;
    history.append(row);
  }
}

async function getJson(path) {
  const reply = await fetch(path, { cache: 'no-store', credentials: 'same-origin' });
  if (!reply.ok) throw new Error(`${path}: HTTP ${reply.status}`);
  return reply.json();
}
async function refresh() {
  try {
    renderStatus(await getJson('status.json'));
  } catch (error) {
    byId('updated').textContent = `cannot reach the agent: ${error.message}`;
  }
}
async function showSelected() {
  const name = location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : null;
  selected = name;
  for (const row of document.querySelectorAll('tr.container')) row.classList.toggle('selected', row.dataset.name === name);
  if (!name) {
    byId('detail').hidden = true;
    return;
  }
  try {
    renderDetail(name, await getJson(`history/${encodeURIComponent(name)}.json`));
  } catch (error) {
    byId('detail').hidden = false;
    byId('detail-name').textContent = name;
    byId('detail-chain').textContent = `cannot load its history: ${error.message}`;
  }
}
window.addEventListener('hashchange', showSelected);
refresh().then(showSelected);
setInterval(refresh, 30000);
