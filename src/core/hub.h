#pragma once
// The hub: sessions, names and rooms across all loops.
//
// Ownership (DESIGN.md, "Threads and ownership"): every piece of state lives in
// the shard of exactly one loop and is touched only there.
//  - a session's record lives on the session's loop;
//  - a room lives on its home loop (a hash of its key), which numbers its events;
//  - names and nicks live in one registry on the registry loop (loop 0), which
//    alone decides who holds them: they change rarely, and one owner makes a
//    display name and its nick a single atomic claim.
// Crossing loops is a LoopPoster::post. A room event crosses once per loop that
// has members, and each loop hands it to its local members from a local view.
//
// Every public method is called on the loop of the session it names (`who.loop`).
// Callbacks run on that same loop, and only while that session is attached; a
// callback may run before the method returns.
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/events.h"
#include "core/loop_poster.h"
#include "core/member.h"
#include "core/name_registry.h"
#include "core/names.h"
#include "core/refusal.h"
#include "core/room.h"
#include "core/watch_list.h"

namespace parley::core {

struct HubLimits {
  std::string default_room = "lobby";
  std::size_t name_chars = 32;
  std::size_t nick_chars = 32;  // IRC nicks derived from names are cut to this
  std::size_t room_chars = 50;
  std::size_t topic_chars = 390;
  std::size_t rooms_per_user = 20;
  std::size_t watched_names = 100;  // names one session may watch (IRC's MONITOR=)
  std::size_t real_name_chars = 100;  // longest real name (IRC's SETNAME)
  std::size_t away_chars = 200;       // away messages are cut to this (IRC's AWAYLEN)
  std::size_t name_history = 1000;    // names left (quit or renamed) remembered for past_users; 0: none
};

template <class T>
using Callback = std::function<void(Result<T>)>;
// Told of a refusal decided later, on the room's home loop; never called when
// the request went through (its event says so).
using Refused = std::function<void(Refusal)>;

class Hub {
 public:
  Hub(LoopPoster& poster, HubLimits limits);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  const HubLimits& limits() const { return limits_; }

  // Makes `member` reachable. Called on `loop`; the member must outlive its
  // attachment (until detach).
  SessionRef attach(LoopIndex loop, Member& member, Profile profile = {});
  // Takes effect at the next claim_name.
  void set_profile(SessionRef who, Profile profile);
  // Leaves every room (members hear "left" with `reason`) and frees the name.
  // No event or callback reaches the member after this returns.
  void detach(SessionRef who, std::string reason);

  // Takes a name, or changes it (every room the session is in hears "renamed").
  // Yields the name as it will be shown, and its nick. Claims by one session
  // are settled one at a time, in the order asked.
  void claim_name(SessionRef who, std::string_view raw, Callback<Identity> done);
  // The keys of the rooms the session is in or joining.
  std::vector<std::string> rooms_of(SessionRef who) const;
  // The session's current identity (empty before claim_name succeeds). Good
  // until the identity next changes (a claim, a presence change) or detach:
  // identities are shared and immutable, and a change makes a new one.
  const Identity& identity_of(SessionRef who) const;

  // Refusals the session's own loop can decide come back at once; the joined
  // event (with a snapshot of the room) follows. Yields the checked room name.
  // The room itself may still refuse (banned, invite_only, bad_key, room_full):
  // then `refused` is told, and the session is no longer joining it.
  Result<CheckedName> join(SessionRef who, std::string_view room, std::string key = {}, Refused refused = {});
  Result<Done> part(SessionRef who, const std::string& room_key, std::string reason);
  // The room may refuse later: moderated (no voice), banned. `client_tags`
  // travel with the message, opaque (RoomEvent::client_tags).
  Result<Done> say(SessionRef who, const std::string& room_key, RoomEvent::Kind kind, std::string text,
                   Refused refused = {}, std::string client_tags = {});
  // The room may refuse later: topic_locked (not an operator).
  Result<Done> set_topic(SessionRef who, const std::string& room_key, std::string topic, Refused refused = {});

