#include "core/history.h"

namespace parley::core {

std::optional<HistoryLine> history_line(const RoomEvent& event) {
  using Kind = HistoryLine::Kind;
  HistoryLine line;
  line.target = event.room_key;
  line.room = event.room;
  line.id = event.id;
  line.time = event.time;
  line.sender = event.by();
  line.account = line.sender.presence.account;
  line.sender.presence = {};  // not kept: the moment's away message is no part of the line
  line.sender.real_name.clear();
  const bool kept = std::visit(
      Overloaded{
          [&](const RoomEvent::Said& said) {
            if (said.speech == Speech::tagged) return false;  // no text: nothing to read again
            // Said to the room's operators or voiced members only: not for
            // whoever joins later and reads the room's history.
            if (said.audience != Audience::members) return false;
            line.kind = said.speech == Speech::action ? Kind::action
                        : said.speech == Speech::notice ? Kind::notice
                                                        : Kind::message;
            line.text = said.text;
            line.client_tags = said.client_tags;
            return true;
          },
          [&](const RoomEvent::Joined&) {
            line.kind = Kind::join;
            return true;
          },
          [&](const RoomEvent::Left& left) {
            line.kind = left.quit ? Kind::quit : Kind::part;
            line.text = left.reason;
            return true;
          },
          [&](const RoomEvent::Kicked& kicked) {
            line.kind = Kind::kick;
            line.text = kicked.reason;
            line.object_name = kicked.target_identity ? kicked.target_identity->nick : std::string();
            return true;
          },
          [&](const RoomEvent::TopicChanged& topic) {
            line.kind = Kind::topic;
            line.text = topic.topic;
            return true;
          },
          [&](const RoomEvent::Renamed& renamed) {
            line.kind = Kind::rename;
            line.text = renamed.to->display;
            line.object_name = renamed.to->nick;
            return true;
          },
          [](const RoomEvent::SettingsChanged&) { return false; },
          [](const RoomEvent::Invited&) { return false; },
          [](const RoomEvent::AwayChanged&) { return false; },
          [](const RoomEvent::RealNameChanged&) { return false; },
          [](const RoomEvent::AccountChanged&) { return false; },
      },
      event.what);
  if (!kept) return std::nullopt;
  return line;
}

}  // namespace parley::core
