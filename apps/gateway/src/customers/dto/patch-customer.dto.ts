import { PartialType } from '@nestjs/swagger';
import { PutCustomerDto } from './put-customer.dto';

/**
 * The PUT body's fields and rules, each of which may be left out (it then stays as it is) but not sent as
 * null, except shortName, which null clears.
 */
export class PatchCustomerDto extends PartialType(PutCustomerDto, { skipNullProperties: false }) {}
