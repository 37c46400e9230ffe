// Lookups other nodes ask of this node's users (docs/cluster.md): a user here
// as a WHOIS or a WHO of a mask on another node shows it. The asker is on its
// own node; what a single server decides with the asker's session (which
// secret rooms it may see, which invisible users share a room with it) is
// decided here from what its node sent (LookupAsker).
#include <algorithm>
#include <memory>

#include "core/directory_requests.h"

namespace parley::core {

void DirectoryRequests::answer_details(const std::string& key, LookupAsker asker,
                                       std::function<void(std::optional<UserDetails>)> done) {
  auto holder = state_.directory().find(key);
  if (!holder) return done(std::nullopt);
  // The holder's loop (its record), then its rooms' home loops, gathered back
  // on the holder's loop.
  state_.post(holder->owner.loop, [this, target = holder->owner, asker = std::move(asker), done = std::move(done)] {
    const LocalSession* t = state_.find(target);
    if (!t) return done(std::nullopt);
    auto details = std::make_shared<UserDetails>(
        UserDetails{*t->identity, {}, t->signed_on, t->last_spoke, state_.wall_clock()});
    // The address behind a cloak is for server operators only: it does not leave for others.
    if (!asker.server_operator) details->identity.address.clear();
    const bool sees_all = asker.server_operator;
    RoomFilter may_see = [sees_all, rooms = std::move(asker.room_keys)](const Room& r) {
      return !r.settings().secret || sees_all || std::find(rooms.begin(), rooms.end(), r.key()) != rooms.end();
    };
    rooms_seen(target.loop, target, t->room_keys, std::move(may_see),
               [details, done](std::vector<UserDetails::InRoom> rooms) {
                 details->rooms = std::move(rooms);
                 done(std::move(*details));
               });
  });
}

void DirectoryRequests::answer_users(const std::string& mask, std::size_t max, LookupAsker asker,
                                     std::function<void(std::vector<Identity>)> done) {
  // As find_users does for an asker here: the registry's matches, and those
  // of the invisible among them that one of the asker's rooms has too (asked
  // of the rooms' home loops, gathered back on the registry loop). The asker
  // matches nobody here (kRemoteLoop).
  struct Gather {
    std::vector<Identity> found;
    std::vector<FoundUser> invisible;
    std::vector<bool> shared;
    std::size_t remaining = 0;
    std::size_t max = 0;
    std::function<void(std::vector<Identity>)> done;
  };
  auto gather = std::make_shared<Gather>();
  gather->max = max;
  gather->done = std::move(done);
  gather->found = state_.directory().find_users(SessionRef{kRemoteLoop, 0}, mask, max, &gather->invisible);
  gather->shared.assign(gather->invisible.size(), false);
  auto finish = [gather] {
    for (std::size_t i = 0; i < gather->invisible.size(); ++i) {
      if (gather->shared[i]) gather->found.push_back(std::move(gather->invisible[i].identity));
    }
    auto& found = gather->found;
    std::sort(found.begin(), found.end(), [](const Identity& a, const Identity& b) { return a.nick < b.nick; });
    if (found.size() > gather->max) found.resize(gather->max);
    for (auto& who : found) who.address.clear();  // WHO never shows it
    gather->done(std::move(found));
  };
  if (gather->invisible.empty() || asker.room_keys.empty()) return finish();
  std::vector<SessionRef> candidates;
  for (const auto& u : gather->invisible) candidates.push_back(u.who);
  gather->remaining = asker.room_keys.size();
  for (const std::string& key : asker.room_keys) {
    state_.post(state_.home_of(key), [this, key, candidates, gather, finish] {
      std::vector<bool> in_room(candidates.size(), false);
      if (const Room* r = state_.room(key)) {
        for (std::size_t i = 0; i < candidates.size(); ++i) in_room[i] = r->contains(candidates[i]);
      }
      state_.post(HubState::kRegistryLoop, [gather, finish, in_room = std::move(in_room)] {
        for (std::size_t i = 0; i < in_room.size(); ++i) {
          if (in_room[i]) gather->shared[i] = true;
        }
        if (--gather->remaining == 0) finish();
      });
    });
  }
}

}  // namespace parley::core
