// @ts-check
/**
 * The import rules `npm run lint` enforces (dependency-cruiser). Why and what: docs/architecture.md, "Feature
 * modules and import rules". In short:
 *
 * - A feature folder (`apps/<app>/src/<feature>/`) is seen from outside only through its `index.ts`; its
 *   other files, sub-folders included, are internal. Its own tests may import them.
 * - Features import only the features their app's layering below allows (which makes cycles impossible), and
 *   never the app's root files (the app module, main.ts).
 * - An app never imports another app (one exception: the CLI runs the projector's rebuild through its public
 *   surface); a lib never imports an app; libs import only the libs below them.
 * - No file-level import cycle anywhere.
 *
 * A new feature folder goes into FEATURES with what it may import; a folder missing there fails the lint.
 */
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

/** Per app: each feature folder and the features it may import. Lower layers first. */
const FEATURES = {
  gateway: {
    'rate-limit': [],
    idempotency: [],
    customers: [],
    'customer-events': ['customers', 'idempotency', 'rate-limit'],
  },
  projector: {
    directory: [],
    lag: [],
    projection: [],
    timeline: ['directory', 'lag'],
    live: ['directory', 'projection', 'timeline'],
    customers: ['directory'],
    rebuild: ['projection'],
  },
  'webhook-dispatcher': {
    shared: [],
    net: [],
    secrets: [],
    targets: ['shared', 'net', 'secrets'],
    delivery: ['shared', 'secrets', 'targets'],
    dispatch: ['shared', 'net', 'secrets', 'delivery'],
  },
  cli: {
    import: [],
    topics: [],
    commands: ['import', 'topics'],
  },
};

/** Each lib and the libs it may import. Lower layers first. */
const LIBS = {
  contracts: [],
  config: [],
  runtime: [],
  database: [],
  observability: ['contracts'],
  kafka: ['contracts', 'config', 'observability'],
  http: ['contracts', 'config', 'database', 'kafka', 'observability'],
  auth: ['contracts', 'config', 'database', 'kafka', 'http'],
  platform: ['contracts', 'config', 'database', 'kafka', 'observability', 'http'],
};

/** The one import across apps: the CLI's `projector rebuild` boots the projector's rebuild feature. */
const CROSS_APP_SURFACES = ['^apps/projector/src/rebuild/index\\.ts$'];

/** Throws when a layering declares a cycle (a layer importing, directly or not, itself). */
function assertAcyclic(name, graph) {
  const state = new Map();
  const visit = (node, path) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'active')
      throw new Error(`${name}: the layering has a cycle: ${[...path, node].join(' -> ')}`);
    if (!(node in graph))
      throw new Error(`${name}: "${path.at(-1)}" may import "${node}", which is not declared`);
    state.set(node, 'active');
    for (const next of graph[node]) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of Object.keys(graph)) visit(node, []);
}

/** Folders of `dir` that hold TypeScript (static pages and assets are not features). */
function tsFolders(dir) {
  if (!existsSync(dir)) return [];
  const holdsTs = (path) =>
    readdirSync(path, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? holdsTs(join(path, e.name)) : e.name.endsWith('.ts'),
    );
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && holdsTs(join(dir, e.name)))
    .map((e) => e.name);
}

/** Throws when a folder on disk is not in the layering: every feature and lib has a declared place. */
function assertDeclared(root) {
  for (const app of tsFolders(join(root, 'apps'))) {
    const declared = FEATURES[app] ?? {};
    for (const folder of tsFolders(join(root, 'apps', app, 'src')))
      if (!(folder in declared))
        throw new Error(
          `apps/${app}/src/${folder}/ is not in FEATURES of .dependency-cruiser.cjs: give it a layer`,
        );
  }
  for (const lib of tsFolders(join(root, 'libs')))
    if (!(lib in LIBS))
      throw new Error(`libs/${lib}/ is not in LIBS of .dependency-cruiser.cjs: give it a layer`);
}

