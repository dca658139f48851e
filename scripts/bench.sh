#!/usr/bin/env bash
# npm run bench [-- <scenario> … --scale tiny|full …]: brings up the infrastructure as `npm run stack` does
# (install, build, broker, PostgreSQL, migrations), then runs the benchmark from the built code. Each scenario
# gets its own database and topics; results go to bench/results/ and the README's Performance table.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/supportdesk}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"

bash "$ROOT/scripts/infra.sh" up
cd "$ROOT"
# `npm run bench -- compare --before <checkout> …`: the gateway of two builds, side by side (bench/compare-builds.ts).
if [ "${1:-}" = compare ]; then
  shift
  exec node "$ROOT/dist/bench/compare-builds.js" "$@"
fi
exec node "$ROOT/dist/bench/main.js" "$@"
