#!/usr/bin/env bash
# Local infrastructure only: Kafka broker, PostgreSQL and its databases, migrations, topics.
#   scripts/infra.sh up|down
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/supportdesk}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"

up() {
  ensure_installed
  ensure_built
  bash "$ROOT/scripts/postgres.sh"
  bash "$ROOT/scripts/kafka.sh" start
  cli db ensure
  DATABASE_URL="${DATABASE_URL%/*}/supportdesk_test" cli db ensure
  cli migrate
  cli topics create
  say "infrastructure is up: Kafka $KAFKA_BROKERS, PostgreSQL $DATABASE_URL"
}

down() {
  bash "$ROOT/scripts/kafka.sh" stop
  say "Kafka stopped (PostgreSQL is the machine's service and is left running)"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
