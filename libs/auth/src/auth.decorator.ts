import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './api-key.guard';
import type { AuthContext } from './auth-context';

/** The AuthContext that ApiKeyGuard attached: `handler(@Auth() auth: AuthContext)`. */
export const Auth = createParamDecorator((_: unknown, context: ExecutionContext): AuthContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.auth) throw new Error('@Auth() used on a route without ApiKeyGuard');
  return request.auth;
});
