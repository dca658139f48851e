/**
 * Imported by each app's main.ts before any other module, so before kafkajs loads: kafkajs's producer keeps the
 * partition grouping it loads with (./linear-partition-grouping), its record batch encoder the checksum
 * (./crc32c), its later produce requests the v3 request they load with (./direct-produce-encoding). Should
 * something load kafkajs earlier, the process says so and runs with kafkajs's own.
 */
import { installCrc32c } from './crc32c';
import { installDirectProduceEncoding } from './direct-produce-encoding';
import { installLinearPartitionGrouping } from './linear-partition-grouping';

for (const [name, installed] of [
  ['partition grouping', installLinearPartitionGrouping()],
  ['record batch checksum', installCrc32c()],
  ['produce request encoding', installDirectProduceEncoding()],
] as const)
  if (!installed)
    process.emitWarning(`kafkajs was loaded before its ${name} could be replaced; it runs as shipped`);
