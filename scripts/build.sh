#!/usr/bin/env bash
# Configures and builds Parley. Usage: scripts/build.sh [BUILD_DIR] [address|thread|""] [ninja targets...]
# Installs missing packages first (idempotent).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$root/build}
sanitize=${2:-}
shift $(( $# > 2 ? 2 : $# ))

"$root/scripts/install-deps.sh"

build_type=RelWithDebInfo
[ -n "$sanitize" ] && build_type=Debug
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DPARLEY_SANITIZE="$sanitize" >/dev/null
ninja -C "$build_dir" "$@"
