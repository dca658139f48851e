export { FatalImportError } from './gateway-batch.client';
export { countLines, runImport } from './importer';
