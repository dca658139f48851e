import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { TimelineQueryDto } from './timeline-query.dto';

function validate(query: Record<string, string>) {
  const dto = plainToInstance(TimelineQueryDto, query);
  return {
    dto,
    fields: validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }).map((e) => e.property),
  };
}

describe(TimelineQueryDto.name, () => {
  it('defaults limit to 50', () => {
    expect(validate({})).toEqual({ dto: expect.objectContaining({ limit: 50 }), fields: [] });
  });

  it.each(['1', '200'])('accepts limit=%s', (limit) => {
    expect(validate({ limit }).fields).toEqual([]);
  });

  it.each(['0', '201', '-1', '1.5', 'ten', ''])('refuses limit=%s', (limit) => {
    expect(validate({ limit }).fields).toEqual(['limit']);
  });

  it('splits types on commas', () => {
    expect(validate({ types: 'order.placed,order.shipped' }).dto.types).toEqual([
      'order.placed',
      'order.shipped',
    ]);
  });

  it.each(['', 'Order.Placed', 'a,,b'])('refuses types=%s', (types) => {
    expect(validate({ types }).fields).toEqual(['types']);
  });

  it('splits excludeTypes on commas', () => {
    expect(validate({ excludeTypes: 'page.viewed,customer.customer_updated' }).dto.excludeTypes).toEqual([
      'page.viewed',
      'customer.customer_updated',
    ]);
  });

  it.each(['', 'Page Viewed', 'a,,b', Array.from({ length: 51 }, (_, i) => `t${i}`).join(',')])(
    'refuses excludeTypes=%s',
    (excludeTypes) => {
      expect(validate({ excludeTypes }).fields).toEqual(['excludeTypes']);
    },
  );

  it('accepts RFC 3339 bounds with an offset', () => {
    expect(validate({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00+02:00' }).fields).toEqual([]);
  });

  it.each(['2026-01-01', '2026-02-30T00:00:00Z', 'yesterday', '1767225600'])('refuses from=%s', (from) => {
    expect(validate({ from }).fields).toEqual(['from']);
  });

  it.each([
    ['from', '0000-01-01T00:00:00Z'],
    ['to', '9999-12-31T23:59:59-01:00'],
    ['from', '0001-01-01T00:30:00+01:00'],
  ])('refuses %s=%s, outside years 0001–9999 once its offset is applied', (field, value) => {
    expect(validate({ [field]: value }).fields).toEqual([field]);
  });

  it('accepts bounds from year 0001 to year 9999, years below 100 included', () => {
    expect(validate({ from: '0001-01-01T00:00:00Z', to: '9999-12-31T23:59:59.999Z' }).fields).toEqual([]);
    expect(validate({ from: '0050-06-01T00:00:00+01:00' }).fields).toEqual([]);
  });

  it('refuses unknown parameters', () => {
    expect(validate({ offset: '10' }).fields).toEqual(['offset']);
  });
});
