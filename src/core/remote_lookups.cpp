// Lookups other nodes ask of this node's users (docs/cluster.md): a user here
// as a WHOIS on another node shows it. The asker is on its own node; what a
// single server decides with the asker's session (which secret rooms it may
// see) is decided here from what its node sent (LookupAsker).
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

}  // namespace parley::core
