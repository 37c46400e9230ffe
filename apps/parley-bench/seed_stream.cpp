#include "seed_stream.h"

#include <algorithm>
#include <array>

namespace parley::bench {
namespace {

using Match = SeedStream::Match;

constexpr std::string_view kGreeting = "Welcome to Chat room. To join enter your Name and begin chatting.";
constexpr std::string_view kWelcomeHead = "Welcome ";
constexpr std::string_view kWelcomeTail = " to chatroom! Enter LEAVE to exit the chatroom ";
constexpr std::string_view kMessageHead = "Message from User - ";
constexpr std::string_view kMessageColon = ": ";
constexpr std::string_view kJoinedTail = " has joined the chat room! ";
constexpr std::string_view kLeftTail = " left the chat room.";
constexpr std::string_view kLeave = "LEAVE";
constexpr std::string_view kPayloadTag = "pb.";
constexpr int kPayloadFields = 3;  // sender, sequence, time (payload.h)

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Does `data` at `pos` hold `literal`? Advances `pos` past it.
Match literal(std::string_view data, std::size_t& pos, std::string_view literal) {
  const std::string_view rest = data.substr(std::min(pos, data.size()));
  if (rest.size() >= literal.size()) {
    if (!rest.starts_with(literal)) return Match::no;
    pos += literal.size();
    return Match::yes;
  }
  return literal.starts_with(rest) ? Match::need_more : Match::no;
}

// Folds the outcomes of several alternatives tried at one place.
struct Best {
  Match outcome = Match::no;
  void note(Match m) {
    if (m == Match::need_more) outcome = Match::need_more;
  }
};

}  // namespace

SeedStream::SeedStream(std::string name_prefix, std::size_t payload_size)
    : name_prefix_(std::move(name_prefix)), payload_size_(payload_size) {}

Match SeedStream::match_name(std::string_view data, std::size_t& pos, std::string_view& name) const {
  const std::size_t start = pos;
  if (const Match m = literal(data, pos, name_prefix_); m != Match::yes) return m;
  const std::size_t digits = pos;
  while (pos < data.size() && is_digit(data[pos])) ++pos;
  if (pos == data.size()) return Match::need_more;  // more digits may follow
  if (pos == digits) return Match::no;
  name = data.substr(start, pos - start);
  return Match::yes;
}

Match SeedStream::match_payload(std::string_view data, std::size_t& pos, std::string_view& payload) const {
  const std::size_t start = pos;
  if (const Match m = literal(data, pos, kPayloadTag); m != Match::yes) return m;
  for (int field = 0; field < kPayloadFields; ++field) {
    const std::size_t digits = pos;
    while (pos < data.size() && is_digit(data[pos])) ++pos;
    if (pos == data.size()) return Match::need_more;
    if (pos == digits || data[pos] != '.') return Match::no;
    ++pos;
  }
  const std::size_t length = std::max(payload_size_, pos - start);
  if (data.size() - start < length) {
    // Only padding may follow; anything else is not a bench payload.
    const bool padding = std::all_of(data.begin() + static_cast<std::ptrdiff_t>(pos), data.end(),
                                     [](char c) { return c == 'x'; });
    return padding ? Match::need_more : Match::no;
  }
  const std::string_view padding = data.substr(pos, start + length - pos);
  if (padding.find_first_not_of('x') != std::string_view::npos) return Match::no;
  pos = start + length;
  payload = data.substr(start, length);
  return Match::yes;
}

Match SeedStream::match(std::string_view data, SeedRecord& record, std::size_t& used) const {
  Best best;
  std::size_t pos = 0;
  // A whole record matched, ending at `pos`.
  auto found = [&](SeedKind kind, std::string_view name = {}, std::string_view payload = {}) {
    record = {kind, name, payload};
    used = pos;
    return Match::yes;
  };
  Match m = literal(data, pos, kGreeting);
  if (m == Match::yes) return found(SeedKind::greeting);
  best.note(m);

  pos = 0;
  std::string_view name;
  m = literal(data, pos, kWelcomeHead);
  if (m == Match::yes) m = match_name(data, pos, name);
  if (m == Match::yes) m = literal(data, pos, kWelcomeTail);
  if (m == Match::yes) return found(SeedKind::welcome, name);
  best.note(m);

  pos = 0;
  std::string_view payload;
  m = literal(data, pos, kMessageHead);
  if (m == Match::yes) m = match_name(data, pos, name);
  if (m == Match::yes) m = literal(data, pos, kMessageColon);
  if (m == Match::yes) m = match_payload(data, pos, payload);
  if (m == Match::yes) return found(SeedKind::message, name, payload);
  best.note(m);

  pos = 0;
  m = literal(data, pos, kLeave);
  if (m == Match::yes) return found(SeedKind::leave);
  best.note(m);

  pos = 0;
  m = match_name(data, pos, name);
  if (m == Match::yes) {
    const std::size_t after_name = pos;
    const std::array<std::pair<std::string_view, SeedKind>, 2> tails{
        {{kJoinedTail, SeedKind::joined}, {kLeftTail, SeedKind::left}}};
    for (const auto& [tail, kind] : tails) {
      pos = after_name;
      const Match t = literal(data, pos, tail);
      if (t == Match::yes) return found(kind, name);
      best.note(t);
    }
  } else {
    best.note(m);
  }
  return best.outcome;
}

std::size_t SeedStream::skip_garbage(std::string_view data) {
  const auto next = data.find(kMessageHead, 1);
  if (next != std::string_view::npos) return next;
  // Keep what may be the start of a marker cut by the end of the read.
  const std::size_t keep = std::min(data.size(), kMessageHead.size() - 1);
  return data.size() - keep;
}

}  // namespace parley::bench
