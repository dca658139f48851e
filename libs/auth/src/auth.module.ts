import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { KnownWorkspaces } from './known-workspaces.service';
import { WorkspacesRepository } from './workspaces.repository';

@Module({
  providers: [ApiKeysRepository, WorkspacesRepository, ApiKeysService, ApiKeyGuard, KnownWorkspaces],
  exports: [ApiKeysService, ApiKeyGuard, WorkspacesRepository, KnownWorkspaces],
})
export class AuthModule {}
