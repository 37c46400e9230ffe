#!/usr/bin/env bash
# Installs the web client's npm devDependencies (playwright-core, for the
# browser tests) with `npm ci` from web/package-lock.json. Idempotent: skipped
# when node_modules already matches the lockfile. The client itself needs no
# npm (plain ES modules, built into parleyd), so a failure here (no network)
# only leaves the browser tests skipped, and the build goes on.
set -uo pipefail
web=$(cd "$(dirname "$0")/../web" && pwd)
stamp="$web/node_modules/.parley-lock"
if cmp -s "$web/package-lock.json" "$stamp" 2>/dev/null; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "web-deps: no npm; the browser tests will be skipped" >&2
  exit 0
fi
if (cd "$web" && npm ci --no-audit --no-fund --loglevel=error); then
  cp "$web/package-lock.json" "$stamp"
else
  echo "web-deps: npm ci failed; the browser tests will be skipped" >&2
fi
exit 0
