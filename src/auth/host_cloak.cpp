#include "auth/host_cloak.h"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "auth/secret.h"

namespace parley::auth {
namespace {

constexpr std::size_t kCloakBytes = 10;  // 80 bits: 16 base32 characters
constexpr std::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view kSuffix = ".parley";

}  // namespace

HostCloak::HostCloak(std::string key) : key_(std::move(key)) {
  if (key_.size() != kKeyBytes) throw std::invalid_argument("a host cloak key is 32 bytes");
  ensure_sodium();
}

std::string HostCloak::cloak(std::string_view address) const {
  std::array<unsigned char, kCloakBytes> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(address.data()), address.size(),
                     reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  std::string out;
  out.reserve(hash.size() * 8 / 5 + kSuffix.size());
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char byte : hash) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kBase32[(buffer >> bits) & 31u];
    }
  }
  out += kSuffix;
  return out;
}

std::string HostCloak::new_key() { return random_bytes(kKeyBytes); }

}  // namespace parley::auth
