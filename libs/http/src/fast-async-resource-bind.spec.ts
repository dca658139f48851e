import { AsyncLocalStorage, AsyncResource, executionAsyncId } from 'node:async_hooks';
import { installFastAsyncResourceBind } from './fast-async-resource-bind';

describe('installFastAsyncResourceBind', () => {
  beforeAll(() => installFastAsyncResourceBind());

  it('binds without the deprecated asyncResource property, keeping the length', () => {
    const bound = AsyncResource.bind(function two(a: number, b: number) {
      return a + b;
    });
    expect(bound(2, 3)).toBe(5);
    expect(bound.length).toBe(2);
    expect(Object.getOwnPropertyDescriptor(bound, 'asyncResource')).toBeUndefined();
  });

  it("runs the function in the resource's async scope, with its own this or the given one", () => {
    const resource = new AsyncResource('test');
    const scope = resource.bind(function (this: unknown) {
      return { id: executionAsyncId(), self: this };
    });
    const receiver = { name: 'receiver' };
    expect(scope.call(receiver)).toEqual({ id: resource.asyncId(), self: receiver });
    const fixed = { name: 'fixed' };
    const withThis = AsyncResource.bind(
      function (this: unknown) {
        return this;
      },
      'test',
      fixed,
    );
    expect(withThis.call(receiver)).toBe(fixed);
  });

  it('carries AsyncLocalStorage context from where it was bound to where it is called', async () => {
    const storage = new AsyncLocalStorage<string>();
    const bound = storage.run('request-1', () => AsyncResource.bind(() => storage.getStore()));
    const later = await new Promise<string | undefined>((resolve) =>
      storage.run('request-2', () => setImmediate(() => resolve(bound()))),
    );
    expect(later).toBe('request-1');
  });
});
