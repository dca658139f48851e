// Copies each app's static pages (apps/<app>/src/ui/public) next to its built code: tsc emits only .ts output.
// The parts every page shares (API client, the API key bar, base styles) live once in libs/http/src/ui-shared and are copied
// into each app's pages as shared/.
// Usage: node scripts/copy-ui-assets.js [outDir]   (default dist, as in tsconfig.build.json)
const { cpSync, existsSync, readdirSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const outDir = resolve(root, process.argv[2] ?? 'dist');
for (const app of readdirSync(join(root, 'apps'))) {
  const pages = join('apps', app, 'src', 'ui', 'public');
  if (!existsSync(join(root, pages))) continue;
  cpSync(join(root, pages), join(outDir, pages), { recursive: true });
  cpSync(join(root, 'libs', 'http', 'src', 'ui-shared'), join(outDir, pages, 'shared'), { recursive: true });
}
