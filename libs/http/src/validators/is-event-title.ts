import { titleProblem } from '@app/contracts';
import type { ValidationOptions } from 'class-validator';
import { problemDecorator } from './problem-decorator';

const problem = (value: unknown): string | undefined =>
  typeof value === 'string' ? titleProblem(value) : 'must be a string';

/** An event title: 1–200 characters of one-line plain text (see titleProblem), the rule consumers apply too. */
export function IsEventTitle(options?: ValidationOptions): PropertyDecorator {
  return problemDecorator('isEventTitle', problem, options);
}
