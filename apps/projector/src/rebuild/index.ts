/** The projector's public surface for `projector rebuild` (the CLI boots it; see read-model-rebuild.ts). */
export { ReadModelRebuild } from './read-model-rebuild';
export { RebuildModule } from './rebuild.module';
