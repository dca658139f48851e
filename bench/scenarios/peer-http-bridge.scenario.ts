import type { BenchContext } from '../bench-context';
import type { Scenario, ScenarioOutcome } from '../scenario';

const NAME = 'peer-http-bridge';
const METADATA = 'https://repo.maven.apache.org/maven2/io/strimzi/kafka-bridge/maven-metadata.xml';

/**
 * Strimzi's Kafka HTTP bridge as a peer, where it can be run from Maven Central the way the broker is
 * (infra/kafka/pom.xml). It is not published there (Strimzi ships it as GitHub release archives and container
 * images), so this scenario records why it did not run instead of inventing a figure.
 */
export const peerHttpBridgeScenario: Scenario = {
  name: NAME,
  run: async (ctx: BenchContext): Promise<ScenarioOutcome> => {
    const reason = await unavailableReason();
    ctx.log(`${NAME}: not run: ${reason}`);
    return {
      rows: [
        {
          scenario: NAME,
          figure: 'records/s through the bridge',
          unit: 'records/s',
          value: null,
          baseline: null,
          ratio: null,
          goal: 'gateway ≥ 2 × bridge',
          met: null,
          gap: `not run: ${reason}`,
        },
      ],
      details: { ran: false, reason, checked: METADATA },
      notes: [`Not run: ${reason}`],
    };
  },
};

async function unavailableReason(): Promise<string> {
  try {
    const response = await fetch(METADATA, { signal: AbortSignal.timeout(15_000) });
    if (response.status === 404)
      return (
        'io.strimzi:kafka-bridge is not published on Maven Central (maven-metadata.xml and the 0.28–0.33 poms ' +
        'answer 404); Strimzi distributes it only as GitHub release archives and container images'
      );
    return `Maven Central now lists io.strimzi:kafka-bridge (HTTP ${response.status}); the harness does not run it yet`;
  } catch (error) {
    return `Maven Central could not be reached to look for io.strimzi:kafka-bridge (${(error as Error).message})`;
  }
}
