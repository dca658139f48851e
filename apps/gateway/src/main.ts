import 'reflect-metadata';
// First: before anything loads kafkajs (libs/kafka/src/install-before-kafkajs.ts).
import '@app/kafka/install-before-kafkajs';
import { installFastAsyncResourceBind } from '@app/http/fast-async-resource-bind';
import { installPooledKafkaEncoderBuffers } from '@app/kafka/pooled-encoder-buffers';
import { GatewayEnv, loadConfigOrExit } from '@app/config';
import { startApp } from '@app/platform';
import { IngestFastPath } from './customer-events';
import { GatewayModule } from './gateway.module';

// Process-wide, so stated here: Node 20's AsyncResource.prototype.bind without the util.deprecate wrappers
// it builds on every call (DEP0172). Measured: 4.6 % of the gateway's CPU samples; with the pooled trace ids,
// ingest-single 987–1,015 → 1,151 req/s (bench/README.md, change 7).
installFastAsyncResourceBind();
// kafkajs's encoders with pooled buffers instead of a zero-filled allocation each (libs/kafka: what it changes and
// what it measured); before the first message is produced, so the produce request's modules load the pooled one.
installPooledKafkaEncoderBuffers();

const config = loadConfigOrExit(GatewayEnv);
void startApp(GatewayModule.forRoot(config), config, {
  port: config.GATEWAY_PORT,
  maxRequestBytesInFlight: config.GATEWAY_MAX_REQUEST_BYTES_IN_FLIGHT,
  // The ingest routes' direct path for requests that pass every check as sent (customer-events/ingest-fast-path.ts).
  configure: (app) =>
    app
      .get(IngestFastPath)
      .install(app.getHttpAdapter().getInstance(), { logHttpRequests: config.LOG_HTTP_REQUESTS }),
  openApi: {
    title: 'supportdesk-events gateway',
    description:
      'Customer events ingest and the customers write side. ' +
      'When rate limiting is on, the event routes send RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset.',
  },
});
