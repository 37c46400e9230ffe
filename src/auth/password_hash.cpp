#include "auth/password_hash.h"

#include <sodium.h>

#include <stdexcept>

#include "auth/secret.h"

namespace parley::auth {

HashCost HashCost::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

HashCost HashCost::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

std::string hash_password(std::string_view password, HashCost cost) {
  ensure_sodium();
  char encoded[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), cost.operations, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("not enough memory to hash a password");
  }
  return encoded;
}

bool is_password_hash(std::string_view text) {
  return text.starts_with("$argon2id$") && text.size() < crypto_pwhash_STRBYTES;
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
  ensure_sodium();
  if (!is_password_hash(encoded_hash)) return false;
  const std::string terminated(encoded_hash);  // libsodium reads up to a NUL
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

}  // namespace parley::auth
