// Layer rules for agent/: each folder is a layer and imports only the layers below it.
// `npm run depcruise` (part of `npm run lint`, which scripts/test runs) fails on an arrow
// that points up. The README's "Source code" section describes the layers.
//   core ← schedule ← policy ← discovery ← engine, daemon ← notify, metrics, control ← app ← cli ← main.ts
// helper/ is the host helper, a separate program (dist/lxc-backup-helper.mjs) that runs as
// root on the host: it may use core/ only, so what it trusts stays small enough to audit.
const below = {
  core: [],
  helper: ['core'],
  schedule: ['core'],
  policy: ['core', 'schedule'],
  discovery: ['core', 'policy'],
  engine: ['core', 'schedule', 'policy', 'discovery'],
  // The daemon reaches the engine only through the runner contract in core/job.ts; app/ wires them.
  daemon: ['core', 'schedule', 'policy', 'discovery'],
  notify: ['core', 'schedule', 'policy', 'daemon'],
  metrics: ['core', 'schedule', 'policy', 'daemon'],
  control: ['core', 'schedule', 'policy', 'daemon'],
  app: ['core', 'schedule', 'policy', 'discovery', 'engine', 'daemon', 'notify', 'metrics', 'control'],
  cli: ['core', 'schedule', 'policy', 'discovery', 'engine', 'daemon', 'notify', 'metrics', 'control', 'app'],
};

const layerRules = Object.entries(below).map(([layer, allowed]) => ({
  name: `layer-${layer}`,
  comment: `agent/${layer}/ may import only ${allowed.length ? allowed.map((l) => `agent/${l}/`).join(', ') : 'itself'} (and itself)`,
  severity: 'error',
  from: { path: `^agent/${layer}/` },
  to: { path: '^agent/', pathNot: [`^agent/${layer}/`, ...allowed.map((l) => `^agent/${l}/`)] },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'agent-files-live-in-a-layer',
      comment: 'only main.ts sits at the top of agent/; everything else is in a layer folder',
      severity: 'error',
      from: { path: '^agent/[^/]+$', pathNot: '^agent/main\\.ts$' },
      to: {},
    },
    {
      name: 'main-wires-only-the-cli',
      severity: 'error',
      from: { path: '^agent/main\\.ts$' },
      to: { path: '^agent/', pathNot: '^agent/cli/' },
    },
    { name: 'no-circular', severity: 'error', from: { path: '^agent/' }, to: { circular: true } },
    { name: 'not-to-test', severity: 'error', from: { path: '^agent/' }, to: { path: '^(test|bench)/' } },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs'],
    },
  },
};
