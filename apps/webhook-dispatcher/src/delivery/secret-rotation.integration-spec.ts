import type { DataSource } from 'typeorm';
import { inWorkspace, newId, parseWorkspaceId, type WorkspaceId } from '@app/contracts';
import { generateSigningSecret, SecretBox } from '../secrets';
import { WebhookTargetsRepository } from '../targets';
import { DeliveryClaimsRepository } from './delivery-claims.repository';
import { DeliveryIntakeRepository } from './delivery-intake.repository';
import { testChange } from '@test/support/customer-changes';
import { openTestDataSource } from '@test/support/test-database';
import { insertTestWorkspace } from '@test/support/workspaces';

const GRACE_MS = 24 * 3_600_000;
const box = new SecretBox(Buffer.alloc(32, 9));

describe('webhook secret rotation in PostgreSQL', () => {
  let db: DataSource;
  let targets: WebhookTargetsRepository;
  let claims: DeliveryClaimsRepository;

  beforeAll(async () => {
    db = await openTestDataSource('rotation-it');
    targets = new WebhookTargetsRepository(db);
    claims = new DeliveryClaimsRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  async function targetWith(secret: string): Promise<{ workspaceId: WorkspaceId; targetId: string }> {
    const workspaceId = await insertTestWorkspace(db);
    const targetId = newId('whTarget');
    await targets.insert({
      id: targetId,
      workspaceId,
      url: 'http://127.0.0.1:9/hook',
      version: '2026-02-27',
      eventTypes: ['customer.customer_deleted'],
      description: null,
      enabled: true,
      secretEncrypted: box.seal(secret, targetId),
    });
    return { workspaceId, targetId };
  }

  const rotate = (workspaceId: string, targetId: string, secret: string) =>
    targets.rotateSecret(parseWorkspaceId(workspaceId), targetId, box.seal(secret, targetId), GRACE_MS);

  /** The secrets a worker signs the target's next attempt with, current first. */
  async function signingSecrets(workspaceId: WorkspaceId, targetId: string): Promise<string[]> {
    // Earlier tests' deliveries are finished, so that this claim takes only this target's.
    await db.query(`UPDATE webhook_deliveries SET status = 'succeeded' WHERE status <> 'succeeded'`);
    await db.transaction((em) =>
      new DeliveryIntakeRepository().record(em, [
        inWorkspace(testChange(workspaceId, 'customer.customer_deleted', 2)),
      ]),
    );
    const claimed = await claims.claimDueAcrossWorkspaces({ limit: 10, perTarget: 10, leaseMs: 60_000 });
    const mine = claimed.filter((c) => c.targetId === targetId);
    expect(mine).toHaveLength(1);
    const { secretEncrypted, retiredSecretsEncrypted } = mine[0].target;
    return [secretEncrypted, ...retiredSecretsEncrypted].map((sealed) => box.open(sealed, targetId));
  }

  it('after two rotations within 24 h, signs with the current secret and both rotated out, newest first', async () => {
    const [original, second, current] = [
      generateSigningSecret(),
      generateSigningSecret(),
      generateSigningSecret(),
    ];
    const { workspaceId, targetId } = await targetWith(original);
    await rotate(workspaceId, targetId, second);
    const rotated = await rotate(workspaceId, targetId, current);

    expect(await signingSecrets(workspaceId, targetId)).toEqual([current, second, original]);
    const expiresIn = Date.parse(rotated!.previousSecretExpiresAt!) - Date.now();
    expect(expiresIn).toBeGreaterThan(GRACE_MS - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(GRACE_MS);
    expect((await targets.find(workspaceId, targetId))?.previousSecretExpiresAt).toBe(
      rotated!.previousSecretExpiresAt,
    );
  });

  it('stores rotated-out secrets only sealed', async () => {
    const original = generateSigningSecret();
    const { workspaceId, targetId } = await targetWith(original);
    await rotate(workspaceId, targetId, generateSigningSecret());
    const rows: Array<{ secret_encrypted: Buffer }> = await db.query(
      'SELECT secret_encrypted FROM webhook_target_retired_secrets WHERE target_id = $1',
      [targetId],
    );
    expect(rows).toHaveLength(1);
    expect(box.open(rows[0].secret_encrypted, targetId)).toBe(original);
    const base64 = original.slice('whsec_'.length);
    expect(rows[0].secret_encrypted.toString('latin1')).not.toContain(base64.slice(0, 16));
    expect(rows[0].secret_encrypted.toString('base64')).not.toContain(base64.slice(0, 16));
  });

  it('stops signing with a secret 24 h after its rotation, and drops it at the next rotation', async () => {
    const [expired, current] = [generateSigningSecret(), generateSigningSecret()];
    const { workspaceId, targetId } = await targetWith(current);
    await db.query(
      `INSERT INTO webhook_target_retired_secrets (target_id, secret_encrypted, rotated_at, expires_at)
       VALUES ($1, $2, now() - interval '25 hours', now() - interval '1 hour')`,
      [targetId, box.seal(expired, targetId)],
    );
    expect(await signingSecrets(workspaceId, targetId)).toEqual([current]);
    expect((await targets.find(workspaceId, targetId))?.previousSecretExpiresAt).toBeNull();

    const next = generateSigningSecret();
    await rotate(workspaceId, targetId, next);
    const stored: Array<{ n: string }> = await db.query(
      'SELECT count(*) AS n FROM webhook_target_retired_secrets WHERE target_id = $1',
      [targetId],
    );
    expect(stored[0].n).toBe('1');
    expect(await signingSecrets(workspaceId, targetId)).toEqual([next, current]);
  });

  it('rotates nothing for a target of another workspace', async () => {
    const { targetId } = await targetWith(generateSigningSecret());
    expect(await rotate(newId('w'), targetId, generateSigningSecret())).toBeUndefined();
    const stored: Array<{ n: string }> = await db.query(
      'SELECT count(*) AS n FROM webhook_target_retired_secrets WHERE target_id = $1',
      [targetId],
    );
    expect(stored[0].n).toBe('0');
  });
});
