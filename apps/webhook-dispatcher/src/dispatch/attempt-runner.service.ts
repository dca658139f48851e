import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AttemptResultsRepository,
  type ClaimedAttempt,
  type ClassifiedAttempt,
  type SlotRefill,
} from '../delivery';
import { type SendResult, WebhookHttpClient } from '../net';
import { SecretBox } from '../secrets';
import { classifyAttempt } from './attempt-outcome';
import { attemptTraceparent, recordedRequest } from './attempt-record';
import { nextDeliveryState } from './delivery-transition';
import { attemptSeconds, attemptsTotal, countTargetAttempt } from './webhook-metrics';
import { RETRY_SCHEDULE } from './retry-schedule';
import { renderWebhookBody } from './webhook-payload.renderer';
import { signatureHeaders } from './webhook-signer';

export const USER_AGENT = 'supportdesk-events-webhooks/1.0';

/**
 * One attempt from claim to record: render afresh for the target's version, sign, send, classify, record. Given
 * `refill`, the record also claims the slot's next attempt, which `run` returns.
 */
@Injectable()
export class AttemptRunner {
  private readonly logger = new Logger(AttemptRunner.name);

  constructor(
    private readonly http: WebhookHttpClient,
    private readonly box: SecretBox,
    private readonly results: AttemptResultsRepository,
    @Inject(RETRY_SCHEDULE) private readonly schedule: readonly number[],
  ) {}

  async run(claim: ClaimedAttempt, refill?: SlotRefill): Promise<ClaimedAttempt | undefined> {
    const attempt = await this.send(claim).catch((error: unknown) => this.internalFailure(claim, error));
    attemptsTotal.inc({ outcome: attempt.outcome });
    countTargetAttempt(claim.targetId, attempt.outcome === 'success');
    attemptSeconds.observe({ outcome: attempt.outcome }, attempt.durationMs / 1000);
    const next = nextDeliveryState(claim, attempt, this.schedule);
    const { recorded, following } = refill
      ? await this.results.completeAndClaimNext(claim, attempt, next, refill)
      : { recorded: await this.results.complete(claim, attempt, next), following: undefined };
    if (!recorded) {
      this.logger.warn({ deliveryId: claim.deliveryId, attemptId: claim.attemptId }, 'Attempt lease lost');
    }
    return following;
  }

  private async send(claim: ClaimedAttempt): Promise<ClassifiedAttempt> {
    const timestamp = claim.startedAt.toISOString();
    const body = JSON.stringify(
      renderWebhookBody({
        event: claim.event,
        eventType: claim.eventType,
        target: { id: claim.targetId, version: claim.target.version },
        attempt: { id: claim.attemptId, number: claim.attemptNumber, timestamp },
      }),
    );
    const traceparent = attemptTraceparent(claim.traceparent);
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      'Plain-Workspace-Id': claim.workspaceId,
      'Plain-Webhook-Target-Id': claim.targetId,
      'Plain-Webhook-Target-Version': claim.target.version,
      'Plain-Webhook-Delivery-Attempt-Id': claim.attemptId,
      'Plain-Webhook-Delivery-Attempt-Number': String(claim.attemptNumber),
      'Plain-Webhook-Delivery-Attempt-Timestamp': timestamp,
      'Plain-Event-Type': claim.eventType,
      'Plain-Event-Id': claim.event.id,
      ...(traceparent ? { traceparent } : {}),
      ...signatureHeaders({
        body,
        eventId: claim.event.id,
        timestampSeconds: Math.floor(claim.startedAt.getTime() / 1000),
        secrets: this.secretsOf(claim),
      }),
    };
    const result: SendResult = await this.http.post(claim.target.url, headers, body);
    return { ...classifyAttempt(result), request: recordedRequest(headers, body) };
  }

  private secretsOf(claim: ClaimedAttempt): string[] {
    const { secretEncrypted, retiredSecretsEncrypted } = claim.target;
    try {
      return [secretEncrypted, ...retiredSecretsEncrypted].map((sealed) =>
        this.box.open(sealed, claim.targetId),
      );
    } catch {
      throw new Error(
        'the signing secret could not be decrypted (was it sealed with another WEBHOOK_SECRET_ENCRYPTION_KEY?)',
      );
    }
  }

  /** A bug or a secret sealed with another key: recorded as a failed attempt, retried like any other. */
  private internalFailure(claim: ClaimedAttempt, error: unknown): ClassifiedAttempt {
    this.logger.error({ err: error, deliveryId: claim.deliveryId }, 'Could not prepare a webhook attempt');
    const reason = error instanceof Error ? error.message : String(error);
    return {
      outcome: 'internal_error',
      statusCode: null,
      error: `the dispatcher could not prepare this attempt: ${reason}`.slice(0, 1000),
      responseBody: null,
      durationMs: 0,
    };
  }
}
