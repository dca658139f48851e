import { ConflictError, NotFoundError, ValidationError } from '@app/http';

export class WebhookTargetNotFoundError extends NotFoundError {
  constructor() {
    super('Webhook target');
  }
}

export class WebhookDeliveryNotFoundError extends NotFoundError {
  constructor() {
    super('Webhook delivery');
  }
}

/** The URL is not http(s), or points at a private, loopback or link-local address. */
export class UnsafeTargetUrlError extends ValidationError {
  constructor(reason: string) {
    super([{ field: 'url', message: reason }], `url: ${reason}`);
  }
}

export class DeliveryInProgressError extends ConflictError {
  constructor() {
    super('An attempt of this delivery is in progress; retry once it has finished');
  }
}

export class WebhookTargetDisabledError extends ConflictError {
  constructor() {
    super('The webhook target is disabled; enable it before retrying');
  }
}
