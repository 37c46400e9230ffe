// IRCv3 draft/read-marker (MARKREAD) and draft/message-redaction (REDACT).
//  - MARKREAD <target> [timestamp=...]: the last message read, per account and
//    target, kept across restarts; sent after JOIN before RPL_ENDOFNAMES, and
//    to the account's other clients when it moves.
//  - REDACT <#channel> <msgid> [:reason]: the sender (by account) or a channel
//    operator removes a message; clients with the capability get the REDACT,
//    others nothing (the spec's "might choose not to send a fallback").
//  - REDACT <nick> <msgid> [:reason]: the sender of a kept private message
//    (by account) takes it back; the recipient is told as it was the message.
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

// "@msgid=...;time=... :sender!u@h REDACT <nick> <msgid> [:reason]".
std::string render_private_redaction(const core::PrivateRedaction& r, std::uint32_t caps, std::string_view to_nick) {
  const core::Identity& from = *r.sender;
  const std::string source = user_prefix(from.nick, from.user, from.host);
  const std::string tags = tag_prefix(caps, r.time, r.id, {}, from.presence.bot, from.presence.account);
  if (r.reason.empty()) return tags + fmt::format(":{} REDACT {} {}\r\n", source, to_nick, r.msgid);
  return tags + format_line(source, "REDACT", {std::string(to_nick), r.msgid}, r.reason);
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

void IrcSession::redact_private(const std::string& target, const std::string& msgid, const std::string& reason) {
  auto fail = [this, target, msgid](std::string_view code, std::string_view text) {
    standard_reply("FAIL", "REDACT", code, {as_middle_param(target), as_middle_param(msgid)}, text);
  };
  // The sender's own copy, as the recipient's (echo-message's way): its
  // identity now, its id and time from the hub.
  auto sent = std::make_shared<core::DirectoryRequests::Sent>();
  *sent = hub_.directory().redact_private(
      ref_, target, msgid, reason, [this, target, msgid, reason, sent, fail](const core::Result<core::Done>& r) {
        using core::Refusal;
        if (r.ok()) {
          if (!(caps_ & kCapMessageRedaction)) return;
          auto me = std::make_shared<core::Identity>(hub_.identity_of(ref_));
          me->nick = nick_;
          me->host = host_;
          return send_raw(render_private_redaction(
              core::PrivateRedaction{std::move(me), target, msgid, reason, sent->time, sent->id}, line_caps(), target));
        }
        switch (r.refusal()) {
          case Refusal::no_such_user:
            return standard_reply("FAIL", "REDACT", "INVALID_TARGET", {as_middle_param(target)},
                                  fmt::format("You cannot delete messages from {}", target));
          case Refusal::not_operator: return fail("REDACT_FORBIDDEN", "You are not authorised to delete this message");
          case Refusal::no_such_message: return fail("UNKNOWN_MSGID", "This message does not exist or is too old");
          default: return fail("TEMPORARILY_UNAVAILABLE", "Messages cannot be deleted right now");
        }
      });
}

void IrcSession::on_private_redaction(const core::PrivateRedaction& redaction) {
  if (!registered_ || ended_ || !(caps_ & kCapMessageRedaction)) return;
  // The sender's other sessions show it as their own echo: to whom it was sent.
  const bool mine =
      login_ && !login_->account.empty() && core::same_account(redaction.sender->presence.account, login_->account);
  send_raw(render_private_redaction(redaction, line_caps(), mine ? redaction.to_nick : nick_));
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
  if (!target.starts_with('#')) return redact_private(target, msgid, reason);
  auto room = core::check_room_name(target, hub_.limits().room_chars);
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
