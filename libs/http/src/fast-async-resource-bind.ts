import { AsyncResource } from 'node:async_hooks';

const INSTALLED = Symbol.for('supportdesk.fastAsyncResourceBind');

/**
 * Node 20's `AsyncResource.prototype.bind` defines a deprecated `asyncResource` getter and setter on every
 * function it binds, each made with `util.deprecate`, and that is costly: Fastify's body parser and Nest's
 * interceptor chain bind on every request, and `deprecate` alone was ~5 % of the gateway's CPU under load
 * (`npm run bench -- ingest-single --cpu-prof …`). This replaces it with the same binding (the function
 * runs in the resource's async scope, with the same `this` and arguments, and keeps its `length`) without
 * the deprecated property (DEP0172), which nothing here reads. Installed once per process, by the first lines
 * of each app's main.ts (a process-wide change does not hide inside the HTTP bootstrap).
 */
export function installFastAsyncResourceBind(): void {
  const proto = AsyncResource.prototype as AsyncResource & { [INSTALLED]?: true };
  if (proto[INSTALLED]) return;
  proto.bind = function bind<Func extends (...args: never[]) => unknown>(
    this: AsyncResource,
    fn: Func,
    thisArg?: unknown,
  ): Func {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the resource the bound function enters
    const resource = this;
    const target = fn as unknown as (...args: unknown[]) => unknown;
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(target, this, ...args);
          }
        : (...args: unknown[]) => resource.runInAsyncScope(target, thisArg, ...args);
    Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, value: fn.length });
    return bound as unknown as Func;
  };
  proto[INSTALLED] = true;
}
