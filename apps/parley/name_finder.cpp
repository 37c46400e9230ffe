#include "name_finder.hpp"

#include <algorithm>

#include "chat_state.hpp"

namespace parley::client {
namespace {

constexpr std::size_t kMaxNameBytes = 160;   // 32 characters of up to 4 bytes, and room to spare
constexpr std::size_t kMaxKnownNames = 4096;  // forget them all past this; they are relearnt

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Could `s` be a name? Names hold no ':', do not start with '/' or '#', and
// are trimmed of white space.
bool plausible_name(std::string_view s) {
  return !s.empty() && s.size() <= kMaxNameBytes && s.find(':') == std::string_view::npos && s.front() != '/' &&
         s.front() != '#' && s.front() != ' ' && s.back() != ' ';
}

// Length of a leading "[#room] " (a room name holds no spaces), or 0.
std::size_t room_prefix_length(std::string_view line) {
  if (!starts_with(line, "[#")) return 0;
  const auto close = line.find("] ");
  if (close == std::string_view::npos || line.substr(0, close).find(' ') != std::string_view::npos) return 0;
  return close + 2;
}

}  // namespace

void NameFinder::learn(std::string_view name) {
  if (known_.size() >= kMaxKnownNames) known_.clear();
  known_.emplace(name);
}

std::size_t NameFinder::longest_known_prefix(std::string_view text) const {
  std::size_t best = 0;
  for (const auto& name : known_) {
    if (name.size() > best && starts_with(text, name) && (text.size() == name.size() || text[name.size()] == ' ')) {
      best = name.size();
    }
  }
  return best;
}

std::vector<NameSpan> NameFinder::find(std::string_view line) {
  std::vector<NameSpan> spans;
  const std::size_t base = room_prefix_length(line);
  const std::string_view rest = line.substr(base);

  // Records rest.substr(pos, len) when it is plausible, and learns it.
  auto take = [&](std::size_t pos, std::size_t len) {
    const auto name = rest.substr(pos, len);
    if (!plausible_name(name)) return false;
    learn(name);
    spans.push_back({base + pos, len});
    return true;
  };
  // "PREFIX NAME: text"
  auto before_colon = [&](std::string_view prefix) {
    if (!starts_with(rest, prefix)) return false;
    const auto colon = rest.find(':', prefix.size());
    if (colon != std::string_view::npos) take(prefix.size(), colon - prefix.size());
    return true;
  };

  for (std::string_view no_names : {"Error: ", "Usage: ", "Disconnected: "}) {
    if (starts_with(rest, no_names)) return spans;
  }
  if (before_colon("Message from User - ") || before_colon("Private message from ") ||
      before_colon("Private message to ")) {
    return spans;
  }
  if (starts_with(rest, "* ")) {
    const auto action = rest.substr(2);
    std::size_t len = longest_known_prefix(action);
    if (len == 0) len = std::min(action.find(' '), action.size());
    if (plausible_name(action.substr(0, len))) spans.push_back({base + 2, len});
    return spans;
  }
  if (starts_with(rest, "Welcome ")) {
    const auto end = rest.rfind(" to chatroom!");
    if (end != std::string_view::npos && end > 8) take(8, end - 8);
    return spans;
  }
  constexpr std::string_view joined = " has joined the chat room!";
  if (rest.size() > joined.size() && rest.ends_with(joined)) {
    take(0, rest.size() - joined.size());
    return spans;
  }
  // "NAME left the chat room.", "NAME left the chat room (reason).", "NAME left #room[ (reason)]."
  constexpr std::string_view left = " left the chat room";
  if (const auto at = rest.find(left); at != std::string_view::npos && at > 0) {
    const auto after = rest.substr(at + left.size());
    if (after == "." || starts_with(after, " (") || starts_with(after, ". (")) take(0, at);
    return spans;
  }
  if (const auto at = rest.find(" left #"); at != std::string_view::npos && at > 0 && rest.ends_with(".")) {
    take(0, at);
    return spans;
  }
  constexpr std::string_view renamed = " is now known as ";
  if (const auto at = rest.find(renamed); at != std::string_view::npos && rest.ends_with(".")) {
    const auto from = at + renamed.size();
    if (plausible_name(rest.substr(0, at)) && plausible_name(rest.substr(from, rest.size() - 1 - from))) {
      take(0, at);
      take(from, rest.size() - 1 - from);
    }
    return spans;
  }
  // "... Members (N): a, b" and "Members of #room (N): a, b"
  std::size_t members = std::string_view::npos;
  if (starts_with(rest, "Members ")) {
    members = 0;
  } else if (starts_with(rest, "You joined #")) {
    members = rest.find(". Members (");
  }
  if (members != std::string_view::npos) {
    const auto list = rest.find("): ", members);
    if (list == std::string_view::npos) return spans;
    // /who's notes in brackets ("Zoë (voice, away)") are not names.
    for (const auto& [pos, len] : member_spans(rest.substr(list + 3))) take(list + 3 + pos, len);
  }
  return spans;
}

}  // namespace parley::client
