#include "chat_state.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace parley::client {
namespace {

constexpr std::string_view kWelcome = "Welcome ", kWelcomeEnd = " to chatroom! Enter LEAVE to exit the chatroom";
constexpr std::string_view kJoinedEnd = " has joined the chat room!";
constexpr std::string_view kNowTalking = "You are now talking in #";
constexpr std::string_view kNoRoom = "You are not in any room.";
constexpr std::string_view kYouJoined = "You joined #";
constexpr std::string_view kYouLeft = "You left #";
constexpr std::string_view kMembersOf = "Members of #";
constexpr std::string_view kRooms = "Rooms (";
constexpr std::string_view kRenamed = " is now known as ";
constexpr std::string_view kKickedYou = " kicked you from #";

// The room name that starts `text` (up to a space, '.', or the end).
std::string_view room_at(std::string_view text) {
  const std::size_t end = text.find_first_of(" .");
  return text.substr(0, end == std::string_view::npos ? text.size() : end);
}

bool same_folded(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool starts_folded(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && same_folded(text.substr(0, prefix.size()), prefix);
}

// What /who puts in brackets after a name: "operator, voice, away, IRC, IRC nick X".
bool only_notes(std::string_view notes) {
  constexpr std::array<std::string_view, 4> kWords = {"operator", "voice", "away", "IRC"};
  if (notes.empty()) return false;
  while (!notes.empty()) {
    const std::size_t comma = notes.find(", ");
    const std::string_view part = notes.substr(0, comma);
    const bool known = std::find(kWords.begin(), kWords.end(), part) != kWords.end() ||
                       (part.starts_with("IRC nick ") && part.size() > 9 &&
                        part.find(' ', 9) == std::string_view::npos);
    if (!known) return false;
    notes = comma == std::string_view::npos ? std::string_view() : notes.substr(comma + 2);
  }
  return true;
}

std::string common_start(const std::vector<std::string>& words) {
  if (words.empty()) return {};
  std::string start = words.front();
  for (const auto& w : words) {
    std::size_t n = 0;
    while (n < start.size() && n < w.size() &&
           std::tolower(static_cast<unsigned char>(start[n])) == std::tolower(static_cast<unsigned char>(w[n])))
      ++n;
    // Never half a character: back off to the start of the one cut.
    while (n > 0 && n < start.size() && (static_cast<unsigned char>(start[n]) & 0xC0) == 0x80) --n;
    start.resize(n);
  }
  return start;
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> member_spans(std::string_view list) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  std::size_t start = 0;
  auto end_entry = [&](std::size_t end) {
    if (end > start) spans.emplace_back(start, end - start);
  };
  for (std::size_t pos = 0; pos < list.size();) {
    if (list.substr(pos).starts_with(" (")) {
      const std::size_t close = list.find(')', pos);
      if (close != std::string_view::npos && only_notes(list.substr(pos + 2, close - pos - 2)) &&
          (close + 1 == list.size() || list.substr(close + 1).starts_with(", "))) {
        end_entry(pos);
        pos = close + 3;  // past "), "
        start = pos;
        continue;
      }
    }
    if (list.substr(pos).starts_with(", ")) {
      end_entry(pos);
      pos += 2;
      start = pos;
      continue;
    }
    ++pos;
  }
  if (start < list.size()) end_entry(list.size());
  return spans;
}

std::string ChatState::room_of(std::string_view& line) const {
  if (line.starts_with("[#")) {
    const std::size_t close = line.find("] ");
    if (close != std::string_view::npos) {
      std::string room(line.substr(2, close - 2));
      line.remove_prefix(close + 2);
      return room;
    }
  }
  return room_;
}

void ChatState::add_member(const std::string& room, std::string_view name) {
  if (room.empty() || name.empty()) return;
  Names& names = members_[room];
  if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
}

void ChatState::remove_member(const std::string& room, std::string_view name) {
  if (auto it = members_.find(room); it != members_.end()) std::erase(it->second, name);
}

void ChatState::set_members(const std::string& room, std::string_view list) {
  Names names;
  for (const auto& [pos, len] : member_spans(list)) names.emplace_back(list.substr(pos, len));
  members_[room] = std::move(names);
  rooms_.insert(room);
}

bool ChatState::on_server_line(std::string_view line) {
  if (line.starts_with(kWelcome) && line.ends_with(kWelcomeEnd) && me_.empty()) {
    me_ = std::string(line.substr(kWelcome.size(), line.size() - kWelcome.size() - kWelcomeEnd.size()));
    return true;
  }
  if (line.starts_with(kNowTalking)) {
    room_ = std::string(room_at(line.substr(kNowTalking.size())));
    return true;
  }
  if (line.starts_with(kNoRoom)) {
    room_.clear();
    return true;
  }
  if (line.starts_with(kYouJoined)) {
    room_ = std::string(room_at(line.substr(kYouJoined.size())));
    rooms_.insert(room_);
    members_[room_].clear();
    constexpr std::string_view kMembers = ". Members (";
    if (const std::size_t at = line.find(kMembers); at != std::string_view::npos) {
      const std::size_t colon = line.find("): ", at);
      if (colon != std::string_view::npos) set_members(room_, line.substr(colon + 3));
    }
    add_member(room_, me_);
    return true;
  }
  if (line.starts_with(kYouLeft)) {
    const std::string left(room_at(line.substr(kYouLeft.size())));
    members_.erase(left);
    if (same_folded(left, room_)) room_.clear();  // the server says next where you are
    return true;
  }
  if (line.starts_with(kMembersOf)) {
    const std::size_t colon = line.find("): ");
    const std::string room(room_at(line.substr(kMembersOf.size())));
    if (colon != std::string_view::npos) set_members(room, line.substr(colon + 3));
    if (own_who_pending_ > 0) {
      --own_who_pending_;
      if (room_.empty()) room_ = room;  // the room the server put us in
      return false;
    }
    return true;
  }
  if (own_who_pending_ > 0 && line == "Usage: /who ROOM") {  // our /who, and we are in no room
    --own_who_pending_;
    return false;
  }
  if (line.starts_with(kRooms)) {
    // "Rooms (2): #games (1), #lobby (3)"
    for (std::size_t at = line.find('#'); at != std::string_view::npos; at = line.find(", #", at)) {
      if (line[at] == ',') at += 2;
      rooms_.insert(std::string(room_at(line.substr(at + 1))));
      ++at;
    }
    return true;
  }

  std::string_view rest = line;
  const std::string room = room_of(rest);
  if (rest.starts_with("Message from User - ")) {
    const std::string_view tail = rest.substr(20);
    if (const std::size_t colon = tail.find(": "); colon != std::string_view::npos)
      add_member(room, tail.substr(0, colon));
  } else if (rest.ends_with(kJoinedEnd)) {
    add_member(room, rest.substr(0, rest.size() - kJoinedEnd.size()));
  } else if (const std::size_t at = rest.find(" left the chat room"); at != std::string_view::npos) {
    remove_member(room, rest.substr(0, at));
  } else if (const std::size_t at = rest.find(" left #"); at != std::string_view::npos) {
    remove_member(std::string(room_at(rest.substr(at + 7))), rest.substr(0, at));
  } else if (const std::size_t at = rest.find(kRenamed); at != std::string_view::npos && rest.ends_with('.')) {
    const std::string_view from = rest.substr(0, at);
    const std::string_view to = rest.substr(at + kRenamed.size(), rest.size() - at - kRenamed.size() - 1);
    for (auto& [_, names] : members_) std::replace(names.begin(), names.end(), std::string(from), std::string(to));
    if (from == me_) me_ = std::string(to);
  } else if (const std::size_t at = rest.find(kKickedYou); at != std::string_view::npos) {
    const std::string from(room_at(rest.substr(at + kKickedYou.size())));
    members_.erase(from);
    if (same_folded(from, room_)) room_.clear();
  } else if (const std::size_t at = rest.find(" kicked "); at != std::string_view::npos) {
    const std::size_t from = rest.find(" from #", at);
    if (from != std::string_view::npos)
      remove_member(std::string(room_at(rest.substr(from + 7))), rest.substr(at + 8, from - at - 8));
  }
  return true;
}

// std::string(...).append, not "lit" + string: GCC 12 at -O3 warns wrongly
// about the latter (-Wrestrict).
std::string ChatState::prompt() const { return room_.empty() ? "> " : std::string("#").append(room_).append("> "); }

std::vector<std::string> ChatState::members(std::string_view room) const {
  if (auto it = members_.find(room); it != members_.end()) return it->second;
  return {};
}

std::optional<Completion> ChatState::complete(std::string_view line, std::size_t cursor) const {
  cursor = std::min(cursor, line.size());
  const std::string_view before = line.substr(0, cursor);
  const bool command = before.starts_with('/');
  // Where a word may start: after each of the last few spaces (a quote
  // opening a name counts as part of the space before it).
  std::vector<std::size_t> starts;
  std::size_t at = before.size();
  for (int words = 0; words < 3; ++words) {
    const std::size_t space = at == 0 ? std::string_view::npos : before.rfind(' ', at - 1);
    const std::size_t start = space == std::string_view::npos ? 0 : space + 1;
    starts.push_back(start);
    if (space == std::string_view::npos) break;
    at = space;
  }
  // A command's own name is not completed.
  if (command) std::erase_if(starts, [&](std::size_t s) { return s == 0; });

  const std::string_view last = before.substr(starts.empty() ? before.size() : starts.front());
  if (last.starts_with('#')) {
    std::vector<std::string> choices;
    for (const auto& r : rooms_) {
      std::string shown = std::string("#").append(r);
      if (starts_folded(shown, last)) choices.push_back(std::move(shown));
    }
    if (choices.empty()) return std::nullopt;
    if (choices.size() == 1) return Completion{starts.front(), cursor, choices.front() + " ", {}};
    return Completion{starts.front(), cursor, common_start(choices), choices};
  }

  const Names here = members(room_);
  // The longest span (most words) that starts some names wins.
  for (auto it = starts.rbegin(); it != starts.rend(); ++it) {
    std::size_t start = *it;
    const bool quoted = start < before.size() && before[start] == '"';
    if (quoted) ++start;
    const std::string_view typed = before.substr(start);
    if (typed.empty()) continue;
    std::vector<std::string> choices;
    for (const auto& name : here) {
      if (starts_folded(name, typed) && name != me_) choices.push_back(name);
    }
    if (choices.empty()) continue;
    const std::size_t from = quoted ? start - 1 : start;
    if (choices.size() > 1) {
      std::string text = common_start(choices);
      if (quoted) text.insert(0, 1, '"');
      return Completion{from, cursor, std::move(text), choices};
    }
    const std::string& name = choices.front();
    std::string text;
    if (from == 0) text = name + ": ";
    else if (command && (quoted || name.find(' ') != std::string::npos))
      text = std::string("\"").append(name).append("\" ");
    else text = name + " ";
    return Completion{from, cursor, std::move(text), {}};
  }
  return std::nullopt;
}

}  // namespace parley::client
