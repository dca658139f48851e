import { Injectable, type PipeTransform } from '@nestjs/common';
import { storableTextProblem } from '@app/contracts';
import { ValidationError } from './domain-errors';

/** The `{externalId}` path parameter: 1–255 characters, none of them a NUL or a lone surrogate. */
@Injectable()
export class ExternalIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length < 1 || value.length > 255) {
      throw ValidationError.field('externalId', 'must be 1 to 255 characters');
    }
    const problem = storableTextProblem(value);
    if (problem) throw ValidationError.field('externalId', problem);
    return value;
  }
}
