#include "auth/login_pacing.h"

#include <algorithm>

namespace parley::auth {

core::Duration LoginPacing::wait_in(const Table& table, std::string_view key) const {
  const auto it = table.find(std::string(key));
  if (it == table.end()) return core::Duration::zero();
  const auto now = clock_.now();
  if (now - it->second.last >= policy_.forget_after) return core::Duration::zero();
  return std::max(core::Duration::zero(), it->second.not_before - now);
}

core::Duration LoginPacing::wait_before(std::string_view account, std::string_view address) const {
  return std::max(wait_in(accounts_, account), wait_in(addresses_, address));
}

void LoginPacing::count_failure(Table& table, std::string_view key) {
  const auto now = clock_.now();
  auto it = table.find(std::string(key));
  if (it == table.end()) {
    make_room(table);
    it = table.emplace(std::string(key), Failures{}).first;
  }
  Failures& f = it->second;
  if (now - f.last >= policy_.forget_after) f = Failures{};
  f.last = now;
  if (++f.count <= policy_.free_failures) return;
  const unsigned doublings = std::min(f.count - policy_.free_failures - 1, 20u);
  const auto wait = std::min<core::Duration>(policy_.first_wait * (1u << doublings), policy_.longest_wait);
  f.not_before = now + wait;
}

void LoginPacing::make_room(Table& table) {
  if (table.size() < policy_.most_tracked) return;
  const auto now = clock_.now();
  std::erase_if(table, [&](const auto& entry) { return now - entry.second.last >= policy_.forget_after; });
  while (!table.empty() && table.size() >= policy_.most_tracked) {
    table.erase(std::min_element(table.begin(), table.end(),
                                 [](const auto& a, const auto& b) { return a.second.last < b.second.last; }));
  }
}

void LoginPacing::failed(std::string_view account, std::string_view address) {
  if (!account.empty()) count_failure(accounts_, account);
  if (!address.empty()) count_failure(addresses_, address);
}

void LoginPacing::succeeded(std::string_view account) { accounts_.erase(std::string(account)); }

}  // namespace parley::auth
