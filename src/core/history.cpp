#include "core/history.h"

#include "core/unicode.h"

namespace parley::core {

namespace {
// What a line keeps of its sender: the names it was shown with, its account,
// and whether it was a bot (IRCv3 bot mode: replay carries the tag as live
// did). Not the real name, the away message or the real address.
void keep_sender(HistoryLineRef& line, const Identity& who) {
  line.display = who.display;
  line.nick = who.nick;
  line.user = who.user;
  line.host = who.host;
  line.bot = who.presence.bot;
  line.account = who.presence.account;
}
}  // namespace

HistoryLineRef::HistoryLineRef(const HistoryLine& line)
    : target(line.target),
      room(line.room),
      id(line.id),
      time(line.time),
      kind(line.kind),
      display(line.sender.display),
      nick(line.sender.nick),
      user(line.sender.user),
      host(line.sender.host),
      bot(line.sender.presence.bot),
      account(line.account),
      text(line.text),
      object_name(line.object_name),
      client_tags(line.client_tags) {}

HistoryLine HistoryLineRef::owned() const {
  HistoryLine line;
  line.target = target;
  line.room = room;
  line.id = id;
  line.time = time;
  line.kind = kind;
  line.sender.display = display;
  line.sender.nick = nick;
  line.sender.user = user;
  line.sender.host = host;
  line.sender.presence.bot = bot;
  line.account = account;
  line.text = text;
  line.object_name = object_name;
  line.client_tags = client_tags;
  return line;
}

std::optional<HistoryLineRef> history_line_ref(const RoomEvent& event) {
  using Kind = HistoryLine::Kind;
  HistoryLineRef line;
  line.target = event.room_key;
  line.room = event.room;
  line.id = event.id;
  line.time = event.time;
  keep_sender(line, event.by());
  const bool kept = std::visit(
      Overloaded{
          [&](const RoomEvent::Said& said) {
            // Said to the room's operators or voiced members only: not for
            // whoever joins later and reads the room's history.
            if (said.audience != Audience::members) return false;
            // A TAGMSG: kept only when its tags mean something later.
            if (said.speech == Speech::tagged) {
              if (!kept_tagmsg(said.client_tags)) return false;
              line.kind = Kind::tagged;
              line.client_tags = said.client_tags;
              return true;
            }
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
            if (left.quit)
              line.object_name = !left.closed_by.empty() ? std::string_view(left.closed_by) : left.asked ? "" : "*";
            return true;
          },
          [&](const RoomEvent::Kicked& kicked) {
            line.kind = Kind::kick;
            line.text = kicked.reason;
            if (kicked.target_identity) line.object_name = kicked.target_identity->nick;
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

std::optional<HistoryLine> history_line(const RoomEvent& event) {
  if (auto line = history_line_ref(event)) return line->owned();
  return std::nullopt;
}

namespace {
constexpr char kSeparator = '\x1f';
constexpr char kGuest = '!';  // before a guest's nick in a private key
std::string folded(std::string_view account) { return fold_key(account).value_or(std::string(account)); }

// Whether `tags` ("+a=b;+c") holds the tag `name`, with or without a value.
bool has_tag(std::string_view tags, std::string_view name) {
  while (!tags.empty()) {
    const auto end = tags.find(';');
    std::string_view tag = tags.substr(0, end);
    tag = tag.substr(0, tag.find('='));
    if (tag == name) return true;
    if (end == std::string_view::npos) break;
    tags.remove_prefix(end + 1);
  }
  return false;
}

HistoryLine::Kind kind_of(Speech speech) {
  switch (speech) {
    case Speech::action: return HistoryLine::Kind::action;
    case Speech::notice: return HistoryLine::Kind::notice;
    case Speech::tagged: return HistoryLine::Kind::tagged;
    default: return HistoryLine::Kind::message;
  }
}
}  // namespace

bool kept_tagmsg(std::string_view client_tags) {
  return has_tag(client_tags, "+draft/persist") || has_tag(client_tags, "+draft/react") ||
         has_tag(client_tags, "+react");
}

std::string private_history_key(std::string_view account, std::string_view other_account) {
  std::string a = folded(account), b = folded(other_account);
  if (b < a) std::swap(a, b);
  return std::string("@").append(a).append(1, kSeparator).append(b);
}

std::string private_guest_key(std::string_view account, std::string_view guest_nick) {
  return std::string("@").append(folded(account)).append(1, kSeparator).append(1, kGuest).append(folded(guest_nick));
}

bool is_private_history_key(std::string_view target) { return target.starts_with('@'); }

std::string other_side(std::string_view key, std::string_view account) {
  const std::string me = folded(account);
  for (auto& [reader, other] : private_history_readers(key)) {
    if (reader == me) return other;
  }
  return {};
}

std::vector<std::pair<std::string, std::string>> private_history_readers(std::string_view key) {
  if (!is_private_history_key(key)) return {};
  const auto cut = key.find(kSeparator);
  if (cut == std::string_view::npos) return {};
  const std::string first(key.substr(1, cut - 1)), second(key.substr(cut + 1));
  // A guest conversation: its account's side only (the guest's nick may be anyone's later).
  if (second.starts_with(kGuest)) return {{first, second.substr(1)}};
  return {{first, second}, {second, first}};
}

std::optional<HistoryLine> history_line(const PrivateMessage& pm, std::string_view to_account) {
  const std::string& from_account = pm.sender->presence.account;
  if (from_account.empty() && to_account.empty()) return std::nullopt;
  if (pm.speech == Speech::tagged && !kept_tagmsg(pm.client_tags)) return std::nullopt;
  const std::string target = to_account.empty()     ? private_guest_key(from_account, pm.to_nick)
                             : from_account.empty() ? private_guest_key(to_account, pm.sender->nick)
                                                    : private_history_key(from_account, to_account);
  HistoryLineRef line;
  line.target = target;
  line.id = pm.id;
  line.time = pm.time;
  line.kind = kind_of(pm.speech);
  keep_sender(line, *pm.sender);
  line.text = pm.text;
  line.object_name = pm.to_nick;
  line.client_tags = pm.client_tags;
  return line.owned();
}

}  // namespace parley::core
