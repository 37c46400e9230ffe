#include "core/history.h"

#include "core/unicode.h"

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
            // How a session ended, so that it is shown again as it was.
            if (left.quit) line.object_name = !left.closed_by.empty() ? left.closed_by : left.asked ? "" : "*";
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
          [](const RoomEvent::Redacted&) { return false; },  // the line it names is removed instead
      },
      event.what);
  if (!kept) return std::nullopt;
  return line;
}

namespace {
constexpr char kSeparator = '\x1f';
std::string folded(std::string_view account) { return fold_key(account).value_or(std::string(account)); }
}  // namespace

std::string private_history_key(std::string_view account, std::string_view other_account) {
  std::string a = folded(account), b = folded(other_account);
  if (b < a) std::swap(a, b);
  return "@" + a + kSeparator + b;
}

bool is_private_history_key(std::string_view target) { return target.starts_with('@'); }

std::string other_side(std::string_view key, std::string_view account) {
  if (!is_private_history_key(key)) return {};
  const auto cut = key.find(kSeparator);
  if (cut == std::string_view::npos) return {};
  const std::string me = folded(account);
  const std::string_view first = key.substr(1, cut - 1), second = key.substr(cut + 1);
  if (first == me) return std::string(second);
  if (second == me) return std::string(first);
  return {};
}

std::optional<HistoryLine> history_line(const PrivateMessage& pm, std::string_view to_account) {
  const std::string& from_account = pm.sender->presence.account;
  if (from_account.empty() || to_account.empty() || pm.speech == Speech::tagged) return std::nullopt;
  HistoryLine line;
  line.target = private_history_key(from_account, to_account);
  line.id = pm.id;
  line.time = pm.time;
  line.kind = pm.speech == Speech::action ? HistoryLine::Kind::action
              : pm.speech == Speech::notice ? HistoryLine::Kind::notice
                                            : HistoryLine::Kind::message;
  line.sender = *pm.sender;
  line.account = from_account;
  line.sender.presence = {};
  line.sender.real_name.clear();
  line.text = pm.text;
  line.object_name = pm.to_nick;
  line.client_tags = pm.client_tags;
  return line;
}

}  // namespace parley::core
