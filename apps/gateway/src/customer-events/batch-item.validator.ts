import { validate } from 'class-validator';
import {
  flattenValidationErrors,
  plainToDto,
  prototypeNamedFields,
  unknownFields,
  ValidationError,
} from '@app/http';
import { CustomerEventBatchItemDto } from './dto/customer-event-batch-item.dto';

/**
 * Validates one batch item with the same rules and options as the global ValidationPipe applies to the single
 * endpoint (unknown fields refused), so an item's errors read exactly like the single endpoint's.
 */
export async function validateBatchItem(
  raw: unknown,
): Promise<{ item: CustomerEventBatchItemDto } | { error: ValidationError }> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { error: ValidationError.field('event', 'must be a JSON object') };
  }
  const strays = prototypeNamedFields(raw);
  if (strays.length > 0) return { error: unknownFields(strays) };
  const item = plainToDto(CustomerEventBatchItemDto, raw);
  const errors = await validate(item, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  if (errors.length === 0) return { item };
  const details = flattenValidationErrors(errors);
  return { error: new ValidationError(details, details.map((d) => `${d.field}: ${d.message}`).join('; ')) };
}
