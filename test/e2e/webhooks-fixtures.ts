import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { type PlainVersion, WebhookReceiver } from '@test/support/webhook-receiver';

export interface RegisteredTarget {
  id: string;
  secret: string;
  version: PlainVersion;
}

/** A gateway, a dispatcher, a real receiver and a workspace: what the webhook e2e files share. */
export class WebhooksHarness {
  gateway!: AppProcess;
  dispatcher!: AppProcess;
  receiver!: WebhookReceiver;
  apiKey!: string;

  static async start(dispatcherEnv: Record<string, string> = {}): Promise<WebhooksHarness> {
    const harness = new WebhooksHarness();
    harness.receiver = await WebhookReceiver.start();
    [harness.gateway, harness.dispatcher] = await Promise.all([
      AppProcess.start('gateway'),
      AppProcess.start('webhook-dispatcher', dispatcherEnv),
    ]);
    ({ apiKey: harness.apiKey } = await createApiKey());
    return harness;
  }

  async stop(): Promise<void> {
    await Promise.all([this.gateway?.stop(), this.dispatcher?.stop()]);
    await this.receiver?.close();
  }

  dispatcherApi(method: string, path: string, body?: unknown) {
    return request(this.dispatcher.url, method, `/api/v1${path}`, { apiKey: this.apiKey, body });
  }

  gatewayApi(method: string, path: string, body?: unknown) {
    return request(this.gateway.url, method, `/api/v1${path}`, { apiKey: this.apiKey, body });
  }

  async registerTarget(url: string, eventTypes: string[], version?: PlainVersion): Promise<RegisteredTarget> {
    const created = await this.dispatcherApi('POST', '/webhook-targets', { url, eventTypes, version });
    if (created.status !== 201) throw new Error(`target not created: ${JSON.stringify(created.body)}`);
    return created.body.data as RegisteredTarget;
  }

  /** Creates a customer through the gateway (a customer.customer_created change); returns its externalId. */
  async createCustomer(): Promise<string> {
    const externalId = uniqueExternalId();
    const put = await this.gatewayApi('PUT', `/customers/${externalId}`, {
      email: `${externalId}@example.com`,
      fullName: 'Peter Santos',
      shortName: 'Peter',
    });
    if (put.status !== 201) throw new Error(`customer not created: ${JSON.stringify(put.body)}`);
    return externalId;
  }

  /** The target's only delivery, with its attempts, once `ready` holds for it. */
  deliveryOf(targetId: string, ready: (delivery: any) => void = () => undefined): Promise<any> {
    return eventually(async () => {
      const list = await this.dispatcherApi('GET', `/webhook-targets/${targetId}/deliveries`);
      if (list.body.data?.items?.length !== 1) throw new Error(`no single delivery for ${targetId} yet`);
      const one = await this.dispatcherApi('GET', `/webhook-deliveries/${list.body.data.items[0].id}`);
      ready(one.body.data);
      return one.body.data;
    });
  }
}
