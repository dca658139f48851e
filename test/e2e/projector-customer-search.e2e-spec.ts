import { randomBytes } from 'node:crypto';
import { request } from '@test/support/api-client';
import type { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey } from '@test/support/fixtures';
import { CustomerScript, startProjector, TopicWriter } from './projector-fixtures';

describe('projector: GET /api/v1/customers?query= (customer search)', () => {
  let projector: AppProcess;
  let mine: { apiKey: string; workspaceId: string };
  let theirs: { apiKey: string; workspaceId: string };
  const writer = new TopicWriter();
  const tag = randomBytes(4).toString('hex');
  let ada: CustomerScript;
  let grace: CustomerScript;

  const search = (query: string, apiKey = mine.apiKey) =>
    request(projector.url, 'GET', `/api/v1/customers${query}`, { apiKey });
  const externalIds = async (query: string, apiKey?: string) => {
    const response = await search(query, apiKey);
    expect(response.status).toBe(200);
    return response.body.data.items.map((c: { externalId: string }) => c.externalId);
  };

  /** A customer projected with the given email and names. */
  async function customer(
    workspaceId: string,
    externalId: string,
    email: string,
    fullName: string,
    shortName: string | null,
  ): Promise<CustomerScript> {
    const script = new CustomerScript(workspaceId, externalId);
    await writer.changes(
      script.created(),
      script.updated({ email: { email, isVerified: false, verifiedAt: null }, fullName, shortName }),
    );
    return script;
  }

  beforeAll(async () => {
    [projector, mine, theirs] = await Promise.all([
      startProjector(),
      createApiKey(),
      createApiKey(),
      writer.connect(),
    ]);
    ada = await customer(
      mine.workspaceId,
      `crm-${tag}-0042`,
      `ada.${tag}@Analytical.example`,
      'Ada Lovelace',
      'Ada',
    );
    grace = await customer(
      mine.workspaceId,
      `crm-${tag}-0043`,
      `grace.${tag}@navy.example`,
      'Grace Hopper',
      null,
    );
    // Another workspace's customer matching every query below: it must never come back.
    await customer(
      theirs.workspaceId,
      `crm-${tag}-0044`,
      `ada.${tag}@elsewhere.example`,
      'Ada Lovelace',
      'Ada',
    );
    await eventually(async () => expect(await externalIds(`?query=${tag}`)).toHaveLength(2));
    await eventually(async () => expect(await externalIds(`?query=${tag}`, theirs.apiKey)).toHaveLength(1));
  });

  afterAll(async () => {
    await writer.disconnect();
    expect(await projector?.stop()).toBe(0);
  });

  it('finds a customer by part of the email, in any case', async () => {
    expect(await externalIds(`?query=ADA.${tag}@anal`)).toEqual([ada.externalId]);
    expect(await externalIds(`?query=navy.example`)).toContain(grace.externalId);
  });

  it('finds a customer by part of the full name or the short name, in any case', async () => {
    expect(await externalIds(`?query=lovelace`)).toContain(ada.externalId);
    expect(await externalIds(`?query=gRaCe%20hop`)).toContain(grace.externalId);
    expect(await externalIds(`?query=lovelace`)).not.toContain(grace.externalId);
  });

  it('finds a customer by part of the externalId, the exact externalId first', async () => {
    expect(await externalIds(`?query=${tag}-004`)).toEqual([ada.externalId, grace.externalId]);
    expect(await externalIds(`?query=${grace.externalId}`)).toEqual([grace.externalId]);
  });

  it("answers customers in the shape of the profile endpoint, and never another workspace's", async () => {
    const response = await search(`?query=${tag}`);
    expect(response.body.data.items.map((c: any) => [c.externalId, c.email.email, c.fullName])).toEqual([
      [ada.externalId, `ada.${tag}@Analytical.example`, 'Ada Lovelace'],
      [grace.externalId, `grace.${tag}@navy.example`, 'Grace Hopper'],
    ]);
    expect(await externalIds(`?query=elsewhere.example`)).not.toContain(`crm-${tag}-0044`);
    expect(await externalIds(`?query=${tag}`, theirs.apiKey)).toEqual([`crm-${tag}-0044`]);
  });

  it('matches % and _ literally, not as wildcards', async () => {
    expect(await externalIds(`?query=${tag}%25`)).toEqual([]);
    expect(await externalIds(`?query=ada_${tag}`)).toEqual([]);
  });

  it('answers at most `limit` customers', async () => {
    expect(await externalIds(`?query=${tag}&limit=1`)).toEqual([ada.externalId]);
  });

  it.each([
    ['', 'query'],
    ['?query=', 'query'],
    ['?query=a', 'query'],
    [`?query=${'a'.repeat(201)}`, 'query'],
    ['?query=a%00b', 'query'],
    ['?query=ada&limit=0', 'limit'],
    ['?query=ada&limit=21', 'limit'],
    ['?query=ada&limit=ten', 'limit'],
    ['?query=ada&offset=10', 'offset'],
  ])('refuses %p with 400 VALIDATION_ERROR naming %s', async (query, field) => {
    const response = await search(query);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('refuses a request without a valid X-API-Key with 401', async () => {
    expect((await search('?query=ada', 'sk_nope')).status).toBe(401);
  });
});
