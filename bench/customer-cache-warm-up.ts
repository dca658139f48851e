import { eventBody, externalIdOf } from './event-payloads';

const PER_BATCH = 500;

/**
 * One event for every customer of the scenario, in batches through the gateway's batch route, before its load
 * starts: the gateway then knows every customer from its cache, as the floor knows them from its map. Without
 * it, a load picking one of 10,000 customers at random per request meets customers the gateway has not looked
 * up yet for about as long as the warm-up and measurement last (each one a query), which the floor never pays.
 * Every event must be accepted, or the check fails the scenario.
 */
export async function warmCustomerCache(
  gatewayUrl: string,
  apiKey: string,
  prefix: string,
  customers: number,
): Promise<void> {
  for (let first = 0; first < customers; first += PER_BATCH) {
    const count = Math.min(PER_BATCH, customers - first);
    const events = Array.from(
      { length: count },
      (_, i) => JSON.parse(eventBody(externalIdOf(prefix, first + i), first + i)) as unknown,
    );
    const response = await fetch(`${gatewayUrl}/api/v1/customer-events/batch`, {
      method: 'POST',
      headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    const body = (await response.json()) as { data?: { accepted: number } };
    if (response.status !== 200 || body.data?.accepted !== count)
      throw new Error(`warming the customer cache: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}
