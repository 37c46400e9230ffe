#pragma once
// One room, owned by its home loop: its members, its settings and its order.
// Every change returns the event that tells the members about it, already
// numbered in the room's sequence. Not thread-safe: touched only on the home
// loop (RoomTable keeps it behind a LoopOwned).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/events.h"
#include "core/kept_records.h"
#include "core/name_registry.h"
#include "core/recent_speech.h"

namespace parley::core {

// Bounds on what members may set (HubLimits carries them from the config).
struct RoomLimits {
  std::size_t bans = 64;             // masks on one room's ban list
  std::size_t invitations = 64;      // pending invitations kept; the oldest goes first
  std::size_t key_bytes = 32;        // longest room key
  std::size_t member_limit = 100000; // highest member limit that may be set
};

class Room {
 public:
  // The server's default room (`permanent`) belongs to the server: nobody
  // becomes its operator by joining it first, only server operators may close
  // it (invite-only, a key, a member limit), and it stays when empty.
  Room(std::string display, std::string key, LoopIndex loop_count, RoomLimits limits = {}, bool permanent = false);

  const std::string& display() const { return display_; }
  const std::string& key() const { return key_; }
  const std::string& topic() const { return topic_; }
  std::size_t size() const { return members_.size(); }
  bool empty() const { return members_.empty(); }
  bool permanent() const { return permanent_; }
  bool contains(SessionRef who) const;
  bool is_op(SessionRef who) const;
  bool is_voiced(SessionRef who) const;
  const RoomSettings& settings() const { return settings_; }
  // Whether members live on `loop`, so that it must hear the room's events.
  bool has_members_on(LoopIndex loop) const { return per_loop_[loop] > 0; }

  using EventPtr = std::shared_ptr<const RoomEvent>;
  // What a join yields: the event the members hear, and the joiner's own copy
  // with the room as the joiner finds it (RoomEvent::Joined::snapshot).
  struct JoinOutcome {
    EventPtr for_members;
    EventPtr for_joiner;
  };
  // Joins, after the checks of may_join; refused when they fail. A member
  // already in yields null events. The room keeps `identity` shared, as it is.
  Result<JoinOutcome> join(SessionRef who, SharedIdentity identity, std::string_view key = {});
  // `closed_by`: the server operator who ended the session, `how`: whether
  // the user asked to end it (quit only). nullptr when not a member.
  EventPtr leave(SessionRef who, std::string reason, bool quit = false, std::string closed_by = {},
                 Ending how = Ending::lost);
  // Refused for a non-member (unless the room lets outsiders speak, when
  // `outsider` is its identity), a banned member, or a moderated room without voice.
  Result<EventPtr> say(SessionRef who, Speech speech, std::string text, std::string client_tags = {},
                       Audience audience = Audience::members, SharedIdentity outsider = {});
  // nullptr when not a member or nothing changed.
  EventPtr rename(SessionRef who, SharedIdentity renamed);
  // Refused for a non-member, or a locked topic and no operator. A server
  // operator who is not a member acts as `outsider` (an override).
  Result<EventPtr> set_topic(SessionRef who, std::string topic, SharedIdentity outsider = {});
  // The member's real name or presence changed (never its names). Yields the
  // event announcing it when `announce` says how (an AwayChanged or
  // RealNameChanged payload); nullptr when unannounced or not a member.
  EventPtr update_profile(SessionRef who, SharedIdentity updated, std::optional<RoomEvent::Payload> announce);

  // Policy, asked before the mechanics: nullopt when allowed. Joining: bans,
  // then invite-only (an invitation lets you in once), the key, the limit.
  std::optional<Refusal> may_join(SessionRef who, const Identity& identity, std::string_view key) const;
  // Whether a ban mask matches nick!user@host, and no ban exception does.
  bool is_banned(const Identity& identity) const;

  // Moderation, by an operator (or a server operator, who may act in any
  // room). Refusals of the whole request are the Result's; a request whose
  // parts fail one by one applies the rest.
  struct RefusedChange {
    RoomChange change;
    Refusal refusal;
  };
  struct ChangeOutcome {
    EventPtr event;  // nullptr when nothing changed
    std::vector<RefusedChange> refused;
  };
  // `outsider`: a server operator acting from outside the room (an override);
  // ignored for anyone else, who must be a member.
  Result<ChangeOutcome> change(SessionRef who, std::vector<RoomChange> changes, SharedIdentity outsider = {});
  // Removes the member named (display name or nick); yields the kicked event.
  Result<EventPtr> kick(SessionRef who, std::string_view target, std::string reason, SharedIdentity outsider = {});
  // Lets `target` join once past invite-only. Members may invite; in an
  // invite-only room, operators only. Yields the invited event, told to those
  // who could have invited too: every member, or in an invite-only room the
  // operators.
  Result<EventPtr> invite(SessionRef who, SessionRef target, SharedIdentity invitee);

  RoomSnapshot snapshot() const;

  // In a cluster (core/backplane.h; room_remote.cpp): members on other nodes
  // are entries whose ref is not on any of this node's loops.
  bool has_local_members() const;
  // Applies an event decided on another node, in the room's cluster order,
  // before it is delivered here: members join and leave, names, topic and
  // settings change. `runs_room`: a join's operator status, as the cluster
  // decided it.
  void apply_remote(const RoomEvent& event, std::optional<bool> runs_room);
  // This node's own topic or settings change came back in the cluster's
  // order: applied again there, so that a change another node made at the
  // same moment and numbered before it does not have the last word here
  // while it has not on the other nodes (they apply both in that order).
  void settle_change(const RoomEvent& event);
  // This node's own join came back in order: the joiner runs the room only
  // if the cluster says it was the first in.
  void settle_join(SessionRef who, bool runs_room);
  // Takes the members of other nodes (and, if given, the topic and settings)
  // from what the cluster holds, in place of what this node had of them.
  void restore_remote(const std::vector<std::pair<SessionRef, SharedIdentity>>& members,
                      const std::vector<std::pair<bool, bool>>& roles, const RoomSnapshot* state);
  // Forgets the members of other nodes (this node stops following the room),
  // and what was said lately (recent()), which it would no longer hear.
  void forget_remote();
  // The other nodes no longer know this node's member `who` (they found the
  // node dead, or Redis lost the room): the event announcing it again
  // (RoomEvent::Joined::again), as it is now, with its roles here (the
  // others restore them) and `netjoin`; nullptr when not a member.
  EventPtr rejoin(SessionRef who, std::shared_ptr<const Netjoin> netjoin);

