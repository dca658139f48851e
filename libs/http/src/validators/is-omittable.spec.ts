import { plainToInstance } from 'class-transformer';
import { IsBoolean, IsOptional, validateSync } from 'class-validator';
import { IsOmittable } from './is-omittable';

class Dto {
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;

  @IsOptional()
  @IsBoolean()
  nullable?: boolean | null;
}

const errorsOf = (body: object) => validateSync(plainToInstance(Dto, body)).map((e) => e.property);

describe(IsOmittable.name, () => {
  it('lets the field be left out', () => expect(errorsOf({})).toEqual([]));

  it('applies the other rules to a value that is sent', () => {
    expect(errorsOf({ enabled: true })).toEqual([]);
    expect(errorsOf({ enabled: 'yes' })).toEqual(['enabled']);
  });

  it('refuses null, unlike IsOptional', () => {
    expect(errorsOf({ enabled: null })).toEqual(['enabled']);
    expect(errorsOf({ nullable: null })).toEqual([]);
  });
});
