#pragma once
// Secrets compared in time that depends only on their lengths, never on where
// they first differ, and random bytes for salts and nonces.
#include <cstddef>
#include <string>
#include <string_view>

namespace parley::auth {

bool same_secret(std::string_view a, std::string_view b);
// `count` bytes from the system's secure random source.
std::string random_bytes(std::size_t count);
// libsodium is ready (idempotent, thread-safe); every user of it calls this first.
void ensure_sodium();

}  // namespace parley::auth