  // What was said lately (Fanout::deliver adds each line history kept), for
  // joins' replay without reading history (RoomRequests::replay).
  RecentSpeech& recent() { return recent_; }

  // Redaction (IRCv3 draft/message-redaction, room_redaction.cpp): a line
  // may be removed by its sender (the account it was sent from, logged in to
  // now) or by an operator of the room (server operators included, from
  // outside too). Refused: not_in_room, not_operator. nullopt when allowed.
  std::optional<Refusal> may_redact(SessionRef who, const Identity& actor, const std::string& sender_account) const;
  // The event that tells the members line `msgid` was removed (the caller
  // checked may_redact and removed it from history). `outsider` as for kick.
  Result<EventPtr> redact(SessionRef who, std::string msgid, std::string reason, SharedIdentity outsider = {});

  // Registration: a room that persists (RoomRecord), with a founder and
  // operators by account, who become its operators when they join. While
  // registered, an empty room stays, and nobody becomes its operator by
  // joining first.
  bool registered() const { return registration_ != nullptr; }
  // To the actor's account: a room operator (or a server operator) who is
  // logged in. Refused: not_logged_in, room_registered, not_in_room, not_operator.
  std::optional<Refusal> register_to(SessionRef who, const Identity& actor);
  // By the founder's account or a server operator; refused: room_not_registered, not_founder.
  std::optional<Refusal> unregister(const Identity& actor);
  // The access list (ChanServ ACCESS, text /access; room_access.cpp): adds or
  // removes an account made operator on joining. The founder's account or a
  // server operator only. Refused: room_not_registered, not_founder,
  // ban_list_full (RoomLimits::bans accounts), no_such_member (removing an
  // account not on it). Adding one there already (or the founder) changes nothing.
  std::optional<Refusal> change_access(const Identity& actor, const std::string& account, bool add);
  // After change_access: members logged in to `account` become operators
  // (add) or stop being ones, at once rather than at their next join. The
  // event (a settings change by `actor`, who may be outside the room) says
  // so; nullptr when nobody's role changed.
  EventPtr apply_access(SessionRef who, SharedIdentity actor, const std::string& account, bool add);
  // The account `account_key` (folded) was deleted (room_access.cpp): it
  // leaves the access list; as founder, the first account on the access list
  // (the longest-trusted) succeeds it, and with none left the room is no
  // longer registered (as Atheme's services do for a dropped founder).
  enum class AccountGone { unchanged, left_access_list, succeeded, unregistered };
  AccountGone forget_account(const std::string& account_key);
  // The accounts a registered room names: its founder's and its access list's.
  std::vector<std::string> accounts_named() const;
  // The room as kept (registered rooms only: an empty founder otherwise).
  RoomRecord record() const;
  // Takes back what was kept: settings, topic, registration (before anyone joins).
  void restore(const RoomRecord& record);
  // Takes the registration another node decided: founder, access list, when
  // registered (an empty founder: not registered). Topic and settings stay.
  void take_registration(const RoomRecord& record);

 private:
  struct Registration {
    std::string founder;                 // account, as registered
    std::vector<std::string> operators;  // accounts, as registered
    WallTime registered;
  };
  // Whether `identity` is logged in to the founder's account or an operator's.
  bool op_by_account(const Identity& identity) const;
  // A member's account became an operator (or stopped being one) in a registered room.
  void remember_operator(const std::string& account, bool op);
  static bool is_server_operator(const SharedIdentity& outsider) {
    return outsider && outsider->presence.server_operator;
  }
  struct Entry {
    SessionRef ref;
    SharedIdentity identity;  // never null
    bool op = false;  // the creator of a room (not the default one) is its first operator
    bool voice = false;
  };
  std::vector<Entry>::iterator find_named(std::string_view name);
  // Applies one change; `changed` is false when it was so already.
  std::optional<Refusal> apply(RoomChange& change, bool& changed, bool server_operator);
  std::vector<Entry>::iterator find(SessionRef who);
  std::vector<Entry>::const_iterator find(SessionRef who) const;
  // Operators of the room, and server operators in it.
  static bool may_moderate(const Entry& e) { return e.op || e.identity->presence.server_operator; }
  std::shared_ptr<RoomEvent> next_event(SessionRef actor, SharedIdentity identity, RoomEvent::Payload what);

  std::string display_;
  std::string key_;
  std::string topic_;
  std::string topic_by_;  // the nick of whoever set the topic
  WallTime topic_time_;
  WallTime created_;
  std::string id_prefix_;  // makes event ids unique across rooms and restarts of a room
  std::uint64_t seq_ = 0;
  std::vector<Entry> members_;  // join order
  std::vector<std::size_t> per_loop_;
  RoomSettings settings_;
  std::vector<SessionRef> invited_;  // oldest first, each good for one join
  RoomLimits limits_;
  bool permanent_ = false;
  std::unique_ptr<Registration> registration_;  // null while not registered (most rooms)
  RecentSpeech recent_;
};

}  // namespace parley::core
