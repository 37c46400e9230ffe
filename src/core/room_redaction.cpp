// Who may remove a line of a room's history, and the event that says it was
// (IRCv3 draft/message-redaction). Decided on the room's home loop.
#include "core/room.h"
#include "core/unicode.h"

namespace parley::core {
std::optional<Refusal> Room::may_redact(SessionRef who, const Identity& actor, const std::string& sender_account) const {
  const bool server_operator = actor.presence.server_operator;
  auto it = find(who);
  if (it == members_.end() && !server_operator) return Refusal::not_in_room;
  // An account, not a nick: whoever holds the sender's nick later is not its sender.
  if (same_account(sender_account, actor.presence.account)) return std::nullopt;
  if (server_operator || (it != members_.end() && it->op)) return std::nullopt;
  return Refusal::not_operator;
}

Result<Room::EventPtr> Room::redact(SessionRef who, std::string msgid, std::string reason, SharedIdentity outsider) {
  auto it = find(who);
  const bool from_outside = it == members_.end();
  if (from_outside && !is_server_operator(outsider)) return Refusal::not_in_room;
  auto ev = next_event(who, from_outside ? outsider : it->identity, RoomEvent::Redacted{std::move(msgid), std::move(reason)});
  ev->outsider = from_outside;
  return EventPtr(std::move(ev));
}

}  // namespace parley::core
