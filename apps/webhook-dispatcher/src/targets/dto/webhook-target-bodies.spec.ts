import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateWebhookTargetDto } from './create-webhook-target.dto';
import { UpdateWebhookTargetDto } from './update-webhook-target.dto';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true };
const refused = (cls: new () => object, body: object) =>
  validateSync(plainToInstance(cls, body), OPTIONS).map((e) => e.property);

const created = { url: 'http://127.0.0.1:9/hook', eventTypes: ['customer.customer_updated'] };

describe(CreateWebhookTargetDto.name, () => {
  it('requires url and eventTypes and lets the others be left out', () => {
    expect(refused(CreateWebhookTargetDto, created)).toEqual([]);
    expect(refused(CreateWebhookTargetDto, {})).toEqual(['url', 'eventTypes']);
  });

  it('refuses version and enabled sent as null, and takes a null description', () => {
    expect(refused(CreateWebhookTargetDto, { ...created, version: null, enabled: null })).toEqual([
      'version',
      'enabled',
    ]);
    expect(refused(CreateWebhookTargetDto, { ...created, description: null })).toEqual([]);
  });
});

describe(UpdateWebhookTargetDto.name, () => {
  it('lets every field be left out, and applies the creation rules to those sent', () => {
    expect(refused(UpdateWebhookTargetDto, {})).toEqual([]);
    expect(
      refused(UpdateWebhookTargetDto, { url: 7, version: '2020-01-01', eventTypes: [], enabled: 'yes' }),
    ).toEqual(['url', 'version', 'eventTypes', 'enabled']);
    expect(refused(UpdateWebhookTargetDto, { color: 'red' })).toEqual(['color']);
  });

  it('refuses null for every field but description, which null clears', () => {
    expect(
      refused(UpdateWebhookTargetDto, { url: null, version: null, eventTypes: null, enabled: null }),
    ).toEqual(['url', 'version', 'eventTypes', 'enabled']);
    expect(refused(UpdateWebhookTargetDto, { description: null })).toEqual([]);
  });
});
