import { parsePlainJson } from './fastify-hardening';
import { MAX_REQUEST_DEPTH } from './validation.pipe';

describe(parsePlainJson.name, () => {
  it('parses plain JSON as JSON.parse does', () => {
    const text =
      '{"customerExternalId":"user_42","type":"order.placed","payload":{"total":149.9,"items":[1,2]}}';
    expect(parsePlainJson(text)).toEqual(JSON.parse(text));
    expect(parsePlainJson('null')).toBeNull();
    expect(parsePlainJson('[]')).toEqual([]);
  });

  it.each([
    ['an empty body', ''],
    ['malformed JSON', '{"type":'],
    ['a byte-order mark', '\ufeff{}'],
    ['a __proto__ key', '{"__proto__":{"x":1}}'],
    ['a constructor key', '{"constructor":{"prototype":{}}}'],
    ['an escape (which could spell a poisoning key)', '{"\\u005f_proto__":{}}'],
    ['a number a double cannot hold as written', '{"n":1e400}'],
    ['a number with more digits than a double keeps', '{"n":0.12345678901234567891}'],
    ['nesting past the limit', `${'['.repeat(MAX_REQUEST_DEPTH + 1)}${']'.repeat(MAX_REQUEST_DEPTH + 1)}`],
  ])('leaves %s to the JSON parser (undefined)', (_case, text) => {
    expect(parsePlainJson(text)).toBeUndefined();
  });

  it('parses nesting up to the limit', () => {
    const text = `${'['.repeat(MAX_REQUEST_DEPTH)}${']'.repeat(MAX_REQUEST_DEPTH)}`;
    expect(parsePlainJson(text)).toBeDefined();
  });
});
