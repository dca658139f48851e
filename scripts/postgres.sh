#!/usr/bin/env bash
# Makes sure the local PostgreSQL answers, starting the Debian cluster when it is down.
# Creating the databases and migrating is the CLI's job (`cli db ensure`, `cli migrate`), so that
# the same code serves a managed PostgreSQL where this script has nothing to start.
set -euo pipefail

HOST="${PGHOST:-127.0.0.1}"
PORT="${PGPORT:-5432}"
log() { echo "[postgres] $*" >&2; }

if pg_isready -h "$HOST" -p "$PORT" -q 2>/dev/null; then exit 0; fi
case "$HOST" in
  127.0.0.1 | localhost) ;;
  *) log "PostgreSQL at $HOST:$PORT does not answer"; exit 1 ;;
esac
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  log "starting local cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
for _ in $(seq 1 60); do
  pg_isready -h "$HOST" -p "$PORT" -q 2>/dev/null && { log "ready"; exit 0; }
  sleep 0.5
done
log "PostgreSQL did not answer on $HOST:$PORT (install PostgreSQL 15+ or set DATABASE_URL)"
exit 1