  // Moderation. Each is decided on the room's home loop, in the room's one
  // order, and announced to the room as an event (settings_changed, kicked).
  // Changes settings and roles (operators only: not_operator). Yields the
  // changes that were refused one by one; the others were applied.
  void change_settings(SessionRef who, const std::string& room_key, std::vector<RoomChange> changes,
                       Callback<std::vector<Room::RefusedChange>> done);
  // Removes a member (display name or nick) from the room; operators only.
  void kick(SessionRef who, const std::string& room_key, std::string target, std::string reason, Callback<Done> done);
  // Lets `target` (display name or nick) join `room` once, past invite-only; the
  // invitee is told (Member::on_invite). Yields the invitee.
  void invite(SessionRef who, std::string_view target, std::string_view room, Callback<Identity> done);

  void room_info(SessionRef who, std::string_view room, Callback<RoomSnapshot> done);
  // Secret rooms are listed only to their members.
  void list_rooms(SessionRef who, Callback<std::vector<RoomSummary>> done);
  // `target` is a display name or a nick. Yields the recipient's identity.
  // Returns the message's id ("" if refused at once).
  std::string private_message(SessionRef who, std::string_view target, std::string text, bool action,
                              Callback<Identity> done, bool notice = false, std::string client_tags = {},
                              bool tags_only = false);
  // Who holds a display name or nick, if anyone.
  void find_user(SessionRef who, std::string_view name, Callback<Identity> done);
  // Everyone whose nick!user@host a mask matches ('*', '?'; "zo*" means
  // "zo*!*@*"), sorted by nick, at most `max`; invisible users are left out,
  // except the asker. An unusable mask matches nobody.
  void find_users(SessionRef who, std::string_view mask, std::size_t max, Callback<std::vector<Identity>> done);
  // How many sessions have a name, server-wide (for LUSERS).
  void count_users(SessionRef who, Callback<std::size_t> done);
  // The same, told apart by Presence::invisible.
  struct UserCounts {
    std::size_t visible = 0;
    std::size_t invisible = 0;
  };
  void count_users_by_visibility(SessionRef who, Callback<UserCounts> done);

  // Presence (core/presence.h), decided on the session's own loop and copied
  // to the registry (lookups) and to every room the session is in (member
  // lists). Rooms announce away and real-name changes as events
  // (away_changed, real_name_changed), and so do the session's watchers
  // (Member::on_watched_profile); the other flags are not announced.
  // Each refuses only a session without a name yet (no_such_user).
  Result<Done> set_away(SessionRef who, std::string message);  // "" for back
  // Refused when empty, over limits().real_name_chars, or holding control characters.
  Result<Done> set_real_name(SessionRef who, std::string real_name);
  Result<Done> set_bot(SessionRef who, bool on);
  Result<Done> set_invisible(SessionRef who, bool on);

  // Server operators. The logins are read-only once the loops run: set them before.
  void set_operator_logins(std::vector<OperatorLogin> logins) { operator_logins_ = std::move(logins); }
  // no_operator_logins when none are configured; wrong_password for an unknown
  // name or a wrong password (alike, so names cannot be probed).
  Result<Done> become_server_operator(SessionRef who, std::string_view name, std::string_view password);
  Result<Done> stop_being_server_operator(SessionRef who);
  // Ends `target`'s session (display name or nick): it is told (Member::on_removed),
  // then detached, and its rooms hear it quit with `reason`, closed by `who`.
  // Server operators only (not_server_operator). Yields whom it removed.
  void remove_user(SessionRef who, std::string_view target, std::string reason, Callback<Identity> done);
  // Who held a display name or nick before (quit or renamed), newest first, at
  // most `count`; no_such_user when nobody is remembered (limits().name_history).
  void past_users(SessionRef who, std::string_view name, std::size_t count, Callback<std::vector<PastUser>> done);

