#include "auth/saslprep.h"

#include <stringprep.h>

#include <cstdlib>
#include <memory>

namespace parley::auth {

std::optional<std::string> saslprep(std::string_view password) {
  // stringprep reads a C string: a NUL inside would cut the password short.
  if (password.find('\0') != std::string_view::npos) return std::nullopt;
  const std::string in(password);
  char* out = nullptr;
  // Flags 0: unassigned code points allowed (see the header).
  const int rc = stringprep_profile(in.c_str(), &out, "SASLprep", static_cast<Stringprep_profile_flags>(0));
  std::unique_ptr<char, void (*)(void*)> owned(out, std::free);
  if (rc != STRINGPREP_OK || !out || out[0] == '\0') return std::nullopt;
  return std::string(out);
}

}  // namespace parley::auth
