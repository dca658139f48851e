import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const FLAGS = JSON.parse(read('scripts/app-node-flags.json')) as string[];

/** The apps' heap flags are defined once (scripts/app-node-flags.json); the places that cannot read it state them. */
describe('the apps are started with the same heap flags everywhere', () => {
  it('defines a heap bound', () => {
    expect(FLAGS).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/)]));
  });

  it.each(['start:gateway', 'start:projector', 'start:dispatcher'])('npm run %s', (script) => {
    const command = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts[script];
    expect(command).toMatch(new RegExp(`^node ${FLAGS.join(' ')} dist/apps/`));
  });

  it('the Docker image and every app service of docker-compose.yml', () => {
    const asJson = `"node", ${FLAGS.map((f) => `"${f}"`).join(', ')}, "dist/apps/`;
    expect(read('Dockerfile')).toContain(`CMD [${asJson}gateway/src/main.js"]`);
    for (const app of ['gateway', 'projector', 'webhook-dispatcher'])
      expect(read('docker-compose.yml')).toContain(`command: [${asJson}${app}/src/main.js"]`);
  });

  it('the stack supervisor and the test and bench launcher read the same file', () => {
    expect(read('scripts/supervise.js')).toContain("require('./app-node-flags.json')");
    expect(read('test/support/app-process.ts')).toContain("'app-node-flags.json'");
  });
});
