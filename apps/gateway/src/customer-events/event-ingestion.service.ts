import { Injectable } from '@nestjs/common';
import type { CustomerEventMessage } from '@app/contracts';
import type { AuthContext } from '@app/auth';
import { CustomerNotFoundError, outageAsServiceUnavailable } from '@app/http';
import { CustomerLookup } from '../customers/customer-lookup.service';
import type { ClaimHandle } from '../idempotency/idempotency-record';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { buildCustomerEventMessage, payloadTooLarge, unstorableEvent } from './customer-event.message';
import { CustomerEventPublisher } from './customer-event.publisher';
import { toCustomerEventView } from './customer-event.view';
import { type Item, type KeyedItem, planRound, settledOutcome, toItem } from './ingest-plan';
import { accepted, type IngestOutcome, type IngestRequest, refused } from './ingest-outcome';

interface Run {
  auth: AuthContext;
  outcomes: IngestOutcome[];
  /** Once something was published, a later publish failure may no longer fail the whole request. */
  publishedAny: boolean;
}

interface Prepared {
  item: Item;
  message: CustomerEventMessage;
}

/** Safety net: rounds only repeat when another request released or abandoned a key this one waited on. */
const MAX_ROUNDS = 5;

/**
 * The one ingest path, for a single event and for a batch alike: storable values and payload limit (per
 * event), Idempotency-Keys, one customer lookup for all unknown externalIds, then one publish (one Kafka round
 * trip) for everything accepted. Requests whose key is held by another request wait for it and answer as it did.
 */
@Injectable()
export class EventIngestion {
  constructor(
    private readonly customers: CustomerLookup,
    private readonly publisher: CustomerEventPublisher,
    private readonly idempotency: IdempotencyService,
  ) {}

  async ingest(auth: AuthContext, requests: IngestRequest[]): Promise<IngestOutcome[]> {
    const run: Run = { auth, outcomes: new Array<IngestOutcome>(requests.length), publishedAny: false };
    let pending: Item[] = [];
    requests.forEach((request, index) => {
      const refusal = unstorableEvent(request) ?? payloadTooLarge(request.dto);
      if (refusal) run.outcomes[index] = refused(refusal);
      else pending.push(toItem(request, index));
    });
    const deadline = Date.now() + this.idempotency.waitMs;
    for (let round = 1; pending.length > 0; round++) {
      const waiting = await this.round(run, pending);
      pending = [];
      if (waiting.length === 0) break;
      for (const { request: item, state } of await this.idempotency.waitForOthers(
        auth.workspaceId,
        waiting,
        deadline,
      )) {
        if ((state.kind === 'absent' || state.kind === 'abandoned') && round < MAX_ROUNDS) pending.push(item);
        else run.outcomes[item.index] = settledOutcome(state);
      }
    }
    return run.outcomes;
  }

  /** One pass over the pending items; returns those that must wait on a key another request holds. */
  private async round(run: Run, items: Item[]): Promise<KeyedItem[]> {
    const { workspaceId } = run.auth;
    const keyed = items.filter((i): i is KeyedItem => i.key !== undefined);
    const records = await this.idempotency.find(
      workspaceId,
      keyed.map((i) => i.key),
    );
    const { fresh, takeovers, waiting, settled } = planRound(items, records);
    for (const { item, outcome } of settled) run.outcomes[item.index] = outcome;

    const prepared = await this.prepare(run, fresh);
    const claimed = await this.idempotency.claim(
      workspaceId,
      prepared.flatMap(({ item, message }) =>
        item.key === undefined ? [] : [{ key: item.key, requestHash: item.hash!, message }],
      ),
    );
    const toPublish: Prepared[] = [];
    const owned: ClaimHandle[] = [];
    for (const entry of prepared) {
      const handle = entry.item.key === undefined ? undefined : claimed.get(entry.item.key);
      if (entry.item.key !== undefined && !handle) {
        waiting.push(entry.item as KeyedItem); // another request claimed the key first
        continue;
      }
      if (handle) owned.push(handle);
      toPublish.push(entry);
    }
    for (const { item, record } of takeovers) {
      const handle = await this.idempotency.takeOver(workspaceId, record);
      if (!handle) {
        waiting.push(item);
        continue;
      }
      owned.push(handle);
      // The stored event, id and times included: a consumer that got the first publish dedupes this one.
      toPublish.push({ item, message: record.message });
    }
    await this.publish(run, toPublish, owned);
    return waiting;
  }

  /** Resolves every unknown externalId in one lookup and builds the messages of the customers found. */
  private async prepare(run: Run, items: Item[]): Promise<Prepared[]> {
    if (items.length === 0) return [];
    const customerIds = await this.customers.customerIdsOf(
      run.auth.workspaceId,
      items.map((i) => i.request.dto.customerExternalId),
    );
    const now = new Date();
    return items.flatMap((item) => {
      const { dto } = item.request;
      const customerId = customerIds.get(dto.customerExternalId);
      if (customerId) return [{ item, message: buildCustomerEventMessage(run.auth, dto, customerId, now) }];
      run.outcomes[item.index] = refused(new CustomerNotFoundError(dto.customerExternalId));
      return [];
    });
  }

  private async publish(run: Run, entries: Prepared[], owned: ClaimHandle[]): Promise<void> {
    if (entries.length === 0) return;
    const { workspaceId } = run.auth;
    try {
      await this.publisher.publish(entries.map((e) => e.message));
    } catch (error) {
      await this.idempotency.release(workspaceId, owned);
      const outage = outageAsServiceUnavailable(error);
      if (!outage || !run.publishedAny) throw error;
      for (const { item } of entries) run.outcomes[item.index] = refused(outage);
      return;
    }
    run.publishedAny = true;
    await this.idempotency.complete(workspaceId, owned);
    for (const { item, message } of entries)
      run.outcomes[item.index] = accepted(toCustomerEventView(message));
  }
}
