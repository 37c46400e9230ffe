#!/usr/bin/env bash
# Builds parleyd and runs it. With no arguments: text protocol on 127.0.0.1:7000,
# data in ~/.local/state/parley. Arguments go to parleyd (try --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" "$root/build" "" parleyd parley >&2
exec "$root/build/apps/parleyd/parleyd" "$@"
