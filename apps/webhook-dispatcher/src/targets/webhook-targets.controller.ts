import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import { CreateWebhookTargetDto } from './dto/create-webhook-target.dto';
import { PageQueryDto } from './dto/page-query.dto';
import { UpdateWebhookTargetDto } from './dto/update-webhook-target.dto';
import type { Page } from './page-cursor';
import type { WebhookTargetView } from './webhook-target';
import { type WebhookTargetWithSecret, WebhookTargetsService } from './webhook-targets.service';

@ApiTags('webhook-targets')
@ApiSecurity('api-key')
@Controller('webhook-targets')
@UseGuards(ApiKeyGuard)
export class WebhookTargetsController {
  constructor(private readonly targets: WebhookTargetsService) {}

  @Post()
  @ApiOperation({ summary: 'Register a webhook target; the answer shows its signing secret, once' })
  create(@Auth() auth: AuthContext, @Body() dto: CreateWebhookTargetDto): Promise<WebhookTargetWithSecret> {
    return this.targets.create(auth, dto);
  }

  @Get()
  @ApiOperation({ summary: "The workspace's webhook targets, newest first" })
  list(@Auth() auth: AuthContext, @Query() query: PageQueryDto): Promise<Page<WebhookTargetView>> {
    return this.targets.list(auth, query.limit, query.cursor);
  }

  @Get(':targetId')
  @ApiOperation({ summary: 'Read a webhook target (never its secret)' })
  get(@Auth() auth: AuthContext, @Param('targetId') targetId: string): Promise<WebhookTargetView> {
    return this.targets.get(auth, targetId);
  }

  @Patch(':targetId')
  @ApiOperation({ summary: 'Change the url, version, event types, description or enabled flag' })
  update(
    @Auth() auth: AuthContext,
    @Param('targetId') targetId: string,
    @Body() dto: UpdateWebhookTargetDto,
  ): Promise<WebhookTargetView> {
    return this.targets.update(auth, targetId, dto);
  }

  @Delete(':targetId')
  @ApiOperation({ summary: 'Delete a webhook target with its delivery log' })
  delete(@Auth() auth: AuthContext, @Param('targetId') targetId: string): Promise<WebhookTargetView> {
    return this.targets.delete(auth, targetId);
  }

  @Post(':targetId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'New signing secret (shown once); the previous one keeps signing for 24 hours' })
  rotateSecret(
    @Auth() auth: AuthContext,
    @Param('targetId') targetId: string,
  ): Promise<WebhookTargetWithSecret> {
    return this.targets.rotateSecret(auth, targetId);
  }
}
