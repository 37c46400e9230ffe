#include "auth/name_guard.h"

namespace parley::auth {

void guard_name(core::Hub& hub, core::SessionRef who, AccountService& accounts, std::string name_key,
                std::string account_key, std::function<void(const std::string& account)> warn,
                std::function<void()> expired) {
  if (name_key.empty() || name_key == account_key) return;
  hub.await_outside(
      who,
      [&hub, who, &accounts, name_key, warn = std::move(warn), expired = std::move(expired)](core::Hub::Reply reply) {
        accounts.find(name_key, [&hub, who, &accounts, reply = std::move(reply), warn, expired](AccountAnswer found) {
          if (!found.ok()) return;  // not registered (or the store failed: nobody is renamed for that)
          reply([&hub, who, &accounts, account = found.name, warn, expired] {
            warn(account);
            hub.await_outside(
                who,
                [&accounts, expired](core::Hub::Reply later) {
                  accounts.after(accounts.settings().name_grace,
                                 [later = std::move(later), expired] { later(expired); });
                },
                false);
          });
        });
      },
      false);
}

}  // namespace parley::auth
