import { verifyPlainWebhook } from 'plain-sdk-2026-02-27';
import { Webhook } from 'standardwebhooks';
import { generateSigningSecret } from '../secrets';
import { plainSignature, signatureHeaders, standardSignature } from './webhook-signer';

function body(): string {
  const now = new Date().toISOString();
  const customer = {
    id: 'c_01HD44FHDPG82VQ4QNHDR4N2T0',
    email: { email: 'peter@example.com', isVerified: false, verifiedAt: null },
    externalId: 'user_42',
    fullName: 'Peter Santos',
    shortName: null,
    markedAsSpamAt: null,
    markedAsSpamBy: null,
    customerGroupMemberships: [],
    createdAt: now,
    createdBy: { actorType: 'system', system: 'test' },
    updatedAt: now,
    updatedBy: { actorType: 'system', system: 'test' },
  };
  return JSON.stringify({
    timestamp: now,
    workspaceId: 'w_01GST0W989ZNAW53X6XYHAY87P',
    id: 'pEv_01HD450JT0RPBT7RRKS1ZQJYBA',
    type: 'customer.customer_created',
    payload: { eventType: 'customer.customer_created', customer },
    webhookMetadata: {
      webhookTargetId: 'whTarget_01HD4400VTDJQ646V6RY37SR7K',
      webhookTargetVersion: '2026-02-27',
      webhookDeliveryAttemptId: 'whAttempt_01HD450N6X782MDTDBMS6Z14DJ',
      webhookDeliveryAttemptNumber: 1,
      webhookDeliveryAttemptTimestamp: now,
    },
  });
}

describe(signatureHeaders.name, () => {
  const eventId = 'pEv_01HD450JT0RPBT7RRKS1ZQJYBA';
  const timestampSeconds = () => Math.floor(Date.now() / 1000);
  const sign = (raw: string, secrets: string[]) =>
    signatureHeaders({ body: raw, eventId, timestampSeconds: timestampSeconds(), secrets });

  it("produces a Plain-Request-Signature that Plain's verifyPlainWebhook accepts with the secret", () => {
    const secret = generateSigningSecret();
    const raw = body();
    const sut = sign(raw, [secret]);
    const verified = verifyPlainWebhook(raw, sut['Plain-Request-Signature'], secret);
    expect(verified.error).toBeUndefined();
    expect(sut['Plain-Request-Signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('produces a webhook-signature that standardwebhooks verifies, with webhook-id the event id', () => {
    const secret = generateSigningSecret();
    const raw = body();
    const sut = sign(raw, [secret]);
    expect(sut['webhook-id']).toBe(eventId);
    expect(sut['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(raw, sut)).toEqual(JSON.parse(raw));
  });

  it('during a rotation signs with both secrets, and each verifies on its own', () => {
    const [current, previous] = [generateSigningSecret(), generateSigningSecret()];
    const raw = body();
    const sut = sign(raw, [current, previous]);
    expect(sut['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(raw, sut)).not.toThrow();
    expect(() => new Webhook(previous).verify(raw, sut)).not.toThrow();
    expect(verifyPlainWebhook(raw, sut['Plain-Request-Signature'], current).error).toBeUndefined();
    expect(verifyPlainWebhook(raw, sut['Plain-Request-Signature-Previous'], previous).error).toBeUndefined();
  });

  it('after two rotations signs with all three secrets, current first, the last rotated out in the Plain header', () => {
    const [current, previous, older] = [
      generateSigningSecret(),
      generateSigningSecret(),
      generateSigningSecret(),
    ];
    const raw = body();
    const timestamp = timestampSeconds();
    const sut = signatureHeaders({
      body: raw,
      eventId,
      timestampSeconds: timestamp,
      secrets: [current, previous, older],
    });
    expect(sut['webhook-signature'].split(' ')).toEqual(
      [current, previous, older].map((secret) => standardSignature(eventId, timestamp, raw, secret)),
    );
    for (const secret of [current, previous, older]) {
      expect(() => new Webhook(secret).verify(raw, sut)).not.toThrow();
    }
    expect(verifyPlainWebhook(raw, sut['Plain-Request-Signature'], current).error).toBeUndefined();
    expect(verifyPlainWebhook(raw, sut['Plain-Request-Signature-Previous'], previous).error).toBeUndefined();
  });

  it('sends no Plain-Request-Signature-Previous without a rotated-out secret', () => {
    const sut = sign(body(), [generateSigningSecret()]);
    expect(sut).not.toHaveProperty('Plain-Request-Signature-Previous');
    expect(sut['webhook-signature'].split(' ')).toHaveLength(1);
  });

  it('is refused for a tampered body or another secret', () => {
    const secret = generateSigningSecret();
    const raw = body();
    const sut = sign(raw, [secret]);
    const tampered = raw.replace('Peter', 'Petra');
    expect(verifyPlainWebhook(tampered, sut['Plain-Request-Signature'], secret).error).toBeDefined();
    expect(() => new Webhook(secret).verify(tampered, sut)).toThrow();
    expect(() => new Webhook(generateSigningSecret()).verify(raw, sut)).toThrow();
    expect(plainSignature(raw, generateSigningSecret())).not.toBe(sut['Plain-Request-Signature']);
  });
});
