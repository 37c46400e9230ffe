// IRCv3 draft/read-marker (MARKREAD) and draft/message-redaction (REDACT).
//  - MARKREAD <target> [timestamp=...]: the last message read, per account and
//    target, kept across restarts; sent after JOIN before RPL_ENDOFNAMES, and
//    to the account's other clients when it moves.
//  - REDACT <#channel> <msgid> [:reason]: the sender (by account) or a channel
//    operator removes a message; clients with the capability get the REDACT,
//    others nothing (the spec's "might choose not to send a fallback").
#include <fmt/format.h>

#include <algorithm>

#include "auth/account_names.h"
#include "core/names.h"
#include "irc/capabilities.h"
#include "irc/command_helpers.h"
#include "irc/history_render.h"
#include "irc/irc_session.h"
#include "irc/render.h"

namespace parley::irc {
namespace {

// Markers a connection that is not logged in keeps, at most (one per buffer a
// client shows: channels and queries).
constexpr std::size_t kMostOwnMarkers = 100;

std::string marker_param(const std::optional<core::WallTime>& time) {
  return time ? "timestamp=" + server_time(*time) : std::string("*");
}

}  // namespace

std::optional<std::string> IrcSession::marker_key(std::string_view target) const {
  if (target.starts_with('#')) {
    auto room = core::check_room_name(target, hub_.limits().room_chars);
    if (!room.ok()) return std::nullopt;
    return room.value().key;
  }
  // A nick: folded as an account name is (one person's several nicks differ).
  auto name = auth::account_name(target, hub_.limits().name_chars);
  if (!name.ok()) return std::nullopt;
  return name.value().key;
}

bool IrcSession::wants_join_markers() const {
  return (caps_ & kCapReadMarker) && !account_key().empty() && hub_.markers().enabled();
}

void IrcSession::send_marker(std::string_view target, const std::optional<core::WallTime>& time,
                             std::string_view stream) {
  emit(fmt::format(":{} MARKREAD {} {}\r\n", config_->server_name, target, marker_param(time)), stream);
}

std::optional<core::WallTime> IrcSession::own_marker(const std::string& key) const {
  if (!login_) return std::nullopt;
  for (const auto& [k, time] : login_->own_markers) {
    if (k == key) return time;
  }
  return std::nullopt;
}

void IrcSession::cmd_markread(const Message& m) {
  auto fail = [&](std::string_view code, std::initializer_list<std::string_view> context, std::string_view text) {
    standard_reply("FAIL", "MARKREAD", code, context, text);
  };
  if (m.params.empty() || m.params[0].empty()) return fail("NEED_MORE_PARAMS", {}, "Missing parameters");
  const std::string target = m.params[0];
  if (!hub_.markers().enabled()) return fail("INTERNAL_ERROR", {target}, "Read markers are not kept on this server");
  const auto key = marker_key(target);
  if (!key) return fail("INVALID_PARAMS", {target}, "Invalid target");
  // Not logged in: this connection's own markers, in memory until it closes.
  const bool own = account_key().empty();
  if (m.params.size() < 2 && own) return send_marker(target, own_marker(*key));
  if (m.params.size() < 2) {
    return hub_.markers().get(ref_, {*key}, [this, target](const core::Result<std::vector<std::optional<core::WallTime>>>& r) {
      if (!r.ok()) return standard_reply("FAIL", "MARKREAD", "INTERNAL_ERROR", {target}, "The read timestamp could not be read");
      send_marker(target, r.value().front());
    });
  }
  const std::string& stamp = m.params[1];
  auto point = stamp.starts_with("timestamp=") ? parse_history_point(stamp) : std::nullopt;
  // The text is compared as well as the time: ISO 8601 in this fixed form
  // sorts as time does, and a year the clock cannot hold (past 2262, before
  // 1678) comes back from the parse as the end of the clock's range.
  const std::string_view written =
      point ? std::string_view(stamp).substr(std::string_view("timestamp=").size()) : std::string_view();
  if (!point || !point->time || written < "1970") return fail("INVALID_PARAMS", {as_middle_param(stamp)}, "Invalid timestamp");
  const core::WallTime now = std::chrono::system_clock::now();
  const core::WallTime time = written > server_time(now) ? now : *point->time;  // the future: now (the spec's clamp)
  if (own) {
    auto& markers = login().own_markers;
    auto it = std::find_if(markers.begin(), markers.end(), [&](const auto& k) { return k.first == *key; });
    if (it == markers.end()) {
      if (markers.size() >= kMostOwnMarkers) markers.erase(markers.begin());  // bounded: the oldest set goes
      markers.emplace_back(*key, time);
    } else {
      it->second = std::max(it->second, time);  // only ever forward
    }
    return send_marker(target, own_marker(*key));
  }
  hub_.markers().set(ref_, *key, target, time, [this, target](const core::Result<core::WallTime>& r) {
    if (!r.ok()) return standard_reply("FAIL", "MARKREAD", "INTERNAL_ERROR", {target}, "The read timestamp could not be set");
    send_marker(target, r.value());
  });
}

void IrcSession::on_read_marker(const core::ReadMarkerNotice& notice) {
  if (!registered_ || ended_ || !(caps_ & kCapReadMarker)) return;
  send_marker(notice.target, notice.time);
}

void IrcSession::cmd_redact(const Message& m) {
  const std::string& target = m.params[0];
  const std::string& msgid = m.params[1];
  const std::string reason = m.params.size() > 2 ? m.params[2] : std::string();
  auto fail = [this, target, msgid](std::string_view code, std::string_view text) {
    standard_reply("FAIL", "REDACT", code, {as_middle_param(target), as_middle_param(msgid)}, text);
  };
  // Private messages are not redacted here (docs/irc.md): only channel lines.
  auto room = target.starts_with('#') ? core::check_room_name(target, hub_.limits().room_chars)
                                      : core::Result<core::CheckedName>(core::Refusal::no_such_room);
  if (!room.ok()) {
    return standard_reply("FAIL", "REDACT", "INVALID_TARGET", {as_middle_param(target)},
                          fmt::format("You cannot delete messages from {}", target));
  }
  hub_.rooms().redact(ref_, room.value().key, msgid, reason, [fail, this, target](core::Refusal no) {
    using core::Refusal;
    switch (no) {
      case Refusal::not_operator: return fail("REDACT_FORBIDDEN", "You are not authorised to delete this message");
      // Not in the channel: as for an unknown id, so that ids of other channels are not confirmed.
      case Refusal::not_in_room:
        return standard_reply("FAIL", "REDACT", "INVALID_TARGET", {as_middle_param(target)},
                              fmt::format("You cannot delete messages from {}", target));
      case Refusal::no_such_message: return fail("UNKNOWN_MSGID", "This message does not exist or is too old");
      default: return fail("TEMPORARILY_UNAVAILABLE", "Messages cannot be deleted right now");
    }
  });
}

}  // namespace parley::irc
