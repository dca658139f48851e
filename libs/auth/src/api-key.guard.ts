import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '@app/http';
import { ApiKeysService } from './api-keys.service';
import type { AuthContext } from './auth-context';

export type AuthenticatedRequest = FastifyRequest & { auth?: AuthContext };

/** Requires a valid X-API-Key and attaches the caller's workspace to the request. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers['x-api-key'];
    const apiKey = Array.isArray(header) ? header[0] : header;
    // A database outage rejects here and leaves as a 503 through the exception filter.
    const auth: AuthContext | undefined = await this.apiKeys.authenticate(apiKey);
    if (!auth) throw new UnauthorizedError(apiKey ? 'The X-API-Key is unknown or revoked' : undefined);
    request.auth = auth;
    return true;
  }
}
