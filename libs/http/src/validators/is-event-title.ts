import { titleProblem } from '@app/contracts';
import { registerDecorator, type ValidationOptions } from 'class-validator';

const problem = (value: unknown): string | undefined =>
  typeof value === 'string' ? titleProblem(value) : 'must be a string';

/** An event title: 1–200 characters of one-line plain text (see titleProblem), the rule consumers apply too. */
export function IsEventTitle(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isEventTitle',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => problem(value) === undefined,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${problem(args?.value) ?? 'is invalid'}`,
      },
    });
}
