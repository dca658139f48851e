import 'reflect-metadata';
// First: before anything loads kafkajs (libs/kafka/src/install-before-kafkajs.ts).
import '@app/kafka/install-before-kafkajs';
import { installFastAsyncResourceBind } from '@app/http/fast-async-resource-bind';
import { installPooledKafkaEncoderBuffers } from '@app/kafka/pooled-encoder-buffers';
import { join } from 'node:path';
import { DispatcherEnv, loadConfigOrExit } from '@app/config';
import { startApp } from '@app/platform';
import { DispatcherModule } from './dispatcher.module';

// Process-wide, so stated here (what they replace and their measured gains: apps/gateway/src/main.ts).
installFastAsyncResourceBind();
installPooledKafkaEncoderBuffers();

const config = loadConfigOrExit(DispatcherEnv);
void startApp(DispatcherModule.forRoot(config), config, {
  port: config.DISPATCHER_PORT,
  openApi: {
    title: 'supportdesk-events webhook dispatcher',
    description:
      'Webhook targets (Plain-compatible, versioned, signed), their delivery logs, retries, tests and recovery.',
  },
  staticUi: join(__dirname, 'ui', 'public'),
  consumes: true,
});
