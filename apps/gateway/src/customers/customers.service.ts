import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type Actor,
  type Customer,
  type CustomerChangeMessage,
  customerChangeMessages,
  type CustomerChangeType,
  newId,
  TOPICS,
} from '@app/contracts';
import type { AuthContext } from '@app/auth';
import { isUniqueViolation } from '@app/database';
import { ConflictError, CustomerNotFoundError } from '@app/http';
import { type OutboxEntry, OutboxRepository } from './outbox/outbox.repository';
import { applyFields, type CustomerFields, markAsSpam, newCustomer, unmarkAsSpam } from './customer-changes';
import type { CustomerRecord } from './customer-record';
import { CUSTOMER_CACHE_CHANNEL, cacheKey, CustomerLookup } from './customer-lookup.service';
import { CustomersRepository } from './customers.repository';
import type { PutCustomerDto } from './dto/put-customer.dto';

type Change = (current: Customer, actor: Actor, now: string) => Customer;

/** Optimistic tries of a change before it takes the row lock instead (see `change`). */
const OPTIMISTIC_TRIES = 3;

/**
 * The customers write side. Every change locks the customer's row, writes the new state and its change event
 * (to the outbox) in one transaction: no change without its event, no event without its change, and each
 * event's previousCustomer is exactly the state it was applied to.
 */
@Injectable()
export class CustomersService {
  constructor(
    private readonly db: DataSource,
    private readonly customers: CustomersRepository,
    private readonly outbox: OutboxRepository,
    private readonly lookup: CustomerLookup,
  ) {}

  async get(auth: AuthContext, externalId: string): Promise<Customer> {
    const record = await this.guard(() => this.customers.find(this.db.manager, auth.workspaceId, externalId));
    if (!record) throw new CustomerNotFoundError(externalId, 'externalId');
    return record.customer;
  }

  /** Creates (created: true) or replaces the editable fields of the customer. */
  async put(
    auth: AuthContext,
    externalId: string,
    dto: PutCustomerDto,
  ): Promise<{ customer: Customer; created: boolean }> {
    const fields: CustomerFields = { ...dto, shortName: dto.shortName ?? null };
    const attempt = () =>
      this.db.transaction(async (em) => {
        const current = await this.customers.findForUpdate(em, auth.workspaceId, externalId);
        const now = new Date().toISOString();
        if (current) {
          const customer = await this.save(
            em,
            current,
            applyFields(current.customer, fields, auth.actor, now),
            auth.actor,
            now,
          );
          return { customer, created: false };
        }
        const customer = newCustomer(
          newId('c'),
          externalId,
          { ...fields, email: dto.email, fullName: dto.fullName },
          auth.actor,
          now,
        );
        const record: CustomerRecord = { workspaceId: auth.workspaceId, customer, version: 1 };
        await this.customers.insert(em, record);
        await this.record(em, this.changeEvent('customer.customer_created', record, null, auth.actor, now));
        return { customer, created: true };
      });
    try {
      return await this.guard(attempt);
    } catch (error) {
      // Two PUTs created the same externalId at once: the loser retries, now as an update of the winner's row.
      if (isUniqueViolation(error, 'customers_external_id_unique')) return this.guard(attempt);
      throw error;
    }
  }

  patch(auth: AuthContext, externalId: string, fields: CustomerFields): Promise<Customer> {
    return this.change(auth, externalId, (current, actor, now) => applyFields(current, fields, actor, now));
  }

  markAsSpam(auth: AuthContext, externalId: string): Promise<Customer> {
    return this.change(auth, externalId, markAsSpam);
  }

  unmarkAsSpam(auth: AuthContext, externalId: string): Promise<Customer> {
    return this.change(auth, externalId, unmarkAsSpam);
  }

