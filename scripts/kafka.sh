#!/usr/bin/env bash
# A real single-node Apache Kafka 3.9 broker (KRaft) from the official jars on Maven Central.
#   scripts/kafka.sh start|stop|status|fetch
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (port+1), SUPPORTDESK_CACHE_DIR (<repo>/.cache),
#      KAFKA_BROKERS (when it names another address, nothing is started or stopped here).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${SUPPORTDESK_CACHE_DIR:-$ROOT/.cache}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
LIBS="$CACHE/kafka/libs"
DIR="$CACHE/kafka/broker-$PORT"
PIDFILE="$DIR/broker.pid"
LOG="$DIR/broker.log"
READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"

log() { echo "[kafka] $*" >&2; }

external_brokers() {
  # True when KAFKA_BROKERS points at something other than the local broker this script manages.
  [ -n "${KAFKA_BROKERS:-}" ] || return 1
  case "$KAFKA_BROKERS" in
    "127.0.0.1:$PORT" | "localhost:$PORT") return 1 ;;
    *) return 0 ;;
  esac
}

answering() {
  node "$ROOT/scripts/kafka-ready.js" "127.0.0.1:$PORT" "${1:-2}" >/dev/null 2>&1
}

fetch() {
  if [ -f "$LIBS/kafka_2.13-3.9.1.jar" ]; then return 0; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is required to fetch the broker from Maven Central"; exit 1; }
  command -v java >/dev/null || { log "Java 17+ is required to run the broker"; exit 1; }
  log "fetching org.apache.kafka:kafka_2.13:3.9.1 from Maven Central into $LIBS"
  mkdir -p "$LIBS"
  mvn -B -q -f "$ROOT/infra/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime
}

write_config() {
  mkdir -p "$DIR/data"
  cat >"$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DIR/data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
log.retention.hours=168
PROPS
  cat >"$DIR/log4j.properties" <<'L4J'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
L4J
}

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  if external_brokers; then log "KAFKA_BROKERS=$KAFKA_BROKERS: using that cluster, starting nothing"; return 0; fi
  if answering 2; then log "a broker already answers on 127.0.0.1:$PORT: reusing it"; return 0; fi
  fetch
  write_config
  local cp="$LIBS/*"
  if [ ! -f "$DIR/data/meta.properties" ]; then
    local cluster_id
    cluster_id="$(java -Dlog4j.configuration="file:$DIR/log4j.properties" -cp "$cp" kafka.tools.StorageTool random-uuid)"
    java -Dlog4j.configuration="file:$DIR/log4j.properties" -cp "$cp" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$DIR/server.properties" --ignore-formatted >"$DIR/format.log" 2>&1
  fi
  log "starting broker on 127.0.0.1:$PORT (log: $LOG)"
  # setsid + redirected stdio: the broker must not hold the caller's terminal or pipes open.
  setsid java -Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$DIR/log4j.properties" \
    -cp "$cp" kafka.Kafka "$DIR/server.properties" </dev/null >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  if ! node "$ROOT/scripts/kafka-ready.js" "127.0.0.1:$PORT" "$READY_TIMEOUT"; then
    log "broker did not become ready in ${READY_TIMEOUT}s; last log lines:"
    tail -n 30 "$LOG" >&2 || true
    exit 1
  fi
  log "broker ready"
}

stop() {
  if external_brokers; then return 0; fi
  local pid
  if ! pid="$(running_pid)"; then log "no broker started by this script on port $PORT"; rm -f "$PIDFILE"; return 0; fi
  log "stopping broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; log "stopped"; return 0; }
    sleep 0.5
  done
  log "broker did not stop in 30s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

status() {
  if answering 2; then echo "kafka: answering on 127.0.0.1:$PORT"; else echo "kafka: not answering on 127.0.0.1:$PORT"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  fetch) fetch ;;
  *) echo "usage: $0 start|stop|status|fetch" >&2; exit 2 ;;
esac
