import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationError } from './domain-errors';

/** The `{externalId}` path parameter: 1–255 characters. */
@Injectable()
export class ExternalIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length < 1 || value.length > 255) {
      throw ValidationError.field('externalId', 'must be 1 to 255 characters');
    }
    return value;
  }
}
