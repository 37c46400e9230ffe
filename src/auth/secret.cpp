#include "auth/secret.h"

#include <sodium.h>

#include <stdexcept>

namespace parley::auth {

void ensure_sodium() {
  // sodium_init is safe to call more than once, from any thread.
  static const int ready = sodium_init();
  if (ready < 0) throw std::runtime_error("libsodium could not be initialised");
}

bool same_secret(std::string_view a, std::string_view b) {
  ensure_sodium();
  // Lengths are not secret (a hash's or a key's is fixed); the contents are.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_bytes(std::size_t count) {
  ensure_sodium();
  std::string bytes(count, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

}  // namespace parley::auth
