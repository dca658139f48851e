# Shared by the shell entry points. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SUPPORTDESK_CACHE_DIR="${SUPPORTDESK_CACHE_DIR:-$ROOT/.cache}"

say() { echo "[$(basename "$0" .sh)] $*" >&2; }

# npm ci when node_modules is missing or older than the lockfile.
ensure_installed() {
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing dependencies (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}

ensure_built() {
  say "building (tsc)"
  (cd "$ROOT" && npm run --silent build)
}

cli() { node "$ROOT/dist/apps/cli/src/main.js" "$@"; }
