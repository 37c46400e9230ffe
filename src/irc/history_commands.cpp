// draft/chathistory (ircv3.net/specs/extensions/chathistory): CHATHISTORY
// reads a channel's history; clients without it get the channel's last lines
// when they join (replay_handler).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/names.h"
#include "irc/capabilities.h"
#include "irc/history_render.h"
#include "irc/irc_session.h"
#include "irc/numerics.h"
#include "irc/render.h"

namespace parley::irc {
namespace {

using Direction = core::HistoryQuery::Direction;

std::optional<Direction> direction_named(std::string_view sub) {
  if (sub == "LATEST") return Direction::latest;
  if (sub == "BEFORE") return Direction::before;
  if (sub == "AFTER") return Direction::after;
  if (sub == "AROUND") return Direction::around;
  if (sub == "BETWEEN") return Direction::between;
  return std::nullopt;
}

std::optional<std::size_t> parse_limit(std::string_view text) {
  std::size_t limit = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return limit;
}

}  // namespace

void IrcSession::send_history_batch(const std::string& channel, const std::vector<core::HistoryLine>& lines,
                                    std::string_view batch_type) {
  const std::uint32_t caps = caps_;
  if (!(caps & kCapBatch)) {
    // Without batch (a JOIN replay to an older client): the lines alone.
    for (const auto& line : lines) emit(render_history_line(line, caps & ~kCapEventPlayback, {}));
    return;
  }
  const std::string id = fmt::format("H{}", ++batches_);
  // A search batch has no target parameter.
  std::string out = channel.empty() ? fmt::format(":{} BATCH +{} {}\r\n", config_->server_name, id, batch_type)
                                    : fmt::format(":{} BATCH +{} {} {}\r\n", config_->server_name, id, batch_type, channel);
  for (const auto& line : lines) out += render_history_line(line, caps, id);
  out += fmt::format(":{} BATCH -{}\r\n", config_->server_name, id);
  emit(out);
}

core::Callback<std::vector<core::HistoryLine>> IrcSession::replay_handler() {
  // A client that reads history itself (draft/chathistory) is not sent any.
  if (caps_ & kCapChathistory) return {};
  return [this](core::Result<std::vector<core::HistoryLine>> lines) {
    if (!lines.ok() || lines.value().empty() || ended_) return;
    send_history_batch(channel_name(lines.value().front().room), lines.value(), "chathistory");
  };
}

void IrcSession::cmd_chathistory(const Message& m) {
  const std::string& sub = m.params[0];
  auto fail = [&](std::string_view code, std::initializer_list<std::string_view> context, std::string_view text) {
    standard_reply("FAIL", "CHATHISTORY", code, context, text);
  };
  if (!hub_.history().enabled()) return fail("MESSAGE_ERROR", {sub}, "History is not kept on this server");
  if (sub == "TARGETS") return chathistory_targets(m);
  const auto direction = direction_named(sub);
  if (!direction) return fail("INVALID_PARAMS", {sub}, "Unknown subcommand");
  const std::size_t points = *direction == Direction::between ? 2 : 1;
  if (m.params.size() < 3 + points) return fail("NEED_MORE_PARAMS", {sub}, "Missing parameters");
  const std::string& target = m.params[1];
  const bool channel = target.starts_with('#');
  auto room = channel ? core::check_room_name(target, hub_.limits().room_chars)
                      : core::Result<core::CheckedName>(core::Refusal::no_such_room);
  if (channel && !room.ok()) return fail("INVALID_TARGET", {sub, target}, "No such channel");
  // Private conversations are kept only between logged-in users (docs/irc.md).
  if (!channel && account_key().empty())
    return fail("INVALID_TARGET", {sub, target}, "Log in to an account to read private message history");

  core::HistoryQuery query;
  if (channel) query.target = room.value().key;
  query.direction = *direction;
  query.speech_only = !(caps_ & kCapEventPlayback);
  for (std::size_t i = 0; i < points; ++i) {
    const std::string& reference = m.params[2 + i];
    // LATEST's "*": no bound (the newest lines).
    if (*direction == Direction::latest && reference == "*") continue;
    auto point = parse_history_point(reference);
    if (!point) return fail("INVALID_PARAMS", {sub, reference}, "Invalid message reference");
    (i == 0 ? query.from : query.to) = std::move(*point);
  }
  const auto limit = parse_limit(m.params[2 + points]);
  if (!limit) return fail("INVALID_PARAMS", {sub, m.params[2 + points]}, "Invalid limit");
  query.limit = std::min(*limit, hub_.history().policy().max_query_lines);

  auto answer = [this, sub, target](core::Result<std::vector<core::HistoryLine>> lines) {
    if (lines.ok()) return send_history_batch(target, lines.value(), "chathistory");
    // Not in the channel: "the server MAY respond with INVALID_TARGET" (no leak of its history).
    if (lines.refusal() == core::Refusal::not_in_room)
      return standard_reply("FAIL", "CHATHISTORY", "INVALID_TARGET", {sub, target}, "You are not in that channel");
    standard_reply("FAIL", "CHATHISTORY", "MESSAGE_ERROR", {sub, target}, "History could not be read");
  };
  if (channel) return hub_.history().read(ref_, std::move(query), std::move(answer));
  hub_.history().read_private(ref_, target, std::move(query), std::move(answer));
}

// CHATHISTORY TARGETS <timestamp> <timestamp> <limit>: the channels and
// private conversations with messages between the two times, latest first.
void IrcSession::chathistory_targets(const Message& m) {
  auto fail = [&](std::string_view code, std::initializer_list<std::string_view> context, std::string_view text) {
    standard_reply("FAIL", "CHATHISTORY", code, context, text);
  };
  if (m.params.size() < 4) return fail("NEED_MORE_PARAMS", {"TARGETS"}, "Missing parameters");
  auto first = parse_history_point(m.params[1]);
  auto second = parse_history_point(m.params[2]);
  if (!first || !first->time) return fail("INVALID_PARAMS", {"TARGETS", m.params[1]}, "Invalid timestamp");
  if (!second || !second->time) return fail("INVALID_PARAMS", {"TARGETS", m.params[2]}, "Invalid timestamp");
  const auto limit = parse_limit(m.params[3]);
  if (!limit) return fail("INVALID_PARAMS", {"TARGETS", m.params[3]}, "Invalid limit");
  const auto from = std::min(*first->time, *second->time), to = std::max(*first->time, *second->time);
  hub_.history().targets(ref_, from, to, *limit, [this](core::Result<std::vector<core::HistoryTarget>> found) {
    if (!found.ok())
      return standard_reply("FAIL", "CHATHISTORY", "MESSAGE_ERROR", {"TARGETS"}, "History could not be read");
    const bool batched = caps_ & kCapBatch;
    const std::string id = fmt::format("H{}", ++batches_);
    std::string out;
    if (batched) out = fmt::format(":{} BATCH +{} draft/chathistory-targets\r\n", config_->server_name, id);
    for (const auto& t : found.value()) {
      const std::string name = core::is_private_history_key(t.target) ? t.name : channel_name(t.name);
      out += fmt::format("{}:{} CHATHISTORY TARGETS {} {}\r\n", batched ? "@batch=" + id + " " : "",
                         config_->server_name, name, server_time(t.latest));
    }
    if (batched) out += fmt::format(":{} BATCH -{}\r\n", config_->server_name, id);
    emit(out);
  });
}

// soju.im/search: SEARCH text=WORDS;in=TARGET;limit=N (attributes escaped as
// tag values). Results in a soju.im/search batch, oldest first.
void IrcSession::cmd_search(const Message& m) {
  auto fail = [&](std::string_view code, std::string_view text) { standard_reply("FAIL", "SEARCH", code, {}, text); };
  if (!hub_.history().enabled()) return fail("MESSAGE_ERROR", "History is not kept on this server");
  core::SearchQuery query;
  query.limit = hub_.history().policy().max_query_lines;
  std::string in;
  std::string_view attrs = m.params[0];
  while (!attrs.empty()) {
    const auto end = attrs.find(';');
    const std::string_view item = attrs.substr(0, end);
    attrs = end == std::string_view::npos ? std::string_view() : attrs.substr(end + 1);
    const auto eq = item.find('=');
    const std::string_view key = item.substr(0, eq);
    const std::string value = eq == std::string_view::npos ? std::string() : unescape_tag_value(item.substr(eq + 1));
    if (key == "text") query.words = value;
    else if (key == "in") in = value;
    else if (key == "limit") {
      auto n = parse_limit(value);
      if (!n || *n == 0) return fail("INVALID_PARAMS", "Invalid limit");
      query.limit = std::min(*n, query.limit);
    } else if (!key.empty()) {
      return fail("INVALID_PARAMS", fmt::format("Unsupported search attribute: {}", key));
    }
  }
  if (query.words.find_first_not_of(" \t*") == std::string::npos) return fail("INVALID_PARAMS", "Missing search text");
  std::string room_key;
  if (!in.empty()) {
    auto room = in.starts_with('#') ? core::check_room_name(in, hub_.limits().room_chars)
                                    : core::Result<core::CheckedName>(core::Refusal::no_such_room);
    if (!room.ok()) return fail("INVALID_PARAMS", "Only channels can be searched one at a time");
    room_key = room.value().key;
  }
  hub_.history().search(ref_, room_key, std::move(query), [this](core::Result<std::vector<core::HistoryLine>> lines) {
    if (!lines.ok()) {
      if (lines.refusal() == core::Refusal::not_in_room)
        return standard_reply("FAIL", "SEARCH", "INVALID_PARAMS", {}, "You are not in that channel");
      return standard_reply("FAIL", "SEARCH", "MESSAGE_ERROR", {}, "History could not be searched");
    }
    auto found = std::move(lines.value());
    std::reverse(found.begin(), found.end());  // newest were found first; shown oldest first
    send_history_batch({}, found, "soju.im/search");
  });
}

}  // namespace parley::irc
