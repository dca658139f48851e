import { ApiProperty } from '@nestjs/swagger';
import type { Actor, Customer } from '@app/contracts';
import type { SameShape } from './same-shape';

const MACHINE_USER = { actorType: 'machineUser', machineUserId: 'mu_01JS1XK9Z8Y7X6W5V4T3S2R1QP' };

class CustomerEmailResponse {
  @ApiProperty({ example: 'peter@example.com' })
  email!: string;

  @ApiProperty({ example: false })
  isVerified!: boolean;

  @ApiProperty({ format: 'date-time', nullable: true, example: null, type: String })
  verifiedAt!: string | null;
}

const ACTOR_SCHEMA = {
  type: 'object',
  description: "Who acted: for the API, the API key's machine user",
  example: MACHINE_USER,
  properties: {
    actorType: { type: 'string', enum: ['machineUser', 'user', 'system', 'deletedCustomer'] },
    machineUserId: { type: 'string' },
  },
} as const;

/**
 * The `customer` object of Plain's webhook schema: what every customers route answers in `data`. It is the
 * customer-changes.v1 contract's Customer, documented (the build checks that they have the same fields).
 */
export class CustomerResponse {
  @ApiProperty({ example: 'c_01JS1XM2A3B4C5D6E7F8G9H0JK' })
  id!: string;

  @ApiProperty({ example: 'user_42', type: String, nullable: true })
  externalId!: string | null;

  @ApiProperty({ type: CustomerEmailResponse })
  email!: CustomerEmailResponse;

  @ApiProperty({ example: 'Peter Santos' })
  fullName!: string;

  @ApiProperty({ example: 'Peter', type: String, nullable: true })
  shortName!: string | null;

  @ApiProperty({ format: 'date-time', type: String, nullable: true, example: null })
  markedAsSpamAt!: string | null;

  @ApiProperty({ ...ACTOR_SCHEMA, nullable: true, example: null })
  markedAsSpamBy!: Actor | null;

  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [] })
  customerGroupMemberships!: unknown[];

  @ApiProperty({ format: 'date-time', example: '2026-04-18T09:58:12.345Z' })
  createdAt!: string;

  @ApiProperty(ACTOR_SCHEMA)
  createdBy!: Actor;

  @ApiProperty({ format: 'date-time', example: '2026-04-18T09:58:12.345Z' })
  updatedAt!: string;

  @ApiProperty(ACTOR_SCHEMA)
  updatedBy!: Actor;
}

const _shape: SameShape<CustomerResponse, Customer> = true;
