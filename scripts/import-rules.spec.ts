import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const FOLDERS_CONFIG = join(ROOT, '.dependency-cruiser-folders.cjs');
const CLI = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** A small tree laid out like the repository's, one file per import under test. */
const FIXTURE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', baseUrl: '.' } }),
  'apps/gateway/src/customers/index.ts': "export { customers } from './customers.service';\n",
  'apps/gateway/src/customers/customers.service.ts': 'export const customers = 1;\n',
  'apps/gateway/src/customers/cycle-a.ts': "import { b } from './cycle-b';\nexport const a = () => b;\n",
  'apps/gateway/src/customers/cycle-b.ts': "import { a } from './cycle-a';\nexport const b = () => a;\n",
  'apps/gateway/src/customers/upward.ts':
    "import { ingest } from '../customer-events';\nexport const u = ingest;\n",
  'apps/gateway/src/customer-events/index.ts': "export { ingest } from './ingest';\n",
  'apps/gateway/src/customer-events/ingest.ts':
    "import { customers } from '../customers';\nexport const ingest = customers;\n",
  'apps/gateway/src/customer-events/deep.ts':
    "import { customers } from '../customers/customers.service';\nexport const d = customers;\n",
  'apps/gateway/src/gateway.module.ts':
    "import { customers } from './customers/customers.service';\nexport const m = customers;\n",
  'apps/gateway/src/rate-limit/other-app.ts':
    "import { timeline } from '../../../projector/src/timeline';\nexport const o = timeline;\n",
  'apps/projector/src/timeline/index.ts': 'export const timeline = 1;\n',
  'libs/http/src/index.ts':
    "import { customers } from '../../../apps/gateway/src/customers';\nexport const h = customers;\n",
  'libs/observability/src/index.ts': "import { h } from '../../http/src';\nexport const o = h;\n",
  'test/support/helper.ts':
    "import { customers } from '../../apps/gateway/src/customers/customers.service';\nexport const t = customers;\n",
};

function violationsIn(fixture: Record<string, string>, config = CONFIG): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'import-rules-'));
  const roots = [
    ...new Set(Object.keys(fixture).flatMap((path) => (path.includes('/') ? [path.split('/')[0]] : []))),
  ];
  try {
    for (const [path, text] of Object.entries(fixture)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const run = spawnSync(process.execPath, [CLI, '--config', config, '--output-type', 'json', ...roots], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (!run.stdout) throw new Error(`dependency-cruiser printed nothing: ${run.stderr}`);
    const result = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
    return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the import rules (.dependency-cruiser.cjs)', () => {
  it('fails every forbidden import of a small tree, and only those', () => {
    expect(violationsIn(FIXTURE)).toEqual(
      [
        'feature-deep-import: apps/gateway/src/customer-events/deep.ts -> apps/gateway/src/customers/customers.service.ts',
        'app-root-deep-import: apps/gateway/src/gateway.module.ts -> apps/gateway/src/customers/customers.service.ts',
        'outside-deep-import: test/support/helper.ts -> apps/gateway/src/customers/customers.service.ts',
        'feature-layering: apps/gateway/src/customers/upward.ts -> apps/gateway/src/customer-events/index.ts',
        'app-imports-app: apps/gateway/src/rate-limit/other-app.ts -> apps/projector/src/timeline/index.ts',
        'lib-imports-app: libs/http/src/index.ts -> apps/gateway/src/customers/index.ts',
        'lib-layering: libs/observability/src/index.ts -> libs/http/src/index.ts',
        'no-cycle: apps/gateway/src/customers/cycle-a.ts -> apps/gateway/src/customers/cycle-b.ts',
      ].sort(),
    );
  }, 30_000);

  it('fails a cycle between folders that no file-level cycle shows (second pass)', () => {
    const fixture = {
      'tsconfig.json': FIXTURE['tsconfig.json'],
      'apps/gateway/src/customers/dto/customer.dto.ts':
        "import { lookup } from '../../idempotency/lookup';\nexport const dto = lookup;\n",
      'apps/gateway/src/idempotency/lookup.ts': 'export const lookup = 1;\n',
      'apps/gateway/src/idempotency/hash.ts':
        "import { names } from '../customers/dto/names';\nexport const hash = names;\n",
      'apps/gateway/src/customers/dto/names.ts': 'export const names = 1;\n',
    };

    expect(violationsIn(fixture, FOLDERS_CONFIG)).toEqual([
      'no-folder-cycle: apps/gateway/src/customers/dto -> apps/gateway/src/idempotency',
      'no-folder-cycle: apps/gateway/src/idempotency -> apps/gateway/src/customers/dto',
    ]);
  }, 30_000);

  it('refuses a layering that declares a cycle', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the configuration is CommonJS, read as dependency-cruiser reads it
    const { assertAcyclic } = require(CONFIG) as {
      assertAcyclic: (name: string, graph: Record<string, string[]>) => void;
    };

    expect(() => assertAcyclic('apps/x', { a: ['b'], b: ['c'], c: ['a'] })).toThrow(
      'apps/x: the layering has a cycle: a -> b -> c -> a',
    );
    expect(() => assertAcyclic('apps/x', { a: ['b'], b: [] })).not.toThrow();
  });
});
