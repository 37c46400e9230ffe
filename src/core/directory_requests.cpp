#include "core/directory_requests.h"

#include <fmt/format.h>

#include "core/mask.h"
#include "core/names.h"

namespace parley::core {

void DirectoryRequests::ask_registry(SessionRef who, std::function<void(Ticket)> ask) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  state_.post(HubState::kRegistryLoop, [ticket = state_.answers().open(*s), ask = std::move(ask)] { ask(ticket); });
}

std::string DirectoryRequests::private_message(SessionRef who, std::string_view target, Speech speech,
                                               std::string text, Callback<Identity> done, std::string client_tags) {
  LocalSession* s = state_.find(who);
  if (!s) return {};
  auto name = check_user_name(target, state_.limits().name_chars);
  if (!name.ok()) {
    done(Refusal::no_such_user);
    return {};
  }
  // The sender's loop and id, and a count of its messages: unique without asking anyone.
  std::string id = fmt::format("p{:x}-{:x}-{:x}", who.loop, who.id, ++s->private_sent);
  PrivateMessage pm{who, s->identity, {}, {}, speech, std::move(text), std::chrono::system_clock::now(), id,
                    std::move(client_tags)};
  ask_registry(who, [this, key = name.value().key, pm = std::move(pm), done = std::move(done)](Ticket ticket) mutable {
    auto holder = state_.directory().find(key);
    if (!holder) return state_.answers().reply<Identity>(ticket, std::move(done), Refusal::no_such_user);
    pm.to_name = holder->identity.display;
    pm.to_nick = holder->identity.nick;
    state_.post(holder->owner.loop, [this, ticket, target = holder->owner, pm = std::move(pm),
                                     done = std::move(done)]() mutable {
      LocalSession* t = state_.find(target);
      if (!t) return state_.answers().reply<Identity>(ticket, std::move(done), Refusal::no_such_user);
      t->member->on_private_message(pm);
      state_.answers().reply<Identity>(ticket, std::move(done), *t->identity);
    });
  });
  return id;
}

void DirectoryRequests::find_user(SessionRef who, std::string_view name, Callback<Identity> done) {
  auto checked = check_user_name(name, state_.limits().name_chars);
  if (!checked.ok()) return done(Refusal::no_such_user);
  ask_registry(who, [this, key = checked.value().key, done = std::move(done)](Ticket ticket) mutable {
    auto holder = state_.directory().find(key);
    if (!holder) return state_.answers().reply<Identity>(ticket, std::move(done), Refusal::no_such_user);
    state_.answers().reply<Identity>(ticket, std::move(done), std::move(holder->identity));
  });
}

void DirectoryRequests::find_users(SessionRef who, std::string_view mask, std::size_t max,
                                   Callback<std::vector<Identity>> done) {
  auto normal = normalize_mask(mask);
  if (!normal) return done(std::vector<Identity>());
  ask_registry(who, [this, mask = *normal, max, done = std::move(done)](Ticket ticket) mutable {
    state_.answers().reply<std::vector<Identity>>(ticket, std::move(done), state_.directory().find_users(ticket.who, mask, max));
  });
}

void DirectoryRequests::count_users(SessionRef who, Callback<UserCounts> done) {
  ask_registry(who, [this, done = std::move(done)](Ticket ticket) mutable {
    state_.answers().reply<UserCounts>(ticket, std::move(done), state_.directory().counts());
  });
}

void DirectoryRequests::past_users(SessionRef who, std::string_view name, std::size_t count,
                                   Callback<std::vector<PastUser>> done) {
  auto checked = check_user_name(name, state_.limits().name_chars);
  if (!checked.ok()) return done(Refusal::no_such_user);
  ask_registry(who, [this, key = checked.value().key, count, done = std::move(done)](Ticket ticket) mutable {
    auto found = state_.directory().history(key, count);
    if (found.empty()) return state_.answers().reply<std::vector<PastUser>>(ticket, std::move(done), Refusal::no_such_user);
    state_.answers().reply<std::vector<PastUser>>(ticket, std::move(done), std::move(found));
  });
}

void DirectoryRequests::watch(SessionRef who, std::vector<std::string> names, Callback<WatchOutcome> done) {
  std::vector<std::pair<std::string, std::string>> checked;  // key, name as spelled
  for (auto& name : names) {
    auto c = check_user_name(name, state_.limits().name_chars);
    if (c.ok()) checked.emplace_back(c.value().key, std::move(name));
  }
  ask_registry(who, [this, checked = std::move(checked), done = std::move(done)](Ticket ticket) mutable {
    state_.answers().reply<WatchOutcome>(ticket, std::move(done), state_.directory().watch(ticket.who, std::move(checked)));
  });
}

void DirectoryRequests::unwatch(SessionRef who, std::vector<std::string> names) {
  std::vector<std::string> keys;
  for (const auto& name : names) {
    if (auto c = check_user_name(name, state_.limits().name_chars); c.ok()) keys.push_back(c.value().key);
  }
  state_.post(HubState::kRegistryLoop, [this, who, keys = std::move(keys)] { state_.directory().unwatch(who, keys); });
}

void DirectoryRequests::unwatch_all(SessionRef who) {
  state_.post(HubState::kRegistryLoop, [this, who] { state_.directory().unwatch_all(who); });
}

void DirectoryRequests::watched(SessionRef who, Callback<std::vector<WatchedName>> done) {
  ask_registry(who, [this, done = std::move(done)](Ticket ticket) mutable {
    state_.answers().reply<std::vector<WatchedName>>(ticket, std::move(done), state_.directory().watched(ticket.who));
  });
}

void DirectoryRequests::tell_watchers(SessionRef subject, std::function<void(Member&)> tell) {
  state_.post(HubState::kRegistryLoop, [this, subject, tell = std::move(tell)]() mutable {
    state_.fanout().tell(state_.directory().watchers_of(subject), std::move(tell));
  });
}

}  // namespace parley::core