  /** Deletes the customer and tells every gateway replica to forget it (NOTIFY, delivered at commit). */
  async delete(auth: AuthContext, externalId: string): Promise<Customer> {
    const deleted = await this.guard(() =>
      this.db.transaction(async (em) => {
        const current = await this.customers.findForUpdate(em, auth.workspaceId, externalId);
        if (!current) throw new CustomerNotFoundError(externalId, 'externalId');
        const now = new Date().toISOString();
        await this.customers.delete(em, auth.workspaceId, current.customer.id);
        const deleted = { ...current, version: current.version + 1 };
        await this.record(
          em,
          this.changeEvent('customer.customer_deleted', deleted, current.customer, auth.actor, now, null),
        );
        await em.query('SELECT pg_notify($1, $2)', [
          CUSTOMER_CACHE_CHANNEL,
          cacheKey(auth.workspaceId, externalId),
        ]);
        return current.customer;
      }),
    );
    this.lookup.forget(auth.workspaceId, externalId);
    return deleted;
  }

  /**
   * A change of an existing customer in two round trips: read it, then write the new state and its event in one
   * statement that applies only over the version read (`updateOverPreviousVersion`). If another change won
   * meanwhile, it is read and applied again; after OPTIMISTIC_TRIES such races, it locks the row instead, as a
   * create or a delete does. Either way each event's previousCustomer is exactly the state it was applied to.
   */
  private change(auth: AuthContext, externalId: string, change: Change): Promise<Customer> {
    return this.guard(async () => {
      for (let tries = 0; tries < OPTIMISTIC_TRIES; tries++) {
        const current = await this.customers.find(this.db.manager, auth.workspaceId, externalId);
        if (!current) throw new CustomerNotFoundError(externalId, 'externalId');
        const now = new Date().toISOString();
        const next = change(current.customer, auth.actor, now);
        if (next === current.customer) return current.customer;
        const { record, event } = this.updated(current, next, auth.actor, now);
        const applied = await this.customers.updateOverPreviousVersion(
          this.db.manager,
          record,
          this.outboxEntry(event),
        );
        if (applied) return next;
      }
      return this.db.transaction(async (em) => {
        const current = await this.customers.findForUpdate(em, auth.workspaceId, externalId);
        if (!current) throw new CustomerNotFoundError(externalId, 'externalId');
        const now = new Date().toISOString();
        return this.save(em, current, change(current.customer, auth.actor, now), auth.actor, now);
      });
    });
  }

  /** Writes `next` and its customer_updated event, unless nothing changed (then no event at all). */
  private async save(em: EntityManager, current: CustomerRecord, next: Customer, actor: Actor, now: string) {
    if (next === current.customer) return current.customer;
    const { record, event } = this.updated(current, next, actor, now);
    await this.customers.update(em, record);
    await this.record(em, event);
    return next;
  }

  /** `next` as the record of the version after `current`, and its customer_updated event. */
  private updated(current: CustomerRecord, next: Customer, actor: Actor, now: string) {
    const record: CustomerRecord = { ...current, customer: next, version: current.version + 1 };
    return {
      record,
      event: this.changeEvent('customer.customer_updated', record, current.customer, actor, now),
    };
  }

  /** The change's event, written to the outbox in the caller's transaction. */
  private async record(em: EntityManager, event: CustomerChangeMessage): Promise<void> {
    await this.outbox.append(em, this.outboxEntry(event));
  }

  /**
   * The change's event, checked with the validator the projector and the dispatcher read it with: a change they
   * would refuse is a bug here, and fails the write (no change without its event) instead of reaching their
   * dead-letter queues.
   */
  private changeEvent(
    type: CustomerChangeType,
    record: CustomerRecord,
    previousCustomer: Customer | null,
    actor: Actor,
    occurredAt: string,
    customer: Customer | null = record.customer,
  ): CustomerChangeMessage {
    const event: CustomerChangeMessage = {
      id: newId('pEv'),
      type,
      workspaceId: record.workspaceId,
      customerId: record.customer.id,
      version: record.version,
      customer,
      previousCustomer,
      actor,
      occurredAt,
    };
    customerChangeMessages.check(event);
    return event;
  }

  private outboxEntry(event: CustomerChangeMessage): OutboxEntry {
    return { eventId: event.id, topic: TOPICS.customerChanges, key: event.customerId, payload: event };
  }

  /** Maps a taken email to the contract's 409 (an outage becomes a 503 in the exception filter). */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error, 'customers_email_unique')) {
        throw new ConflictError('Another customer of this workspace already has this email', [
          { field: 'email', message: 'is already used by another customer' },
        ]);
      }
      throw error;
    }
  }
}
