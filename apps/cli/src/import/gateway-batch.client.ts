export interface BatchItemResult {
  index: number;
  success: boolean;
  data?: unknown;
  error?: { code: string; message: string; details?: unknown[] };
}

export class FatalImportError extends Error {}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs one batch to the gateway, retrying what is worth retrying (rate limit, 5xx, network) with backoff. */
export async function postBatch(
  gatewayUrl: string,
  apiKey: string,
  events: Array<Record<string, unknown>>,
  maxAttempts = 8,
): Promise<BatchItemResult[]> {
  for (let attempt = 1; ; attempt++) {
    let status = 0;
    let retryAfterMs = Math.min(250 * 2 ** attempt, 15_000);
    try {
      const response = await fetch(`${gatewayUrl.replace(/\/$/, '')}/api/v1/customer-events/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey },
        body: JSON.stringify({ events }),
      });
      status = response.status;
      const body = (await response.json().catch(() => undefined)) as
        { data?: { results?: BatchItemResult[] }; error?: { message?: string } } | undefined;
      if (response.ok && body?.data?.results) return body.data.results;
      if (!RETRYABLE.has(status)) {
        throw new FatalImportError(
          `gateway answered ${status}: ${body?.error?.message ?? 'unexpected response'}`,
        );
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      if (retryAfter > 0) retryAfterMs = retryAfter * 1000;
    } catch (error) {
      if (error instanceof FatalImportError) throw error;
    }
    if (attempt >= maxAttempts)
      throw new FatalImportError(
        `gave up after ${attempt} attempts (last status ${status || 'network error'})`,
      );
    await sleep(retryAfterMs);
  }
}
