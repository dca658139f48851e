import { Injectable } from '@nestjs/common';
import { newId } from '@app/contracts';
import type { AuthContext } from '@app/auth';
import { CursorSigner } from '@app/http';
import { SecretBox } from '../secrets/secret-box';
import { generateSigningSecret } from '../secrets/signing-secret';
import { WebhookTargetNotFoundError } from '../webhook.errors';
import type { CreateWebhookTargetDto } from './dto/create-webhook-target.dto';
import type { UpdateWebhookTargetDto } from './dto/update-webhook-target.dto';
import { decodeIdCursor, encodeIdCursor, type IdCursorScope, type Page, toPage } from './page-cursor';
import { TargetUrlPolicy } from './target-url.policy';
import { toTargetView, type WebhookTargetView } from './webhook-target';
import { WebhookTargetsRepository } from './webhook-targets.repository';
import { LATEST_WEBHOOK_VERSION } from './webhook-versions';

/** How long a rotated-out secret keeps signing, so receivers can switch without missing a delivery. */
export const SECRET_ROTATION_GRACE_MS = 24 * 3_600_000;

/** A view with the signing secret: only the answers to creation and rotation carry it. */
export type WebhookTargetWithSecret = WebhookTargetView & { secret: string };

@Injectable()
export class WebhookTargetsService {
  constructor(
    private readonly targets: WebhookTargetsRepository,
    private readonly urls: TargetUrlPolicy,
    private readonly box: SecretBox,
    private readonly cursors: CursorSigner,
  ) {}

  async create(auth: AuthContext, dto: CreateWebhookTargetDto): Promise<WebhookTargetWithSecret> {
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
    return { ...toTargetView(target), secret };
  }

  async list(auth: AuthContext, limit: number, cursor?: string): Promise<Page<WebhookTargetView>> {
    const scope: IdCursorScope = { list: 'webhook-targets' };
    const rows = await this.targets.list(
      auth.workspaceId,
      limit + 1,
      decodeIdCursor(this.cursors, scope, cursor),
    );
    return toPage(rows, limit, (id) => encodeIdCursor(this.cursors, scope, id), toTargetView);
  }

  async get(auth: AuthContext, targetId: string): Promise<WebhookTargetView> {
    const target = await this.targets.find(auth.workspaceId, targetId);
    if (!target) throw new WebhookTargetNotFoundError();
    return toTargetView(target);
  }

  async update(auth: AuthContext, targetId: string, dto: UpdateWebhookTargetDto): Promise<WebhookTargetView> {
    if (dto.url !== undefined) await this.urls.assertAllowed(dto.url);
    const target = await this.targets.update(auth.workspaceId, targetId, dto);
    if (!target) throw new WebhookTargetNotFoundError();
    return toTargetView(target);
  }

  async delete(auth: AuthContext, targetId: string): Promise<WebhookTargetView> {
    const target = await this.targets.delete(auth.workspaceId, targetId);
    if (!target) throw new WebhookTargetNotFoundError();
    return toTargetView(target);
  }

  async rotateSecret(auth: AuthContext, targetId: string): Promise<WebhookTargetWithSecret> {
    const secret = generateSigningSecret();
    const target = await this.targets.rotateSecret(
      auth.workspaceId,
      targetId,
      this.box.seal(secret, targetId),
      SECRET_ROTATION_GRACE_MS,
    );
    if (!target) throw new WebhookTargetNotFoundError();
    return { ...toTargetView(target), secret };
  }
}
