#pragma once
// SASL PLAIN (RFC 4616): "authzid NUL authcid NUL password", after base64.
#include <optional>
#include <string>
#include <string_view>

namespace parley::auth {

struct PlainCredentials {
  std::string authzid;  // who to act as; empty: the same as authcid
  std::string authcid;  // whose password this is
  std::string password;
};

// Nothing unless there are exactly two NULs and authcid and password are not empty.
std::optional<PlainCredentials> parse_sasl_plain(std::string_view decoded);

}  // namespace parley::auth
