import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { WorkspacesRepository } from './workspaces.repository';
import { openTestDataSource } from '@test/support/test-database';

describe(`${ApiKeysService.name} against PostgreSQL`, () => {
  let dataSource: DataSource;
  let sut: ApiKeysService;

  beforeAll(async () => {
    dataSource = await openTestDataSource('api-keys-spec');
  });

  beforeEach(() => {
    sut = new ApiKeysService(new ApiKeysRepository(dataSource), new WorkspacesRepository(dataSource));
  });

  afterAll(() => dataSource.destroy());

  it('creates the workspace when the name is new and reuses it after', async () => {
    const name = `ws-${randomBytes(4).toString('hex')}`;
    const first = await sut.create(name);
    const second = await sut.create(name);
    expect(first.workspaceId).toMatch(/^w_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(second.workspaceId).toBe(first.workspaceId);
    expect(second.apiKeyId).not.toBe(first.apiKeyId);
  });

  it('authenticates a key as its machine user, scoped to its workspace', async () => {
    const created = await sut.create(`ws-${randomBytes(4).toString('hex')}`);
    expect(await sut.authenticate(created.apiKey)).toEqual({
      workspaceId: created.workspaceId,
      machineUserId: created.apiKeyId,
      actor: { actorType: 'machineUser', machineUserId: created.apiKeyId },
    });
  });

  it('stores no usable form of the key', async () => {
    const created = await sut.create(`ws-${randomBytes(4).toString('hex')}`);
    const rows: Array<Record<string, unknown>> = await dataSource.query(
      'SELECT * FROM api_keys WHERE id = $1',
      [created.apiKeyId],
    );
    // The secret is everything after `sdk_<apiKeyId>_`: base64url may itself hold '_', so it is not the last '_' part.
    const secret = created.apiKey.slice(`sdk_${created.apiKeyId}_`.length);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('refuses a revoked key (once the short verification cache has expired)', async () => {
    const created = await sut.create(`ws-${randomBytes(4).toString('hex')}`);
    expect(await sut.revoke(created.apiKeyId)).toBe(true);
    const fresh = new ApiKeysService(new ApiKeysRepository(dataSource), new WorkspacesRepository(dataSource));
    expect(await fresh.authenticate(created.apiKey)).toBeUndefined();
  });

  it('refuses a key whose secret was altered, and unknown or malformed keys', async () => {
    const created = await sut.create(`ws-${randomBytes(4).toString('hex')}`);
    const tampered = created.apiKey.slice(0, -2) + (created.apiKey.endsWith('AA') ? 'BB' : 'AA');
    expect(await sut.authenticate(tampered)).toBeUndefined();
    expect(await sut.authenticate('sdk_mu_00000000000000000000000000_' + 'a'.repeat(43))).toBeUndefined();
    expect(await sut.authenticate('garbage')).toBeUndefined();
    expect(await sut.authenticate(undefined)).toBeUndefined();
  });
});
