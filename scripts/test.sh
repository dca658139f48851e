#!/usr/bin/env bash
# npm test: install if needed, lint, build, bring up (or reuse) the real Kafka broker and PostgreSQL, run the
# unit, integration and e2e tiers, print one summary line, and stop the broker if this script started it.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_installed || exit 1

started_kafka=false
cleanup() {
  if $started_kafka; then bash "$ROOT/scripts/kafka.sh" stop; fi
}
trap cleanup EXIT

if [ "${TEST_INFRA:-local}" != "containers" ]; then
  bash "$ROOT/scripts/postgres.sh" || exit 1
  local_broker="127.0.0.1:${KAFKA_PORT:-9092}"
  if [ -z "${KAFKA_BROKERS:-}" ] || [ "$KAFKA_BROKERS" = "$local_broker" ]; then
    export KAFKA_BROKERS="$local_broker"
    if ! bash "$ROOT/scripts/kafka.sh" status >/dev/null 2>&1; then
      bash "$ROOT/scripts/kafka.sh" start || exit 1
      started_kafka=true
    fi
  fi
fi

# The compose file is validated with `docker-compose config` (Debian's package; no Docker engine needed).
if ! command -v docker-compose >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "installing Debian's docker-compose to validate docker-compose.yml"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq docker-compose >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq docker-compose >/dev/null 2>&1; } || say "could not install docker-compose"
fi

# The UI tests drive Debian's Chromium with playwright-core (which brings no browser of its own).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "installing Debian's chromium for the UI tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; } || say "could not install chromium: the UI tests will fail"
fi

say "lint (eslint with type-aware rules, prettier, unused code)"
npm run --silent lint || exit 1
ensure_built || exit 1

results="$SUPPORTDESK_CACHE_DIR/test-results"
rm -rf "$results" && mkdir -p "$results"
status=0
for tier in unit integration e2e; do
  say "$tier tests"
  extra=()
  [ "$tier" != unit ] && extra=(--runInBand)
  tier_started=$SECONDS
  npx jest --config "jest.$tier.config.js" "${extra[@]}" --json --outputFile="$results/$tier.json" "$@" || status=1
  say "$tier tests took $((SECONDS - tier_started)) s (${SECONDS} s since npm test started)"
done

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  }
  console.log(`Tests: ${passed} passed, ${failed} failed`);
' "$results" || status=1
exit $status
