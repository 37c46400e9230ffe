#pragma once
// One room, owned by its home loop: its members, its topic and its order.
// Every change returns the event that tells the members about it, already
// numbered in the room's sequence. Not thread-safe: touched only on the home loop.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/events.h"
#include "core/name_registry.h"

namespace parley::core {

class Room {
 public:
  Room(std::string display, std::string key, LoopIndex loop_count);

  const std::string& display() const { return display_; }
  const std::string& topic() const { return topic_; }
  std::size_t size() const { return members_.size(); }
  bool empty() const { return members_.empty(); }
  bool contains(SessionRef who) const;
  bool is_op(SessionRef who) const;
  bool is_voiced(SessionRef who) const;
  const RoomSettings& settings() const { return settings_; }
  // Whether members live on `loop`, so that it must hear the room's events.
  bool has_members_on(LoopIndex loop) const { return per_loop_[loop] > 0; }

  using EventPtr = std::shared_ptr<const RoomEvent>;
  // Each returns nullptr when nothing changed (joining twice, a non-member speaking).
  // The room keeps `identity` shared, as it is (never null).
  EventPtr join(SessionRef who, SharedIdentity identity);
  EventPtr join(SessionRef who, Identity identity) { return join(who, std::make_shared<const Identity>(std::move(identity))); }
  // `closed_by`: the server operator who ended the session (quit only).
  EventPtr leave(SessionRef who, std::string reason, bool quit = false, std::string closed_by = {});
  // `client_tags` travel with the message, opaque (RoomEvent::client_tags).
  EventPtr say(SessionRef who, RoomEvent::Kind kind, std::string text, std::string client_tags = {});
  EventPtr rename(SessionRef who, SharedIdentity renamed);
  EventPtr rename(SessionRef who, Identity renamed) { return rename(who, std::make_shared<const Identity>(std::move(renamed))); }
  EventPtr set_topic(SessionRef who, std::string topic);
  // The member's real name or presence changed (never its names). Yields the
  // event announcing it, `announce` (away_changed or real_name_changed)
  // numbered `presence_seq`; nullptr when unannounced (bot, invisible, server
  // operator) or not a member.
  EventPtr update_profile(SessionRef who, SharedIdentity updated, std::optional<RoomEvent::Kind> announce,
                          std::uint64_t presence_seq);
  EventPtr update_profile(SessionRef who, Identity updated, std::optional<RoomEvent::Kind> announce,
                          std::uint64_t presence_seq) {
    return update_profile(who, std::make_shared<const Identity>(std::move(updated)), announce, presence_seq);
  }

  // Policy, asked before the mechanics above: nullopt when allowed.
  // Joining: bans, then invite-only (an invitation lets you in once), the key,
  // the member limit.
  std::optional<Refusal> may_join(SessionRef who, const Identity& identity, std::string_view key) const;
  // Moderated rooms: only operators and voiced members. A member a ban mask
  // matches is silenced (banned), unless an operator or voiced.
  std::optional<Refusal> may_speak(SessionRef who) const;
  // Whether a ban mask matches nick!user@host.
  bool is_banned(const Identity& identity) const;
  // Topic-locked rooms: only operators.
  std::optional<Refusal> may_set_topic(SessionRef who) const;

  // Moderation, by an operator. Refusals of the whole request are the Result's;
  // a request whose parts fail one by one applies the rest.
  struct RefusedChange {
    RoomChange change;
    Refusal refusal;
  };
  struct ChangeOutcome {
    EventPtr event;  // nullptr when nothing changed
    std::vector<RefusedChange> refused;
  };
  Result<ChangeOutcome> change(SessionRef who, std::vector<RoomChange> changes);
  // Removes the member named (display name or nick); yields the kicked event.
  Result<EventPtr> kick(SessionRef who, std::string_view target, std::string reason);
  // Lets `target` join once past invite-only. Members may invite; in an
  // invite-only room, operators only. Yields the invited event, told to those
  // who could have invited too: every member, or in an invite-only room the
  // operators.
  Result<EventPtr> invite(SessionRef who, SessionRef target, const Identity& invitee = {});

  RoomSnapshot snapshot() const;

 private:
  struct Entry {
    SessionRef ref;
    SharedIdentity identity;  // never null
    bool op = false;  // the room's creator is its first operator
    bool voice = false;
  };
  std::vector<Entry>::iterator find_named(std::string_view name);
  // Applies one change; `changed` is false when it was so already.
  std::optional<Refusal> apply(RoomChange& change, bool& changed);
  std::vector<Entry>::iterator find(SessionRef who);
  std::vector<Entry>::const_iterator find(SessionRef who) const;
  std::shared_ptr<RoomEvent> next_event(RoomEvent::Kind kind, SessionRef actor, const Identity& identity);

  std::string display_;
  std::string key_;
  std::string topic_;
  std::string id_prefix_;  // makes event ids unique across rooms and restarts of a room
  std::uint64_t seq_ = 0;
  std::vector<Entry> members_;  // join order
  std::vector<std::size_t> per_loop_;
  RoomSettings settings_;
  std::vector<SessionRef> invited_;  // oldest first, each good for one join
};

}  // namespace parley::core
