#pragma once
// Which account a name belongs to, and the guest names given to whoever keeps
// a registered name without logging in.
//
// An account is named in its IRC nick form (core::nick_for): "Raj Ingle", as a
// text user types it, is the account "Raj_Ingle", which is also how IRC shows
// it (in tags, JOIN, WHOX, which allow no spaces). The registry treats a
// display name and its nick as one person already, so both belong to the account.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/names.h"

namespace parley::auth {

// The account a display name or nick maps to: its nick form, checked as a
// user name (display: as shown; key: case-folded, the AccountRecords key).
core::Result<core::CheckedName> account_name(std::string_view raw, std::size_t max_chars);
// "Guest" and five random digits.
std::string guest_name();
// The names of the services a session may talk to and nobody may take.
inline constexpr std::string_view kNickServ = "NickServ";
// Whether `name` is NickServ's, in any case.
bool is_service_name(std::string_view name);

}  // namespace parley::auth
