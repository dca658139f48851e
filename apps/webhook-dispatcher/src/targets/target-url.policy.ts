import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type DispatcherEnv } from '@app/config';
import { ipLiteralOf, isForbiddenAddress, resolveAll } from '../net';
import { UnsafeTargetUrlError } from '../shared';

export const MAX_URL_LENGTH = 2048;

/**
 * Registration-time check of a target URL: http(s) only, and, unless private targets are allowed, no
 * private, loopback or link-local destination, whether written as an IP or reached through DNS. A name that
 * does not resolve yet is accepted: every delivery checks the address it actually connects to.
 */
@Injectable()
export class TargetUrlPolicy {
  constructor(@Inject(APP_CONFIG) private readonly config: DispatcherEnv) {}

  async assertAllowed(url: string): Promise<void> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UnsafeTargetUrlError('must be an absolute http:// or https:// URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new UnsafeTargetUrlError('must use http or https');
    }
    if (this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS) return;
    const literal = ipLiteralOf(parsed.hostname);
    if (literal !== undefined) {
      if (isForbiddenAddress(literal)) throw this.refused(literal);
      return;
    }
    const addresses = await resolveAll(parsed.hostname).catch(() => []);
    const forbidden = addresses.find((entry) => isForbiddenAddress(entry.address));
    if (forbidden) throw this.refused(`${parsed.hostname} (${forbidden.address})`);
  }

  private refused(what: string): UnsafeTargetUrlError {
    return new UnsafeTargetUrlError(
      `${what} is a private, loopback or link-local address; webhooks may only target public addresses`,
    );
  }
}
