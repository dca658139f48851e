import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { CustomerChangeMessageSchema } from './customer-changes/value';
import { CustomerEventMessageSchema } from './customer-events/value';
import { TOPICS } from './topics';

/**
 * docs/contracts/<topic>.schema.json are the message schemas as they are in the code, for readers and other
 * tools. When a schema changes, rewrite them with `WRITE_CONTRACT_SCHEMAS=1 npm run test:unit -- published-schemas`.
 */
const DOCS = join(__dirname, '../../../docs/contracts');
const PUBLISHED: Array<[string, TSchema]> = [
  [TOPICS.customerEvents, CustomerEventMessageSchema],
  [TOPICS.customerChanges, CustomerChangeMessageSchema],
];

const published = (schema: TSchema) =>
  `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }, null, 2)}\n`;

describe('published message schemas', () => {
  it.each(PUBLISHED)(
    'docs/contracts/%s.schema.json is the schema the code validates with',
    (topic, schema) => {
      const file = join(DOCS, `${topic}.schema.json`);
      if (process.env.WRITE_CONTRACT_SCHEMAS === '1') writeFileSync(file, published(schema));
      expect(readFileSync(file, 'utf8')).toBe(published(schema));
    },
  );
});