  // Runs `done` on who's loop once everything who asked of the room's home
  // loop before this call has been decided and its events have reached who's
  // loop: how a session knows that a say, join or part is settled.
  void after_room(SessionRef who, const std::string& room_key, std::function<void()> done);

  // Watching names (IRC's MONITOR), kept beside the name registry. A watcher is
  // told (Member::on_watch_notice) when a watched name is taken (online) or
  // given up (offline), whether by an IRC nick or a text user's name or nick.
  struct WatchedName {
    std::string name;                // as the watcher spelled it
    std::optional<Identity> holder;  // who holds it now, if anyone
  };
  struct WatchOutcome {
    std::vector<WatchedName> watched;  // now on the list (added, or there already)
    std::vector<std::string> refused;  // not added: the list is full (limits().watched_names)
  };
  // Names that are not valid names are left out.
  void watch(SessionRef who, std::vector<std::string> names, Callback<WatchOutcome> done);
  void unwatch(SessionRef who, std::vector<std::string> names);
  void unwatch_all(SessionRef who);
  // The watch list, oldest first, with who holds each name now.
  void watched(SessionRef who, Callback<std::vector<WatchedName>> done);
  // For notices about a watched person beyond online/offline (IRC's
  // extended-monitor: away, real name, ...): runs `tell` with each watcher's
  // Member on that watcher's loop, for everyone watching a name `subject`
  // holds. Called on subject's loop; `tell` must hold values only (it crosses loops).
  void tell_watchers(SessionRef subject, std::function<void(Member&)> tell);

 private:
  struct Shard;
  struct LocalSession;

  LoopIndex home_of(const std::string& key) const;
  Shard& shard(LoopIndex loop) const { return *shards_[loop]; }
  LocalSession* find_session(SessionRef who) const;
  // Runs `fn` on who's loop if the session is still attached then.
  void on_session_loop(SessionRef who, std::function<void(LocalSession&)> fn);
  template <class T>
  void reply(SessionRef who, Callback<T> done, Result<T> result);

  // Name claims, one at a time per session (see claim_name).
  void pump_claims(SessionRef who);
  void finish_claim(LocalSession& session, Result<SharedIdentity> result);
  // Sends `event` to every loop with members of `room`, and to the actor's loop.
  void broadcast(const Room& room, std::shared_ptr<const RoomEvent> event);
  // Runs `change` on the room's home loop and broadcasts what it yields.
  void change_room(const std::string& room_key, std::function<std::shared_ptr<const RoomEvent>(Room&)> change);
  // On who's loop: the room refused a join; the session is no longer joining it.
  void join_refused(SessionRef who, const std::string& room_key, Refusal refusal, Refused refused);
  bool in_room(SessionRef who, const std::string& room_key) const;
  void deliver_on_loop(LoopIndex loop, const std::shared_ptr<const RoomEvent>& event);
  void release_names(SessionRef who);
  // Copies the session's real name and presence to the registry and its rooms;
  // `announce` names the room event that tells members, if any.
  Result<Done> publish_profile(LocalSession& session, std::optional<RoomEvent::Kind> announce);
  void detach_closed_by(SessionRef who, std::string reason, std::string closed_by);
  // On the registry loop: tells watchers of `keys` (but not `subject`).
  void notify_watchers(const std::vector<std::string>& keys, SessionRef subject,
                       std::function<void(Member&)> tell);
  // On the registry loop: after `who` went from `before` (its keys and
  // identity) to what it holds now, tells watchers who went offline/online.
  void watched_names_changed(SessionRef who, const std::vector<std::string>& before_keys,
                             const std::optional<Identity>& before);

  static constexpr LoopIndex kRegistryLoop = 0;

  LoopPoster& poster_;
  HubLimits limits_;
  std::vector<std::unique_ptr<Shard>> shards_;
  NameRegistry registry_;  // touched only on kRegistryLoop
  WatchList watches_;      // touched only on kRegistryLoop
  std::vector<OperatorLogin> operator_logins_;  // read-only while the loops run
};

}  // namespace parley::core
