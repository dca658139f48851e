import { useOwnTopics } from '@test/support/own-topics';
import { randomBytes } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { dlqTopicOf, newId } from '@app/contracts';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey } from '@test/support/fixtures';
import { RecordingReceiver } from '@test/support/recording-receiver';
import { request } from '@test/support/api-client';
import { sql } from './gateway-helpers';
import {
  changesTopic,
  CustomerScript,
  eventsTopic,
  readTopic,
  timelineIdCounts,
  TopicWriter,
} from './projector-fixtures';

const PROJECTOR_GROUP = `faults-poison-projector-${randomBytes(4).toString('hex')}`;
const DISPATCHER_GROUP = `faults-poison-dispatcher-${randomBytes(4).toString('hex')}`;

function headersOf(message: KafkaMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
}

/**
 * Poison of every kind for a topic, given a valid message of it, the same message from a workspace that does
 * not exist (its own ids: it must not collide with real rows), and a message of the other topic.
 */
function poisonFor(
  valid: Record<string, unknown>,
  unknownWorkspace: unknown,
  otherTopicsMessage: unknown,
): Array<{ kind: string; value: Buffer | string }> {
  return [
    { kind: 'random bytes', value: randomBytes(48) },
    { kind: 'truncated JSON', value: JSON.stringify(valid).slice(0, 20) },
    { kind: 'a JSON array', value: '[1,2,3]' },
    { kind: 'a JSON string', value: '"customer"' },
    { kind: 'an object of the wrong shape', value: JSON.stringify({ hello: 'world' }) },
    { kind: "the other topic's message", value: JSON.stringify(otherTopicsMessage) },
    { kind: 'a field of the wrong type', value: JSON.stringify({ ...valid, occurredAt: 42 }) },
    { kind: 'an unknown workspace', value: JSON.stringify(unknownWorkspace) },
  ];
}

