import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * A class-validator property decorator from a function naming what is wrong with a value (undefined when
 * nothing is): the value passes when there is no problem, and the message is "<property> <problem>".
 */
export function problemDecorator(
  name: string,
  problem: (value: unknown) => string | undefined,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => problem(value) === undefined,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${problem(args?.value) ?? 'is invalid'}`,
      },
    });
}
