#!/usr/bin/env bash
# Configures and builds Parley. Usage: scripts/build.sh [BUILD_DIR] [address|thread|""] [ninja targets...]
# Installs missing packages first (idempotent).
#
# Environment:
#   PARLEY_WERROR=ON       warnings are errors (CI sets it; off by default, so
#                          that a newer compiler's new warning does not stop a
#                          user's build)
#   PARLEY_BUILD_TYPE=...  CMake build type; default RelWithDebInfo, or Debug
#                          with a sanitizer
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$root/build}
sanitize=${2:-}
shift $(( $# > 2 ? 2 : $# ))

"$root/scripts/install-deps.sh"
"$root/scripts/web-deps.sh"  # npm ci for the browser tests (idempotent; never fails the build)

# ccache (when installed) keys objects by paths relative to the checkout, so
# every clone of the repository, CI's included, shares one cache; without
# this, -g builds in another folder never hit it.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true

build_type=RelWithDebInfo
[ -n "$sanitize" ] && build_type=Debug
build_type=${PARLEY_BUILD_TYPE:-$build_type}
# Passed every time, so that a directory CI configured does not keep -Werror
# for a later plain build (CMake caches options).
werror=${PARLEY_WERROR:-OFF}
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DPARLEY_SANITIZE="$sanitize" \
  -DPARLEY_WERROR="$werror" >/dev/null
ninja -C "$build_dir" "$@"
