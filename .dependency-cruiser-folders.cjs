// @ts-check
/**
 * The second pass of `npm run lint:imports`: no cycle between any two folders of apps/ and libs/ (sub-folders
 * such as dto/ included), over the code that ships. Tests are left out: a spec beside the code imports
 * test/support, which imports the libs back, and that is not a dependency of the product.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment: 'Folder A imports folder B and B imports A, directly or through others.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: {
      path: '(^|/)(node_modules|dist)/|^apps/[^/]+/src/ui/public/|^test/|\\.(spec|integration-spec)\\.ts$',
    },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
