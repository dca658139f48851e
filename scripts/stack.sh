#!/usr/bin/env bash
# The whole system on one machine: infrastructure, a dev workspace with an API key and the demo customer
# user_42, and the three apps in the foreground until Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/supportdesk}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export WEBHOOK_ALLOW_PRIVATE_TARGETS="${WEBHOOK_ALLOW_PRIVATE_TARGETS:-true}"
export STACK_LOG_DIR="$SUPPORTDESK_CACHE_DIR/stack-logs"
GATEWAY_PORT="${GATEWAY_PORT:-3000}"
PROJECTOR_PORT="${PROJECTOR_PORT:-3001}"
DISPATCHER_PORT="${DISPATCHER_PORT:-3002}"
export GATEWAY_PORT PROJECTOR_PORT DISPATCHER_PORT
LOG_DIR="$SUPPORTDESK_CACHE_DIR/stack-logs"

bash "$ROOT/scripts/infra.sh" up
mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR/ports"

# The apps run under scripts/supervise.js: one that dies is restarted with backoff, the others keep serving.
#   npm run stack -- --projectors 2 --gateways 2   (replicas on consecutive ports, listed below)
node "$ROOT/scripts/supervise.js" "$@" > >(tee "$LOG_DIR/stack.log") 2>&1 &
supervisor=$!
stop_stack() {
  trap - INT TERM EXIT
  kill -TERM "$supervisor" 2>/dev/null || true
  wait "$supervisor" 2>/dev/null || true
  say "stopped (the Kafka broker keeps running; npm run infra:down stops it)"
}
trap stop_stack INT TERM EXIT

for _ in $(seq 1 20); do [ -s "$LOG_DIR/ports" ] && break; sleep 0.2; done
first_port() { awk -v app="$1" '$1 == app { print $2; exit }' "$LOG_DIR/ports"; }
GATEWAY_PORT="$(first_port gateway)"
PROJECTOR_PORT="$(first_port projector)"
DISPATCHER_PORT="$(first_port webhook-dispatcher)"
for port in $(awk '{ print $2 }' "$LOG_DIR/ports"); do
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
done

API_KEY="$(cli api-keys create --workspace dev --name "stack $(date -u +%Y-%m-%dT%H:%M:%SZ)" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).apiKey))')"
curl -sf -X PUT "http://127.0.0.1:$GATEWAY_PORT/api/v1/customers/user_42" \
  -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
  -d '{"email":"user42@example.com","fullName":"Demo User 42","shortName":"Demo"}' >/dev/null

cat >&2 <<MSG

  supportdesk-events is running
    gateway             http://localhost:$GATEWAY_PORT/api/v1   (OpenAPI: http://localhost:$GATEWAY_PORT/docs)
    projector           http://localhost:$PROJECTOR_PORT/api/v1
    webhook-dispatcher  http://localhost:$DISPATCHER_PORT/api/v1
    logs                $LOG_DIR   (replicas and their ports: the "[stack] started" lines above)

  dev workspace API key (shown once):
    export SUPPORTDESK_API_KEY=$API_KEY

  try it:
    curl -X POST http://localhost:$GATEWAY_PORT/api/v1/customer-events \\
      -H "X-API-Key: \$SUPPORTDESK_API_KEY" -H "Content-Type: application/json" \\
      -d '{"customerExternalId":"user_42","type":"order.placed","payload":{"orderId":"ord_9001","total":149.9,"currency":"USD"}}'
    curl -H "X-API-Key: \$SUPPORTDESK_API_KEY" http://localhost:$PROJECTOR_PORT/api/v1/customers/user_42/timeline

  An app that dies is restarted (with backoff); Ctrl-C stops them all.
MSG
echo "$API_KEY" >"$SUPPORTDESK_CACHE_DIR/dev-api-key"
wait "$supervisor" || true
