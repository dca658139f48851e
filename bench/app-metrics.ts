/** Sum of a Prometheus series' samples whose labels contain every given `label="value"` fragment. */
export function metricSum(text: string, name: string, labelFragments: string[] = []): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!labelFragments.every((f) => line.includes(f))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export async function scrapeMetrics(appUrl: string): Promise<string> {
  const response = await fetch(`${appUrl}/metrics`);
  return response.ok ? response.text() : '';
}

/** Mean batch size and apply time of a consumer on one topic, from the consumer runner's histograms. */
export function consumerBatches(text: string, topic: string) {
  const labels = [`topic="${topic}"`];
  const batches = metricSum(text, 'consumer_batch_messages_count', labels);
  return {
    batches,
    meanMessages: metricSum(text, 'consumer_batch_messages_sum', labels) / batches,
    meanApplyMs: (metricSum(text, 'consumer_batch_duration_seconds_sum', labels) * 1000) / batches,
  };
}
