// Maps the tsconfig path aliases (@app/<lib>) for jest, so tests import code the way the apps do.
const { compilerOptions } = require('../../tsconfig.json');

function pathsToModuleNameMapper() {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    const from = '^' + alias.replace('/*', '/(.*)') + '$';
    mapper[from] = '<rootDir>/' + target.replace('/*', '/$1');
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
