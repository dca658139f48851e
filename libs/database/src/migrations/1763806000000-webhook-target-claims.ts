import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookTargetClaims1763806000000 implements MigrationInterface {
  name = 'WebhookTargetClaims1763806000000';

  async up(q: QueryRunner): Promise<void> {
    // How many deliveries have ever been claimed for the target, counted by the claim that takes them. A claim
    // holds the target's row lock, which gives it this row's newest version; its snapshot's version can be
    // older. The difference is what claims committed since its snapshot took, which its count of deliveries in
    // flight cannot see (delivery-claims.sql.ts).
    await q.query(`ALTER TABLE webhook_targets ADD COLUMN claimed_total bigint NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_targets DROP COLUMN claimed_total`);
  }
}
