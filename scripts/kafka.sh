#!/usr/bin/env bash
# A real Apache Kafka broker (KRaft) from the official jars on Maven Central.
#   scripts/kafka.sh start|stop|status|fetch
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (port+1), SUPPORTDESK_CACHE_DIR (<repo>/.cache),
#      KAFKA_BROKERS (when it names another address, nothing is started or stopped here),
#      KAFKA_VERSION (3.9.1; 4.x brings its own log4j2 configuration), KAFKA_HEAP_OPTS (-Xms128m -Xmx512m).
# For test clusters and secured listeners (all optional):
#      KAFKA_EXTRA_PROPERTIES  a file appended to server.properties (later keys win: node.id, voters, listeners…)
#      KAFKA_CLUSTER_ID        the id to format with (brokers of one cluster share it)
#      KAFKA_ADD_SCRAM         a SCRAM credential created at format time, e.g. SCRAM-SHA-512=[name=app,password=pw]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${SUPPORTDESK_CACHE_DIR:-$ROOT/.cache}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
VERSION="${KAFKA_VERSION:-3.9.1}"
MAJOR="${VERSION%%.*}"
# 3.9.1 keeps the directory it always had; other versions get their own.
if [ "$VERSION" = 3.9.1 ]; then LIBS="$CACHE/kafka/libs"; else LIBS="$CACHE/kafka/libs-$VERSION"; fi
HEAP="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
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
  if [ -f "$LIBS/kafka_2.13-$VERSION.jar" ]; then return 0; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is required to fetch the broker from Maven Central"; exit 1; }
  command -v java >/dev/null || { log "Java 17+ is required to run the broker"; exit 1; }
  log "fetching org.apache.kafka:kafka_2.13:$VERSION from Maven Central into $LIBS"
  mkdir -p "$LIBS"
  local profile=kafka3
  [ "$MAJOR" -ge 4 ] && profile=kafka4
  mvn -B -q -f "$ROOT/infra/kafka/pom.xml" -P "$profile" -Dkafka.version="$VERSION" \
    dependency:copy-dependencies -DoutputDirectory="$LIBS" -DincludeScope=runtime
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
  if [ "$MAJOR" -ge 4 ]; then
    cat >>"$DIR/server.properties" <<'PROPS'
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
PROPS
  fi
  if [ -n "${KAFKA_EXTRA_PROPERTIES:-}" ]; then cat "$KAFKA_EXTRA_PROPERTIES" >>"$DIR/server.properties"; fi
  cat >"$DIR/log4j.properties" <<'L4J'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
L4J
  cat >"$DIR/log4j2.properties" <<'L4J2'
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=WARN
rootLogger.appenderRef.stdout.ref=STDOUT
logger.raft.name=kafka.server.KafkaRaftServer
logger.raft.level=INFO
logger.broker.name=kafka.server.BrokerServer
logger.broker.level=INFO
L4J2
}

# Kafka 4 logs through log4j2, 3.x through reload4j.
log_opts() {
  if [ "$MAJOR" -ge 4 ]; then echo "-Dlog4j2.configurationFile=file:$DIR/log4j2.properties"
  else echo "-Dlog4j.configuration=file:$DIR/log4j.properties"; fi
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
    local cluster_id="${KAFKA_CLUSTER_ID:-}" scram=()
    [ -n "$cluster_id" ] || cluster_id="$(java "$(log_opts)" -cp "$cp" kafka.tools.StorageTool random-uuid)"
    [ -n "${KAFKA_ADD_SCRAM:-}" ] && scram=(--add-scram "$KAFKA_ADD_SCRAM")
    java "$(log_opts)" -cp "$cp" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$DIR/server.properties" --ignore-formatted "${scram[@]}" >"$DIR/format.log" 2>&1 \
      || { log "formatting the data dir failed:"; cat "$DIR/format.log" >&2; exit 1; }
  fi
  log "starting Kafka $VERSION broker on 127.0.0.1:$PORT (log: $LOG)"
  # setsid + redirected stdio: the broker must not hold the caller's terminal or pipes open.
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS holds several JVM flags
  setsid java $HEAP -XX:+UseG1GC -Djava.awt.headless=true \
    "$(log_opts)" \
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
