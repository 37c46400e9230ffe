#!/usr/bin/env bash
# Runs the browser tests (ctest label `browser`): node's test runner drives
# Debian's chromium through playwright-core against PARLEYD_BIN. Exits 77
# (ctest: skipped) when what they need is missing, saying what.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
chromium=${CHROMIUM_BIN:-/usr/bin/chromium}
if ! command -v node >/dev/null; then echo "browser tests skipped: no node (scripts/install-deps.sh)"; exit 77; fi
if [ ! -x "$chromium" ]; then echo "browser tests skipped: no $chromium (scripts/install-deps.sh)"; exit 77; fi
if [ ! -d "$root/web/node_modules/playwright-core" ]; then
  echo "browser tests skipped: no web/node_modules (scripts/web-deps.sh runs npm ci)"; exit 77
fi
cd "$root/web"
exec node --test --test-concurrency=1 "$root/tests/browser/"
