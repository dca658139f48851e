import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@app/auth';
import { CustomerNotFoundError, outageAsServiceUnavailable } from '@app/http';
import type { TraceContext } from '@app/observability/tracing';
import { CustomerLookup } from '../customers';
import { IdempotencyService, type ToPublish } from '../idempotency';
import {
  buildCustomerEventMessage,
  contractViolation,
  payloadTooLarge,
  unstorableEvent,
} from './customer-event.message';
import { CustomerEventPublisher } from './customer-event.publisher';
import { toCustomerEventResponse } from './dto/customer-event.response';
import { type Item, settledOutcome, toItem } from './ingest-plan';
import { accepted, type IngestOutcome, type IngestRequest, refused } from './ingest-outcome';

interface Run {
  auth: AuthContext;
  /** The trace the events are published on behalf of (their messages' `traceparent`), when given. */
  trace: TraceContext | undefined;
  outcomes: IngestOutcome[];
  /** Once something was published, a later publish failure may no longer fail the whole request. */
  publishedAny: boolean;
}

/**
 * The one ingest path, for a single event and for a batch alike: storable values and payload limit (per
 * event), then an idempotent run (`IdempotencyService.run`: keys found, claimed, waited on, completed) whose
 * steps are ingestion's own: one customer lookup for all unknown externalIds, the messages built, and one
 * publish (one Kafka round trip) for everything accepted.
 */
@Injectable()
export class EventIngestion {
  constructor(
    private readonly customers: CustomerLookup,
    private readonly publisher: CustomerEventPublisher,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** `trace`: the request's; when absent, the publisher takes the one of the request being handled. */
  async ingest(auth: AuthContext, requests: IngestRequest[], trace?: TraceContext): Promise<IngestOutcome[]> {
    const run: Run = {
      auth,
      trace,
      outcomes: new Array<IngestOutcome>(requests.length),
      publishedAny: false,
    };
    const items: Item[] = [];
    requests.forEach((request, index) => {
      const refusal = unstorableEvent(request) ?? payloadTooLarge(request.dto);
      if (refusal) run.outcomes[index] = refused(refusal);
      else items.push(toItem(request, index));
    });
    await this.idempotency.run(auth.workspaceId, items, {
      build: (fresh) => this.build(run, fresh),
      publish: (entries) => this.publish(run, entries),
      settled: (item, state) => (run.outcomes[item.index] = settledOutcome(state)),
    });
    return run.outcomes;
  }

  /**
   * Resolves every unknown externalId in one lookup and builds the messages of the customers found, each
   * checked with the topic's validator (the projector's own).
   */
  private async build(run: Run, items: Item[]): Promise<Array<ToPublish<Item>>> {
    const customerIds = await this.customers.customerIdsOf(
      run.auth.workspaceId,
      items.map((i) => i.request.dto.customerExternalId),
    );
    const now = new Date();
    return items.flatMap((item) => {
      const { dto } = item.request;
      const customerId = customerIds.get(dto.customerExternalId);
      if (!customerId) {
        run.outcomes[item.index] = refused(new CustomerNotFoundError(dto.customerExternalId));
        return [];
      }
      const message = buildCustomerEventMessage(run.auth, dto, customerId, now);
      const violation = contractViolation(message);
      if (violation) {
        run.outcomes[item.index] = refused(violation);
        return [];
      }
      return [{ item, message }];
    });
  }

  /**
   * Publishes and answers. A failure fails the whole request, unless part of it was already published: then
   * an outage answers these items with the 503 error and the rest stands (false: their keys are released).
   */
  private async publish(run: Run, entries: Array<ToPublish<Item>>): Promise<boolean> {
    try {
      await this.publisher.publish(
        entries.map((e) => e.message),
        run.trace,
      );
    } catch (error) {
      const outage = outageAsServiceUnavailable(error);
      if (!outage || !run.publishedAny) throw error;
      for (const { item } of entries) run.outcomes[item.index] = refused(outage);
      return false;
    }
    run.publishedAny = true;
    for (const { item, message } of entries)
      run.outcomes[item.index] = accepted(toCustomerEventResponse(message));
    return true;
  }
}
