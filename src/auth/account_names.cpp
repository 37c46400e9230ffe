#include "auth/account_names.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cctype>

#include "auth/secret.h"
#include "core/name_registry.h"

namespace parley::auth {

core::Result<core::CheckedName> account_name(std::string_view raw, std::size_t max_chars) {
  auto checked = core::check_user_name(raw, max_chars);
  if (!checked.ok()) return checked;
  return core::check_user_name(core::nick_for(checked.value().display, max_chars), max_chars);
}

bool is_service_name(std::string_view name) {
  if (name.size() != kNickServ.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(name[i])) != std::tolower(static_cast<unsigned char>(kNickServ[i])))
      return false;
  }
  return true;
}

std::string guest_name() {
  ensure_sodium();
  return fmt::format("Guest{:05}", randombytes_uniform(100000));
}

}  // namespace parley::auth
