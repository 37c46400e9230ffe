#!/usr/bin/env bash
# Fan-out benchmark against a fresh parleyd (see run-scenario.sh).
#   bench/run-fanout.sh BUILD_DIR [parley-bench options...]
#   PARLEYD_ARGS="--threads 2" bench/run-fanout.sh build --clients 200 --senders 20 --rate 50
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-scenario.sh" "${1:?usage: $0 BUILD_DIR [parley-bench options...]}" fanout "${@:2}"
