export { registerApiKeyCommands } from './api-keys.commands';
export { registerImportCommand } from './import.commands';
export { registerInfraCommands } from './infra.commands';
export { registerProjectorCommands } from './projector.commands';
