#!/usr/bin/env bash
# Idle-connection benchmark against a fresh parleyd (see run-scenario.sh).
#   bench/run-idle.sh BUILD_DIR [parley-bench options...]
#   bench/run-idle.sh build --clients 10000 --connect-rate 2000
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-scenario.sh" "${1:?usage: $0 BUILD_DIR [parley-bench options...]}" idle "${@:2}"
