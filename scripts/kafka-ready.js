// Exits 0 once a Kafka broker at <brokers> answers a metadata request (kafkajs admin listTopics),
// 1 after <timeoutSeconds>. Plain JS so it runs before the TypeScript build.
const { Kafka, logLevel } = require('kafkajs');

const [brokers = '127.0.0.1:9092', timeoutArg = '60'] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg) * 1000;

async function tryOnce() {
  const kafka = new Kafka({
    clientId: 'supportdesk-ready-check',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

(async () => {
  for (;;) {
    if (await tryOnce()) process.exit(0);
    if (Date.now() > deadline) process.exit(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
})();
