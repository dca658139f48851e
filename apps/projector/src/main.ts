import 'reflect-metadata';
// First: before anything loads kafkajs (libs/kafka/src/install-before-kafkajs.ts).
import '@app/kafka/install-before-kafkajs';
import { installFastAsyncResourceBind } from '@app/http/fast-async-resource-bind';
import { installPooledKafkaEncoderBuffers } from '@app/kafka/pooled-encoder-buffers';
import { join } from 'node:path';
import { loadConfigOrExit, ProjectorEnv } from '@app/config';
import { startApp } from '@app/platform';
import { ProjectorModule } from './projector.module';

// Process-wide, so stated here (what they replace and their measured gains: apps/gateway/src/main.ts).
installFastAsyncResourceBind();
installPooledKafkaEncoderBuffers();

const config = loadConfigOrExit(ProjectorEnv);
void startApp(ProjectorModule.forRoot(config), config, {
  port: config.PROJECTOR_PORT,
  openApi: {
    title: 'supportdesk-events projector',
    description:
      "The read side: customers' timelines (paged and live, as Server-Sent Events) and customer profiles. " +
      'Answers carry X-Projection-Lag-Ms, how far the read models are behind Kafka.',
  },
  staticUi: join(__dirname, 'ui', 'public'),
  consumes: true,
});
