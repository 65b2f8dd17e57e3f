#!/usr/bin/env bash
# `npm run test:mongo`: the whole suite against MongoDB. Uses $MONGO_URL if set (your own MongoDB),
# otherwise builds and starts FerretDB on 127.0.0.1 for the duration of the run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${MONGO_URL:-}" ]]; then
  exec env MONGO_URL="$MONGO_URL" npm test
fi
dir="$(mktemp -d "${TMPDIR:-/tmp}/wm-ferretdb.XXXXXX")"
trap 'scripts/ferretdb.sh stop "$dir" || true' EXIT
MONGO_URL="$(scripts/ferretdb.sh start "$dir" 27028)" npm test
