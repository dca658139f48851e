import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PatchCustomerDto } from './patch-customer.dto';
import { PutCustomerDto } from './put-customer.dto';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true };
const refused = (cls: new () => object, body: object) =>
  validateSync(plainToInstance(cls, body), OPTIONS).map((e) => e.property);

describe(PutCustomerDto.name, () => {
  it('requires email and fullName; shortName may be null, emailVerified may only be left out', () => {
    expect(refused(PutCustomerDto, { email: 'a@example.com', fullName: 'A', shortName: null })).toEqual([]);
    expect(refused(PutCustomerDto, {})).toEqual(['email', 'fullName']);
    expect(refused(PutCustomerDto, { email: 'a@example.com', fullName: 'A', emailVerified: null })).toEqual([
      'emailVerified',
    ]);
  });
});

describe(PatchCustomerDto.name, () => {
  it('lets every field be left out, and applies the PUT rules to those sent', () => {
    expect(refused(PatchCustomerDto, {})).toEqual([]);
    expect(refused(PatchCustomerDto, { email: 'nope', fullName: '', shortName: 'x'.repeat(201) })).toEqual([
      'email',
      'fullName',
      'shortName',
    ]);
    expect(refused(PatchCustomerDto, { nickname: 'P' })).toEqual(['nickname']);
  });

  it('refuses null for every field but shortName, which null clears', () => {
    expect(refused(PatchCustomerDto, { email: null, fullName: null, emailVerified: null })).toEqual([
      'email',
      'fullName',
      'emailVerified',
    ]);
    expect(refused(PatchCustomerDto, { shortName: null })).toEqual([]);
  });
});
