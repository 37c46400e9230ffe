#pragma once
// Standard base64 with padding (RFC 4648 section 4), as SASL and SCRAM use it.
#include <optional>
#include <string>
#include <string_view>

namespace parley::auth {

std::string base64_encode(std::string_view bytes);
// Nothing for text that is not base64 (bad characters, bad padding).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace parley::auth
