#pragma once
// Name ownership (issue 11): a registered name may be used only after logging
// in to its account. When a session takes a name (or logs in), both codecs
// ask guard_name; if the name belongs to an account the session is not logged
// in to, `warn` runs on the session's loop at once (after the store is asked)
// and `expired` once the grace period (AccountSettings::name_grace) has
// passed: the codec then checks again whether the session still holds the
// name without its account, and if so renames it to a guest name.
// Both run only while the session is attached, as output of no command.
#include <functional>
#include <string>

#include "auth/account_service.h"
#include "core/hub.h"

namespace parley::auth {

// `name_key`: account_name(...).key of the name taken; `account_key`: the
// key of the account the session is logged in to ("" for none).
void guard_name(core::Hub& hub, core::SessionRef who, AccountService& accounts, std::string name_key,
                std::string account_key, std::function<void(const std::string& account)> warn,
                std::function<void()> expired);

}  // namespace parley::auth
