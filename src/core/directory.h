#pragma once
// Who is here, by name: the name registry, the watch lists beside it (IRC's
// MONITOR), the names left (IRC's WHOWAS) and the lookups over them. Owned by
// the registry loop (HubState keeps it behind a LoopOwned); not thread-safe.
// It decides; telling sessions on their loops is the caller's.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/events.h"
#include "core/name_registry.h"
#include "core/watch_list.h"

namespace parley::core {

struct UserCounts {
  std::size_t visible = 0;
  std::size_t invisible = 0;
  std::size_t operators = 0;  // server operators among them
  std::size_t most = 0;       // the most users there have been at once
  // Asked of every loop by DirectoryRequests::count_users:
  std::size_t unnamed = 0;  // connections without a name yet
  std::size_t rooms = 0;    // rooms on the server
};

// What WHOIS tells beyond the identity: the rooms a user is in, as the asker
// may see them, and when the user signed on and last spoke.
struct UserDetails {
  struct InRoom {
    std::string room;  // display name, without '#'
    bool op = false;
    bool voice = false;
  };
  Identity identity;
  std::vector<InRoom> rooms;  // in the order joined; secret rooms only when the asker may see them
  WallTime signed_on{};
  WallTime last_spoke{};  // signed_on if it has not spoken yet
  WallTime now{};         // the hub's clock when asked (the user's node's), to measure idle time against
};

// Someone a lookup found, and whose session it is.
struct FoundUser {
  SessionRef who;
  Identity identity;
};

struct WatchedName {
  std::string name;                // as the watcher spelled it
  std::optional<Identity> holder;  // who holds it now, if anyone
};

struct WatchOutcome {
  std::vector<WatchedName> watched;  // now on the list (added, or there already)
  std::vector<std::string> refused;  // not added: the list is full
};

// Watchers to tell that a name came online or went offline.
struct WatchNotices {
  std::vector<std::pair<std::vector<SessionRef>, WatchNotice>> notices;
};

class Directory {
 public:
  Directory(std::size_t nick_chars, std::size_t name_history, std::size_t watched_names)
      : names_(nick_chars, name_history), watches_(watched_names) {}

  // Names. Each fills `notices` with the watchers to tell.
  Result<SharedIdentity> claim(SessionRef who, const CheckedName& name, const Profile& profile, WatchNotices& notices);
  void release(SessionRef who, WatchNotices& notices);
  void update(SessionRef who, const SharedIdentity& identity) { names_.update(who, identity); }

  // Lookups.
  std::optional<NameRegistry::Holder> find(const std::string& key) const { return names_.find(key); }
  // Everyone a normalized mask matches, sorted by nick: at most `max` of those
  // the asker may see anyway (the visible, and itself), and at most `max`
  // invisible others, in `invisible`, for the caller to check for a shared room.
  std::vector<Identity> find_users(SessionRef asker, const std::string& mask, std::size_t max,
                                   std::vector<FoundUser>* invisible = nullptr) const;
  UserCounts counts() const;
  // Runs fn(session, identity) for everyone holding a name.
  template <class Fn>
  void for_each_user(Fn&& fn) const {
    names_.for_each(fn);
  }
  // Everyone whose presence says they hear server operators' notices.
  std::vector<SessionRef> hearing_operator_notices() const;
  std::vector<PastUser> history(const std::string& key, std::size_t count) const {
    return names_.history(key, count);
  }
  // Called, on this loop, with each name left that history() remembers (its
  // folded keys with it): the cluster keeps it for other nodes too.
  void on_name_left(std::function<void(const PastUser&, const std::vector<std::string>& keys)> left) {
    left_ = std::move(left);
  }

  // Watching, by folded keys paired with the names as spelled.
  WatchOutcome watch(SessionRef who, std::vector<std::pair<std::string, std::string>> keys_and_names);
  void unwatch(SessionRef who, const std::vector<std::string>& keys);
  void unwatch_all(SessionRef who) { watches_.clear(who); }
  std::vector<WatchedName> watched(SessionRef who) const;
  // Everyone watching a name `subject` holds, but not `subject`.
  std::vector<SessionRef> watchers_of(SessionRef subject) const;
  // Everyone watching the folded name `key` (a name held on another node).
  std::vector<SessionRef> watchers_of_key(const std::string& key) const { return watches_.watchers_of({key}); }

 private:
  // After `who` went from `before` (its keys and identity) to what it holds
  // now: watchers of names that went offline, then of those that came online.
  void names_changed(SessionRef who, const std::vector<std::string>& before_keys,
                     const std::optional<Identity>& before, WatchNotices& notices) const;
  std::vector<SessionRef> watchers_except(const std::vector<std::string>& keys, SessionRef subject) const;

  // After a claim or a release: the name `who` left, if remembered, to left_.
  void tell_left(const std::vector<std::string>& before_keys, const std::optional<Identity>& before) const;

  NameRegistry names_;
  WatchList watches_;
  std::function<void(const PastUser&, const std::vector<std::string>&)> left_;
};

}  // namespace parley::core
