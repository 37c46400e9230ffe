#include "auth/sasl_plain.h"

namespace parley::auth {

std::optional<PlainCredentials> parse_sasl_plain(std::string_view decoded) {
  const auto first = decoded.find('\0');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = decoded.find('\0', first + 1);
  if (second == std::string_view::npos || decoded.find('\0', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  PlainCredentials c{std::string(decoded.substr(0, first)), std::string(decoded.substr(first + 1, second - first - 1)),
                     std::string(decoded.substr(second + 1))};
  if (c.authcid.empty() || c.password.empty()) return std::nullopt;
  return c;
}

}  // namespace parley::auth
