#pragma once
// Hides where users connect from: other users see a cloak made from the
// address with a keyed hash (BLAKE2b, libsodium), never the address. The same
// address gives the same cloak under one key, so bans on a cloak keep working
// across reconnections and restarts; without the key, a cloak cannot be
// checked against guessed addresses. Thread-safe (no mutable state).
#include <cstddef>
#include <string>
#include <string_view>

namespace parley::auth {

class HostCloak {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  // `key`: kKeyBytes bytes (new_key()); throws std::invalid_argument otherwise.
  explicit HostCloak(std::string key);

  // "k3j9x2m4qp8r7t5w.parley": 80 bits of the keyed hash of `address`, in
  // lowercase base32, so it is a valid host in an IRC prefix and a ban mask.
  std::string cloak(std::string_view address) const;

  // A new random key.
  static std::string new_key();

 private:
  std::string key_;
};

}  // namespace parley::auth
