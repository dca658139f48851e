import 'reflect-metadata';
import { IsOptional, IsString, validate } from 'class-validator';
import { IsEmailAddress, IsStorableText } from './is-storable-text';

class CustomerDto {
  @IsEmailAddress()
  email!: unknown;

  @IsString()
  @IsStorableText()
  fullName!: unknown;

  @IsOptional()
  @IsString()
  @IsStorableText()
  shortName?: unknown;
}

async function problems(fields: Partial<CustomerDto>): Promise<Record<string, string[]>> {
  const dto = Object.assign(new CustomerDto(), { email: 'peter@example.com', fullName: 'Peter', ...fields });
  const errors = await validate(dto);
  return Object.fromEntries(errors.map((e) => [e.property, Object.values(e.constraints ?? {})]));
}

describe(IsStorableText.name, () => {
  it('accepts any well-formed text', async () => {
    expect(await problems({ fullName: 'Pétér 🎉 Santos', shortName: '日本' })).toEqual({});
  });

  it.each([
    ['fullName', 'Peter\ud800'],
    ['shortName', '\udc00Pete'],
    ['fullName', 'Pe\u0000ter'],
  ])('refuses %s %j naming the field', async (field, value) => {
    expect(await problems({ [field]: value })).toEqual({
      [field]: [expect.stringMatching(new RegExp(`^${field} must not contain`))],
    });
  });

  it('leaves non-strings to @IsString', async () => {
    expect(await problems({ fullName: 42 })).toEqual({ fullName: ['fullName must be a string'] });
  });
});

describe(IsEmailAddress.name, () => {
  it('refuses a lone surrogate with a 400-style message instead of throwing a URIError', async () => {
    expect(await problems({ email: 'pe\ud800ter@example.com' })).toEqual({
      email: [expect.stringMatching(/^email must not contain a lone UTF-16 surrogate/)],
    });
  });

  it.each(['not-an-email', 42, null])('refuses %p as not an email', async (email) => {
    expect(await problems({ email })).toEqual({ email: ['email must be an email'] });
  });

  it('accepts an email', async () => expect(await problems({})).toEqual({}));
});
