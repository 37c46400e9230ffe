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
  std::string out = fmt::format(":{} BATCH +{} {} {}\r\n", config_->server_name, id, batch_type, channel);
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
  if (sub == "TARGETS") return fail("INVALID_PARAMS", {sub}, "TARGETS is not supported: only channels have history");
  const auto direction = direction_named(sub);
  if (!direction) return fail("INVALID_PARAMS", {sub}, "Unknown subcommand");
  const std::size_t points = *direction == Direction::between ? 2 : 1;
  if (m.params.size() < 3 + points) return fail("NEED_MORE_PARAMS", {sub}, "Missing parameters");
  const std::string& target = m.params[1];
  auto room = target.starts_with('#') ? core::check_room_name(target, hub_.limits().room_chars)
                                      : core::Result<core::CheckedName>(core::Refusal::no_such_room);
  if (!room.ok()) return fail("INVALID_TARGET", {sub, target}, "Only channels have history here");

  core::HistoryQuery query;
  query.target = room.value().key;
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

  hub_.history().read(ref_, std::move(query), [this, sub, target](core::Result<std::vector<core::HistoryLine>> lines) {
    if (lines.ok()) return send_history_batch(target, lines.value(), "chathistory");
    // Not in the channel: "the server MAY respond with INVALID_TARGET" (no leak of its history).
    if (lines.refusal() == core::Refusal::not_in_room)
      return standard_reply("FAIL", "CHATHISTORY", "INVALID_TARGET", {sub, target}, "You are not in that channel");
    standard_reply("FAIL", "CHATHISTORY", "MESSAGE_ERROR", {sub, target}, "History could not be read");
  });
}

}  // namespace parley::irc
