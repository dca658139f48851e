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
import { ApiEnvelope, ApiErrors, ApiPageEnvelope, BODY_ERRORS, COMMON_ERRORS } from '@app/http/openapi';
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
  @ApiOperation({
    operationId: 'createWebhookTarget',
    summary: 'Register a webhook target; the answer shows its signing secret, once',
  })
  @ApiEnvelope(201, WebhookTargetWithSecretResponse, 'The target, with its secret')
  @ApiErrors({ ...COMMON_ERRORS, ...BODY_ERRORS, ...URL_REFUSED })
  create(
    @Auth() auth: AuthContext,
    @Body() dto: CreateWebhookTargetDto,
  ): Promise<WebhookTargetWithSecretResponse> {
    return this.targets.create(auth, dto);
  }

  @Get()
  @ApiOperation({
    operationId: 'listWebhookTargets',
    summary: "The workspace's webhook targets, newest first",
  })
  @ApiPageEnvelope(200, WebhookTargetResponse, 'A page of targets')
  @ApiErrors(COMMON_ERRORS)
  list(@Auth() auth: AuthContext, @Query() query: PageQueryDto): Promise<Page<WebhookTargetResponse>> {
    return this.targets.list(auth, query.limit, query.cursor);
  }

  @Get(':targetId')
  @ApiOperation({ operationId: 'getWebhookTarget', summary: 'Read a webhook target (never its secret)' })
  @ApiEnvelope(200, WebhookTargetResponse, 'The target')
  @ApiErrors({ ...COMMON_ERRORS, ...NOT_FOUND })
  get(@Auth() auth: AuthContext, @Param('targetId') targetId: string): Promise<WebhookTargetResponse> {
    return this.targets.get(auth, targetId);
  }

  @Patch(':targetId')
  @ApiOperation({
    operationId: 'updateWebhookTarget',
    summary: 'Change the url, version, event types, description or enabled flag',
  })
  @ApiEnvelope(200, WebhookTargetResponse, 'The updated target')
  @ApiErrors({ ...COMMON_ERRORS, ...BODY_ERRORS, ...URL_REFUSED, ...NOT_FOUND })
  update(
    @Auth() auth: AuthContext,
    @Param('targetId') targetId: string,
    @Body() dto: UpdateWebhookTargetDto,
  ): Promise<WebhookTargetResponse> {
    return this.targets.update(auth, targetId, dto);
  }

  @Delete(':targetId')
  @ApiOperation({
    operationId: 'deleteWebhookTarget',
    summary: 'Delete a webhook target with its delivery log',
  })
  @ApiEnvelope(200, WebhookTargetResponse, 'The deleted target')
  @ApiErrors({ ...COMMON_ERRORS, ...NOT_FOUND })
  delete(@Auth() auth: AuthContext, @Param('targetId') targetId: string): Promise<WebhookTargetResponse> {
    return this.targets.delete(auth, targetId);
  }

  @Post(':targetId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rotateWebhookTargetSecret',
    summary: 'New signing secret (shown once); the previous one keeps signing for 24 hours',
  })
  @ApiEnvelope(200, WebhookTargetWithSecretResponse, 'The target, with its new secret')
  @ApiErrors({ ...COMMON_ERRORS, ...BODY_ERRORS, ...NOT_FOUND })
  rotateSecret(
    @Auth() auth: AuthContext,
    @Param('targetId') targetId: string,
  ): Promise<WebhookTargetWithSecretResponse> {
    return this.targets.rotateSecret(auth, targetId);
  }
}
