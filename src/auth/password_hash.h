#pragma once
// Passwords kept as Argon2id hashes in libsodium's encoded form
// ("$argon2id$v=19$m=...,t=...,p=...$salt$hash"), which carries its own salt
// and cost, so a hash made at one cost still verifies after the default changes.
// Hashing takes tens of milliseconds and tens of MiB on purpose: never call
// these on an event loop (AccountService runs them on its worker).
#include <cstddef>
#include <string>
#include <string_view>

namespace parley::auth {

struct HashCost {
  unsigned long long operations;
  std::size_t memory_bytes;
  // libsodium's "interactive" limits (2 passes, 64 MiB): the default.
  static HashCost interactive();
  // The least libsodium allows: for tests only, where speed matters more than strength.
  static HashCost minimum();
};

// Throws std::runtime_error when the memory cannot be had.
std::string hash_password(std::string_view password, HashCost cost = HashCost::interactive());
// False for a wrong password and for text that is not an Argon2id hash.
bool verify_password(std::string_view encoded_hash, std::string_view password);
// Whether text is an Argon2id hash in encoded form (so a configured operator
// password can be either a hash or, as before, the password itself).
bool is_password_hash(std::string_view text);

}  // namespace parley::auth
