import { parsePlainWebhook as parse20240918 } from 'plain-sdk-2024-09-18';
import { parsePlainWebhook as parse20250806 } from 'plain-sdk-2025-08-06';
import { parsePlainWebhook as parse20260227 } from 'plain-sdk-2026-02-27';
import type { Customer, CustomerChangeMessage } from '@app/contracts';
import { WEBHOOK_VERSIONS, type WebhookEventType, type WebhookVersion } from '../shared';
import { renderWebhookBody, type RenderInput } from './webhook-payload.renderer';

const PARSERS: Record<WebhookVersion, (body: unknown) => { data?: unknown; error?: Error }> = {
  '2024-09-18': parse20240918,
  '2025-08-06': parse20250806,
  '2026-02-27': parse20260227,
};

const actor = { actorType: 'machineUser', machineUserId: 'mu_01HD4400VTDJQ646V6RY37SR7K' } as const;
const before: Customer = {
  id: 'c_01HD44FHDPG82VQ4QNHDR4N2T0',
  externalId: 'user_42',
  email: { email: 'peter@example.com', isVerified: false, verifiedAt: null },
  fullName: 'Peter Santos',
  shortName: 'Peter',
  markedAsSpamAt: null,
  markedAsSpamBy: null,
  customerGroupMemberships: [],
  createdAt: '2023-10-04T14:17:41.991Z',
  createdBy: actor,
  updatedAt: '2023-10-04T14:17:41.991Z',
  updatedBy: actor,
};
const after: Customer = {
  ...before,
  markedAsSpamAt: '2023-10-19T14:21:43.616Z',
  markedAsSpamBy: actor,
  updatedAt: '2023-10-19T14:21:43.616Z',
};

function change(type: CustomerChangeMessage['type']): CustomerChangeMessage {
  return {
    id: 'pEv_01HD450JT0RPBT7RRKS1ZQJYBA',
    type,
    workspaceId: 'w_01GST0W989ZNAW53X6XYHAY87P',
    customerId: before.id,
    version: 2,
    customer: type === 'customer.customer_deleted' ? null : after,
    previousCustomer: type === 'customer.customer_created' ? null : before,
    actor,
    occurredAt: '2023-10-19T14:21:43.616Z',
  };
}

function input(
  event: CustomerChangeMessage,
  eventType: WebhookEventType,
  version: WebhookVersion,
  number = 1,
): RenderInput {
  return {
    event,
    eventType,
    target: { id: 'whTarget_01HD4400VTDJQ646V6RY37SR7K', version },
    attempt: { id: 'whAttempt_01HD450N6X782MDTDBMS6Z14DJ', number, timestamp: '2023-10-19T14:21:46.077Z' },
  };
}

describe(renderWebhookBody.name, () => {
  it("renders a spam mark exactly as Plain's customer.customer_updated example", () => {
    const sut = renderWebhookBody(
      input(change('customer.customer_updated'), 'customer.customer_updated', '2024-09-18'),
    );
    expect(sut).toEqual({
      timestamp: '2023-10-19T14:21:43.616Z',
      workspaceId: 'w_01GST0W989ZNAW53X6XYHAY87P',
      id: 'pEv_01HD450JT0RPBT7RRKS1ZQJYBA',
      type: 'customer.customer_updated',
      payload: { eventType: 'customer.customer_updated', customer: after, previousCustomer: before },
      webhookMetadata: {
        webhookTargetId: 'whTarget_01HD4400VTDJQ646V6RY37SR7K',
        webhookTargetVersion: '2024-09-18',
        webhookDeliveryAttemptId: 'whAttempt_01HD450N6X782MDTDBMS6Z14DJ',
        webhookDeliveryAttemptNumber: 1,
        webhookDeliveryAttemptTimestamp: '2023-10-19T14:21:46.077Z',
      },
    });
  });

  const cases: Array<[CustomerChangeMessage['type'], WebhookEventType]> = [
    ['customer.customer_created', 'customer.customer_created'],
    ['customer.customer_updated', 'customer.customer_updated'],
    ['customer.customer_deleted', 'customer.customer_deleted'],
    ['customer.customer_created', 'customer.customer_changed'],
    ['customer.customer_updated', 'customer.customer_changed'],
  ];
  describe.each(WEBHOOK_VERSIONS.map((v) => [v]))('for version %s', (version) => {
    it.each(cases)("a %s rendered as %s passes that version's parsePlainWebhook", (changeType, eventType) => {
      const body = JSON.stringify(renderWebhookBody(input(change(changeType), eventType, version, 3)));
      const parsed = PARSERS[version](body);
      expect(parsed.error).toBeUndefined();
      expect(parsed.data).toMatchObject({ type: eventType, payload: { eventType } });
    });

    it('is refused by the parser of every other version', () => {
      const body = renderWebhookBody(
        input(change('customer.customer_updated'), 'customer.customer_updated', version),
      );
      for (const other of WEBHOOK_VERSIONS.filter((v) => v !== version)) {
        expect(PARSERS[other](body).error).toBeDefined();
      }
    });
  });

  it('tells ADDED from UPDATED in customer.customer_changed, with no previous customer on creation', () => {
    const added = renderWebhookBody(
      input(change('customer.customer_created'), 'customer.customer_changed', '2026-02-27'),
    );
    const updated = renderWebhookBody(
      input(change('customer.customer_updated'), 'customer.customer_changed', '2026-02-27'),
    );
    expect(added.payload).toMatchObject({ changeType: 'ADDED', previousCustomer: null, customer: after });
    expect(updated.payload).toMatchObject({
      changeType: 'UPDATED',
      previousCustomer: before,
      customer: after,
    });
  });

  it('keeps the event id and changes only the attempt metadata between attempts', () => {
    const event = change('customer.customer_updated');
    const first = renderWebhookBody(input(event, 'customer.customer_updated', '2024-09-18', 1));
    const second = renderWebhookBody({
      ...input(event, 'customer.customer_updated', '2025-08-06', 2),
      attempt: {
        id: 'whAttempt_01HD450N6X782MDTDBMS6Z14DK',
        number: 2,
        timestamp: '2023-10-19T14:22:00.000Z',
      },
    });
    expect(second.id).toBe(first.id);
    expect(second.payload).toEqual(first.payload);
    expect(second.webhookMetadata).toMatchObject({
      webhookTargetVersion: '2025-08-06',
      webhookDeliveryAttemptNumber: 2,
      webhookDeliveryAttemptId: 'whAttempt_01HD450N6X782MDTDBMS6Z14DK',
    });
  });

  it('sends only Plain customer fields, and actors Plain has no shape for as UNKNOWN', () => {
    const deletedActor = { actorType: 'deletedCustomer', customerId: before.id } as const;
    const event = change('customer.customer_updated');
    event.customer = { ...after, markedAsSpamBy: deletedActor, internalNote: 'x' } as Customer;
    const sut = renderWebhookBody(input(event, 'customer.customer_updated', '2024-09-18'));
    expect(sut.payload.customer).not.toHaveProperty('internalNote');
    expect(sut.payload.customer).toMatchObject({ markedAsSpamBy: { actorType: 'UNKNOWN' } });
    expect(PARSERS['2024-09-18'](sut).error).toBeUndefined();
  });
});
