#!/usr/bin/env bash
# Installs the Debian 12 packages Parley builds and tests with. Idempotent:
# packages already present are skipped, so a second run costs a few dpkg queries.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev      # Asio (event loops); 1.81, not libboost-dev (1.74)
  libfmt-dev libspdlog-dev libcli11-dev libtomlplusplus-dev
  libutf8proc-dev       # NFC normalization and case folding of names
  libicu-dev            # confusable names: Unicode TR39 skeletons (uspoof), NFKC
  clang-14 libfuzzer-14-dev  # the fuzz targets (tests/fuzz), built with -fsanitize=fuzzer
  libreadline-dev       # the parley terminal client's line editor
  libsqlite3-dev libsqlitecpp-dev sqlite3  # the embedded database (RAII wrapper); sqlite3 for operators
  libsodium-dev         # Argon2id password hashing (accounts, hashed operator passwords)
  libidn-dev            # SASLprep (RFC 4013, stringprep) for passwords
  libssl-dev            # OpenSSL 3 libcrypto: SCRAM-SHA-256 (PBKDF2, HMAC, SHA-256)
  libgtest-dev libgmock-dev libbenchmark-dev
  weechat-headless      # a real IRC client, driven by the IRC integration tests
  chromium              # the browser tests (tests/browser) drive it headless through playwright-core
  libpq-dev postgresql-15  # shared storage for several nodes ([storage] url): libpq; the server for its tests
  libhiredis-dev redis-server  # the Redis backplane (issue 16): hiredis's async API on our loops; redis-server for the cluster tests
  python3 openssl       # TLS integration tests (issue 12): Python's ssl module as the client, openssl to make certificates; libssl-dev above also gives the server its TLS
)
# Node and npm run the browser tests (web/package.json). Any Node >= 18 will
# do: Debian's is only installed when there is none (a NodeSource one, which
# bundles npm, would conflict with Debian's npm package).
command -v node >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