const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const oneOf = (names) => `(${names.map(escape).join('|')})`;

/** Rules built from the layerings: one per feature and per lib, naming what it may import. */
function layeringRules() {
  const rules = [];
  for (const [app, features] of Object.entries(FEATURES)) {
    assertAcyclic(`apps/${app}`, features);
    for (const [feature, allowed] of Object.entries(features)) {
      const src = `^apps/${escape(app)}/src/`;
      rules.push({
        name: 'feature-layering',
        severity: 'error',
        comment:
          `apps/${app}/src/${feature}/ may import only ` +
          (allowed.length ? allowed.join(', ') : 'no other feature') +
          ' (the layering in .dependency-cruiser.cjs and docs/architecture.md)',
        from: { path: `${src}${escape(feature)}/` },
        to: { path: `${src}[^/]+/`, pathNot: `${src}${oneOf([feature, ...allowed])}/` },
      });
    }
  }
  assertAcyclic('libs', LIBS);
  for (const [lib, allowed] of Object.entries(LIBS)) {
    rules.push({
      name: 'lib-layering',
      severity: 'error',
      comment: `libs/${lib} may import only ${allowed.length ? allowed.join(', ') : 'no other lib'}`,
      from: { path: `^libs/${escape(lib)}/` },
      to: { path: '^libs/[^/]+/', pathNot: `^libs/${oneOf([lib, ...allowed])}/` },
    });
  }
  return rules;
}

assertDeclared(__dirname);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'feature-deep-import',
      severity: 'error',
      comment: "Another feature's files are internal: import its index.ts (the feature folder itself).",
      from: { path: '^(apps/[^/]+/src)/([^/]+)/' },
      to: { path: '^$1/[^/]+/', pathNot: ['^$1/$2/', '^$1/[^/]+/index\\.ts$'] },
    },
    {
      name: 'app-root-deep-import',
      severity: 'error',
      comment: 'The app module and main.ts see features through their index.ts only.',
      from: { path: '^(apps/[^/]+/src)/[^/]+$' },
      to: { path: '^$1/[^/]+/', pathNot: '^$1/[^/]+/index\\.ts$' },
    },
    {
      name: 'outside-deep-import',
      severity: 'error',
      comment:
        'Code outside apps (tests, bench, scripts) sees a feature through its index.ts only; the architecture ' +
        'specs (test/architecture/) read repositories themselves, to hold every one of them to the tenancy rules.',
      from: { pathNot: '^(apps/|test/architecture/)' },
      to: { path: '^apps/[^/]+/src/[^/]+/', pathNot: '^apps/[^/]+/src/[^/]+/index\\.ts$' },
    },
    {
      name: 'feature-imports-app-root',
      severity: 'error',
      comment:
        'Features never import the app module or main.ts: that would be a cycle. Shared code goes in a lower feature.',
      from: { path: '^(apps/[^/]+/src)/[^/]+/' },
      to: { path: '^$1/[^/]+$' },
    },
    {
      name: 'app-imports-app',
      severity: 'error',
      comment: 'An app never imports another app.',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/cli/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'cli-imports-app',
      severity: 'error',
      comment:
        "The CLI reaches another app only through the surfaces in CROSS_APP_SURFACES (the projector's rebuild).",
      from: { path: '^apps/cli/' },
      to: { path: '^apps/(?!cli/)', pathNot: CROSS_APP_SURFACES },
    },
    {
      name: 'lib-imports-app',
      severity: 'error',
      comment: 'Libs are below every app: a lib never imports an app.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    ...layeringRules(),
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'No file-level import cycle (a feature importing its own index.ts is one).',
      from: { path: '^(apps|libs)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/|^apps/[^/]+/src/ui/public/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

// For the spec of these rules (not part of the configuration dependency-cruiser reads).
Object.defineProperty(module.exports, 'assertAcyclic', { value: assertAcyclic, enumerable: false });
