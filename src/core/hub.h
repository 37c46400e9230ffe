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

namespace parley::core {

struct HubLimits {
  std::string default_room = "lobby";
  std::size_t name_chars = 32;
  std::size_t nick_chars = 32;  // IRC nicks derived from names are cut to this
  std::size_t room_chars = 50;
  std::size_t topic_chars = 390;
  std::size_t rooms_per_user = 20;
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
  // The session's current identity (empty before claim_name succeeds).
  const Identity& identity_of(SessionRef who) const;

  // Refusals the session's own loop can decide come back at once; the joined
  // event (with a snapshot of the room) follows. Yields the checked room name.
  // The room itself may still refuse (banned, invite_only, bad_key, room_full):
  // then `refused` is told, and the session is no longer joining it.
  Result<CheckedName> join(SessionRef who, std::string_view room, std::string key = {}, Refused refused = {});
  Result<Done> part(SessionRef who, const std::string& room_key, std::string reason);
  // The room may refuse later: moderated (no voice).
  Result<Done> say(SessionRef who, const std::string& room_key, RoomEvent::Kind kind, std::string text,
                   Refused refused = {});
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
                              Callback<Identity> done, bool notice = false);
  // Who holds a display name or nick, if anyone.
  void find_user(SessionRef who, std::string_view name, Callback<Identity> done);
  // How many sessions have a name, server-wide (for LUSERS).
  void count_users(SessionRef who, Callback<std::size_t> done);

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
  void finish_claim(LocalSession& session, Result<Identity> result);
  // Sends `event` to every loop with members of `room`, and to the actor's loop.
  void broadcast(const Room& room, std::shared_ptr<const RoomEvent> event);
  // Runs `change` on the room's home loop and broadcasts what it yields.
  void change_room(const std::string& room_key, std::function<std::shared_ptr<const RoomEvent>(Room&)> change);
  // On who's loop: the room refused a join; the session is no longer joining it.
  void join_refused(SessionRef who, const std::string& room_key, Refusal refusal, Refused refused);
  bool in_room(SessionRef who, const std::string& room_key) const;
  void deliver_on_loop(LoopIndex loop, const std::shared_ptr<const RoomEvent>& event);
  void release_names(SessionRef who);

  static constexpr LoopIndex kRegistryLoop = 0;

  LoopPoster& poster_;
  HubLimits limits_;
  std::vector<std::unique_ptr<Shard>> shards_;
  NameRegistry registry_;  // touched only on kRegistryLoop
};

}  // namespace parley::core
