import { Module } from '@nestjs/common';
import { IdempotencyPurger } from './idempotency-purger.service';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';

/** Idempotency-Keys: the key protocol (`IdempotencyService.run`), its table, and the purger of old keys. */
@Module({
  providers: [IdempotencyRepository, IdempotencyService, IdempotencyPurger],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
