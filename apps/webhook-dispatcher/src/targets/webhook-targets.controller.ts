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
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import { ApiRoute, BODY_ERRORS, COMMON_ERRORS } from '@app/http/openapi';
import { CreateWebhookTargetDto } from './dto/create-webhook-target.dto';
import { type Page, PageQueryDto } from '../shared';
import { UpdateWebhookTargetDto } from './dto/update-webhook-target.dto';
import { WebhookTargetResponse, WebhookTargetWithSecretResponse } from './dto/webhook-target.response';
import { WebhookTargetsService } from './webhook-targets.service';

const NOT_FOUND = { NOT_FOUND: 'no webhook target with this id in this workspace' };
const URL_REFUSED = {
  VALIDATION_ERROR:
    'a field is missing, malformed, unknown or too long; the url is not http(s) or resolves to a private address',
};

@ApiTags('webhook-targets')
@ApiSecurity('api-key')
@Controller('webhook-targets')
@UseGuards(ApiKeyGuard)
export class WebhookTargetsController {
  constructor(private readonly targets: WebhookTargetsService) {}

  @Post()
  @ApiRoute({
    operationId: 'createWebhookTarget',
    summary: 'Register a webhook target; the answer shows its signing secret, once',
    ok: [201, WebhookTargetWithSecretResponse, 'The target, with its secret'],
    errors: { ...COMMON_ERRORS, ...BODY_ERRORS, ...URL_REFUSED },
  })
  create(
    @Auth() auth: AuthContext,
    @Body() dto: CreateWebhookTargetDto,
  ): Promise<WebhookTargetWithSecretResponse> {
    return this.targets.create(auth, dto);
  }

  @Get()
  @ApiRoute({
    operationId: 'listWebhookTargets',
    summary: "The workspace's webhook targets, newest first",
    page: [200, WebhookTargetResponse, 'A page of targets'],
    errors: COMMON_ERRORS,
  })
  list(@Auth() auth: AuthContext, @Query() query: PageQueryDto): Promise<Page<WebhookTargetResponse>> {
    return this.targets.list(auth, query.limit, query.cursor);
  }

  @Get(':targetId')
  @ApiRoute({
    operationId: 'getWebhookTarget',
    summary: 'Read a webhook target (never its secret)',
    ok: [200, WebhookTargetResponse, 'The target'],
    errors: { ...COMMON_ERRORS, ...NOT_FOUND },
  })
  get(@Auth() auth: AuthContext, @Param('targetId') targetId: string): Promise<WebhookTargetResponse> {
    return this.targets.get(auth, targetId);
  }

  @Patch(':targetId')
  @ApiRoute({
    operationId: 'updateWebhookTarget',
    summary: 'Change the url, version, event types, description or enabled flag',
    ok: [200, WebhookTargetResponse, 'The updated target'],
    errors: { ...COMMON_ERRORS, ...BODY_ERRORS, ...URL_REFUSED, ...NOT_FOUND },
  })
  update(
    @Auth() auth: AuthContext,
    @Param('targetId') targetId: string,
    @Body() dto: UpdateWebhookTargetDto,
  ): Promise<WebhookTargetResponse> {
    return this.targets.update(auth, targetId, dto);
  }

  @Delete(':targetId')
  @ApiRoute({
    operationId: 'deleteWebhookTarget',
    summary: 'Delete a webhook target with its delivery log',
    ok: [200, WebhookTargetResponse, 'The deleted target'],
    errors: { ...COMMON_ERRORS, ...NOT_FOUND },
  })
  delete(@Auth() auth: AuthContext, @Param('targetId') targetId: string): Promise<WebhookTargetResponse> {
    return this.targets.delete(auth, targetId);
  }

  @Post(':targetId/rotate-secret')
  @HttpCode(200)
  @ApiRoute({
    operationId: 'rotateWebhookTargetSecret',
    summary: 'New signing secret (shown once); the previous one keeps signing for 24 hours',
    ok: [200, WebhookTargetWithSecretResponse, 'The target, with its new secret'],
    errors: { ...COMMON_ERRORS, ...BODY_ERRORS, ...NOT_FOUND },
  })
  rotateSecret(
    @Auth() auth: AuthContext,
    @Param('targetId') targetId: string,
  ): Promise<WebhookTargetWithSecretResponse> {
    return this.targets.rotateSecret(auth, targetId);
  }
}
