import { Injectable } from '@nestjs/common';
import { newId } from '@app/contracts';
import type { AuthContext } from '@app/auth';
import { CursorSigner } from '@app/http';
import { generateSigningSecret, SecretBox } from '../secrets';
import {
  decodeIdCursor,
  encodeIdCursor,
  type IdCursorScope,
  LATEST_WEBHOOK_VERSION,
  type Page,
  toPage,
  WebhookTargetNotFoundError,
} from '../shared';
import type { CreateWebhookTargetDto } from './dto/create-webhook-target.dto';
import type { UpdateWebhookTargetDto } from './dto/update-webhook-target.dto';
import {
  toTargetResponse,
  type WebhookTargetResponse,
  type WebhookTargetWithSecretResponse,
} from './dto/webhook-target.response';
import { TargetUrlPolicy } from './target-url.policy';
import { WebhookTargetsRepository } from './webhook-targets.repository';

/** How long a rotated-out secret keeps signing, so receivers can switch without missing a delivery. */
export const SECRET_ROTATION_GRACE_MS = 24 * 3_600_000;

@Injectable()
export class WebhookTargetsService {
  constructor(
    private readonly targets: WebhookTargetsRepository,
    private readonly urls: TargetUrlPolicy,
    private readonly box: SecretBox,
    private readonly cursors: CursorSigner,
  ) {}

  async create(auth: AuthContext, dto: CreateWebhookTargetDto): Promise<WebhookTargetWithSecretResponse> {
    await this.urls.assertAllowed(dto.url);
    const id = newId('whTarget');
    const secret = generateSigningSecret();
    const target = await this.targets.insert({
      id,
      workspaceId: auth.workspaceId,
      url: dto.url,
      version: dto.version ?? LATEST_WEBHOOK_VERSION,
      eventTypes: dto.eventTypes,
      description: dto.description ?? null,
      enabled: dto.enabled ?? true,
      secretEncrypted: this.box.seal(secret, id),
    });
    return { ...toTargetResponse(target), secret };
  }

  async list(auth: AuthContext, limit: number, cursor?: string): Promise<Page<WebhookTargetResponse>> {
    const scope: IdCursorScope = { list: 'webhook-targets' };
    const rows = await this.targets.list(
      auth.workspaceId,
      limit + 1,
      decodeIdCursor(this.cursors, scope, cursor),
    );
    return toPage(rows, limit, (id) => encodeIdCursor(this.cursors, scope, id), toTargetResponse);
  }

  async get(auth: AuthContext, targetId: string): Promise<WebhookTargetResponse> {
    const target = await this.targets.find(auth.workspaceId, targetId);
    if (!target) throw new WebhookTargetNotFoundError();
    return toTargetResponse(target);
  }

  async update(
    auth: AuthContext,
    targetId: string,
    dto: UpdateWebhookTargetDto,
  ): Promise<WebhookTargetResponse> {
    if (dto.url !== undefined) await this.urls.assertAllowed(dto.url);
    const target = await this.targets.update(auth.workspaceId, targetId, dto);
    if (!target) throw new WebhookTargetNotFoundError();
    return toTargetResponse(target);
  }

  async delete(auth: AuthContext, targetId: string): Promise<WebhookTargetResponse> {
    const target = await this.targets.delete(auth.workspaceId, targetId);
    if (!target) throw new WebhookTargetNotFoundError();
    return toTargetResponse(target);
  }

  async rotateSecret(auth: AuthContext, targetId: string): Promise<WebhookTargetWithSecretResponse> {
    const secret = generateSigningSecret();
    const target = await this.targets.rotateSecret(
      auth.workspaceId,
      targetId,
      this.box.seal(secret, targetId),
      SECRET_ROTATION_GRACE_MS,
    );
    if (!target) throw new WebhookTargetNotFoundError();
    return { ...toTargetResponse(target), secret };
  }
}