describe('fault: poison messages written straight to each topic', () => {
  let projector: AppProcess;
  let dispatcher: AppProcess;
  let receiver: RecordingReceiver;
  let apiKey: string;
  let workspaceId: string;
  const writer = new TopicWriter();

  beforeAll(async () => {
    await useOwnTopics('faults-poison-messages');
    receiver = await RecordingReceiver.start();
    [projector, dispatcher, { apiKey, workspaceId }] = await Promise.all([
      AppProcess.start('projector', { PROJECTOR_GROUP_ID: PROJECTOR_GROUP, DATABASE_POOL_SIZE: '4' }),
      AppProcess.start('webhook-dispatcher', {
        DISPATCHER_GROUP_ID: DISPATCHER_GROUP,
        DATABASE_POOL_SIZE: '4',
      }),
      createApiKey(),
      writer.connect(),
    ]);
  });

  afterAll(async () => {
    await Promise.all([projector?.stop(), dispatcher?.stop(), writer.disconnect()]);
    await receiver?.close();
  });

  /** The DLQ records of `key` written by `group`, once there are `count` of them. */
  async function deadLettered(topic: string, key: string, group: string, count: number) {
    const mine = (all: KafkaMessage[]) =>
      all.filter((m) => m.key?.toString() === key && headersOf(m)['dlq-consumer-group'] === group);
    return mine(await readTopic(dlqTopicOf(topic), (all) => mine(all).length >= count, 60_000));
  }

  it('customer-events.v1: the projector dead-letters every poison message and projects the valid one after them', async () => {
    const customer = new CustomerScript(workspaceId);
    await writer.changes(customer.created());
    const valid = customer.event('order.after_poison');
    const stranger = new CustomerScript(newId('w'));
    stranger.created();
    const poison = poisonFor(valid, stranger.event('order.forged'), customer.renamed('Other Topic'));
    const key = customer.customerId;
    await writer.raw(eventsTopic(), [
      ...poison.map((p) => ({ key, value: p.value })),
      { key, value: JSON.stringify(valid) },
    ]);

    await eventually(
      async () => expect((await timelineIdCounts(customer.customerId)).get(valid.id)).toBe(1),
      60_000,
    );
    const dead = await deadLettered(eventsTopic(), key, PROJECTOR_GROUP, poison.length);
    expect(dead).toHaveLength(poison.length);
    expect(dead.map((m) => m.value)).toEqual(poison.map((p) => Buffer.from(p.value)));
    for (const h of dead.map(headersOf)) {
      expect(h).toMatchObject({ 'dlq-source-topic': eventsTopic(), 'dlq-consumer-group': PROJECTOR_GROUP });
      expect(h['dlq-error-message']).toBeTruthy();
    }
    // Nothing of the poison reached the read model.
    expect(
      [...(await timelineIdCounts(customer.customerId)).keys()].filter((id) => id.startsWith('cev_')),
    ).toEqual([valid.id]);
    expect((await timelineIdCounts(stranger.customerId)).size).toBe(0);
    expect(projector.child.exitCode).toBeNull();
  });

  it('customer-changes.v1: the projector and the dispatcher both dead-letter every poison message and go on', async () => {
    const target = await request(dispatcher.url, 'POST', '/api/v1/webhook-targets', {
      apiKey,
      body: {
        url: receiver.url('/poison'),
        eventTypes: ['customer.customer_created', 'customer.customer_updated'],
      },
    });
    expect(target.status).toBe(201);
    const customer = new CustomerScript(workspaceId);
    const valid = customer.created();
    const stranger = new CustomerScript(newId('w'));
    const poison = poisonFor(valid, stranger.created(), customer.event());
    const key = customer.customerId;
    await writer.raw(changesTopic(), [
      ...poison.map((p) => ({ key, value: p.value })),
      { key, value: JSON.stringify(valid) },
    ]);

    // The valid change after the poison: projected, and delivered.
    await eventually(
      async () => expect((await timelineIdCounts(customer.customerId)).get(valid.id)).toBe(1),
      60_000,
    );
    await eventually(() => expect(receiver.attempts.map((a) => a.eventId)).toEqual([valid.id]), 60_000);
    for (const group of [PROJECTOR_GROUP, DISPATCHER_GROUP]) {
      const dead = await deadLettered(changesTopic(), key, group, poison.length);
      expect(dead.map((m) => m.value)).toEqual(poison.map((p) => Buffer.from(p.value)));
      for (const h of dead.map(headersOf)) expect(h['dlq-source-topic']).toBe(changesTopic());
    }
    // Neither the timeline nor the directory knows the customer of the workspace that does not exist.
    expect((await timelineIdCounts(stranger.customerId)).size).toBe(0);
    expect(
      await sql('SELECT 1 FROM customer_directory WHERE customer_id = $1', [stranger.customerId]),
    ).toEqual([]);
    expect([projector.child.exitCode, dispatcher.child.exitCode]).toEqual([null, null]);
  });

  it('customer-changes.v1: both consumers dead-letter a change whose nested customer breaks the contract, naming the field', async () => {
    const customer = new CustomerScript(workspaceId);
    const created = customer.created();
    const renamed = customer.renamed('Wrong Shape');
    const wrongShape = { ...renamed, customer: { ...renamed.customer!, email: 'peter@example.com' } };
    const after = customer.renamed('Right Shape');
    const key = customer.customerId;
    await writer.raw(changesTopic(), [
      { key, value: JSON.stringify(created) },
      { key, value: JSON.stringify(wrongShape) },
      { key, value: JSON.stringify(after) },
    ]);

    await eventually(
      async () => expect((await timelineIdCounts(customer.customerId)).get(after.id)).toBe(1),
      60_000,
    );
    for (const group of [PROJECTOR_GROUP, DISPATCHER_GROUP]) {
      const [dead] = await deadLettered(changesTopic(), key, group, 1);
      expect(dead.value).toEqual(Buffer.from(JSON.stringify(wrongShape)));
      expect(headersOf(dead)).toMatchObject({
        'dlq-error-type': 'contract-violation',
        'dlq-error-message': expect.stringMatching(/^customer\.email: /),
      });
    }
    expect((await timelineIdCounts(customer.customerId)).has(wrongShape.id)).toBe(false);
  });
});
