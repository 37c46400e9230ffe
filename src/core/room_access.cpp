// A registered room's access list: the accounts (besides the founder's)
// made its operators when they join, kept with the room.
#include <algorithm>

#include "core/room.h"
#include "core/unicode.h"

namespace parley::core {
std::optional<Refusal> Room::change_access(const Identity& actor, const std::string& account, bool add) {
  if (!registration_) return Refusal::room_not_registered;
  if (!actor.presence.server_operator && !same_account(registration_->founder, actor.presence.account))
    return Refusal::not_founder;
  auto& ops = registration_->operators;
  auto it = std::find_if(ops.begin(), ops.end(), [&](const std::string& o) { return same_account(o, account); });
  if (add) {
    if (same_account(registration_->founder, account) || it != ops.end()) return std::nullopt;
    if (ops.size() >= limits_.bans) return Refusal::ban_list_full;
    ops.push_back(account);
    return std::nullopt;
  }
  if (it == ops.end()) return Refusal::no_such_member;
  ops.erase(it);
  return std::nullopt;
}

Room::EventPtr Room::apply_access(SessionRef who, SharedIdentity actor, const std::string& account, bool add) {
  std::vector<RoomChange> changes;
  for (Entry& e : members_) {
    if (e.op == add || !same_account(e.identity->presence.account, account)) continue;
    e.op = add;
    changes.push_back(RoomChange{RoomSetting::op, add, e.identity->display, e.identity->nick, e.ref});
  }
  if (changes.empty()) return nullptr;
  // Told to the members only: an actor outside hears its answer instead.
  return next_event(who, std::move(actor), RoomEvent::SettingsChanged{std::move(changes)});
}

}  // namespace parley::core

namespace parley::core {

Room::AccountGone Room::forget_account(const std::string& account_key) {
  if (!registration_) return AccountGone::unchanged;
  auto& ops = registration_->operators;
  const auto before = ops.size();
  std::erase_if(ops, [&](const std::string& o) { return same_account(o, account_key); });
  if (!same_account(registration_->founder, account_key))
    return ops.size() == before ? AccountGone::unchanged : AccountGone::left_access_list;
  // The founder went. Its successor is whom it trusted longest; without one
  // nobody but a server operator could manage the room, so it stops being
  // registered rather than keep a founder a newcomer could register as.
  if (ops.empty()) {
    registration_.reset();
    return AccountGone::unregistered;
  }
  registration_->founder = ops.front();
  ops.erase(ops.begin());
  return AccountGone::succeeded;
}

std::vector<std::string> Room::accounts_named() const {
  std::vector<std::string> out;
  if (!registration_) return out;
  out.push_back(registration_->founder);
  out.insert(out.end(), registration_->operators.begin(), registration_->operators.end());
  return out;
}

}  // namespace parley::core
