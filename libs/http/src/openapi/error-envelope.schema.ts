import { ApiProperty } from '@nestjs/swagger';
import { ERROR_CODES } from '../error-codes';

export class ErrorDetailSchema {
  @ApiProperty({ example: 'type' })
  field!: string;

  @ApiProperty({ example: 'type must match [a-z0-9_.]{1,100} (e.g. order.placed)' })
  message!: string;
}

export class ErrorBodySchema {
  @ApiProperty({ enum: ERROR_CODES, example: 'VALIDATION_ERROR' })
  code!: string;

  @ApiProperty({ example: 'type: type must match [a-z0-9_.]{1,100} (e.g. order.placed)' })
  message!: string;

  @ApiProperty({ type: [ErrorDetailSchema] })
  details!: ErrorDetailSchema[];
}

export class ErrorEnvelopeSchema {
  @ApiProperty({ example: false })
  success!: boolean;

  @ApiProperty({ type: ErrorBodySchema })
  error!: ErrorBodySchema;

  @ApiProperty({ format: 'date-time', example: '2026-04-18T10:00:00.000Z' })
  timestamp!: string;
}
