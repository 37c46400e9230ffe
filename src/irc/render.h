#pragma once
// Core events as IRC lines, for a recipient with a given set of capabilities.
// Pure functions; each returns whole lines ending in "\r\n".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/events.h"

namespace parley::irc {

// Wire forms this codec owns in a RenderCache (0x02xx: the IRC codec); the
// low bits are the line-shaping capabilities.
inline constexpr std::uint32_t kFormBase = 0x0200;

std::string channel_name(std::string_view room);  // "#room"
std::string user_prefix(std::string_view nick, std::string_view user, std::string_view host);
// The same into a buffer on the caller's stack, for the paths that make one
// per message: "nick!user@host" is longer than a std::string keeps inline.
using PrefixBuffer = fmt::basic_memory_buffer<char, 128>;
std::string_view user_prefix(PrefixBuffer& buffer, std::string_view nick, std::string_view user, std::string_view host);
// Its length, for what only needs that (fitting a message to one line).
std::size_t user_prefix_size(std::string_view nick, std::string_view user, std::string_view host);
// "@time=...;msgid=... " for the capabilities given, or "".
// Client-only tags (wire form) follow the server's, with message-tags only.
// account-tag: `account`, the sender's account ("" for none).
std::string tag_prefix(std::uint32_t caps, core::WallTime time, std::string_view msgid,
                       std::string_view client_tags = {}, bool bot = false, std::string_view account = {});
// WHO's flags: H (here) or G (gone, away), * for a server operator, the
// member prefix, B for a bot (ISUPPORT BOT=B).
std::string who_flags(const core::Presence& presence, std::string_view member_prefix);
// ":source AWAY :message", or ":source AWAY" when back (away-notify).
std::string render_away(std::string_view source, std::string_view away);
// account-notify: ":source ACCOUNT name", or "*" when logged out.
std::string render_account(std::string_view source, std::string_view account);
std::string server_time(core::WallTime time);

// The longest start of `text` that fits in one PRIVMSG/NOTICE line (512 bytes
// with CR LF, tags aside) from a source of `source_size` bytes (nick!user@host)
// to `target`, cut on a UTF-8 boundary.
std::string_view fit_one_line(std::size_t source_size, std::string_view command, std::string_view target,
                              std::string_view text, bool action);

std::string render_room_event(const core::RoomEvent& event, std::uint32_t caps);
// `lines` (whole lines, each with its tags if any) tagged batch=`batch_id`.
std::string in_batch(std::string_view lines, std::string_view batch_id);
// An IRCv3 netsplit batch (ircv3.net/specs/batches/netsplit): "BATCH +id
// netsplit SURVIVOR LOST" from `server`, the quits (rendered lines) tagged
// with the batch, "BATCH -id".
std::string render_netsplit_batch(std::string_view server, std::string_view batch_id, const core::Netsplit& split,
                                  const std::vector<std::string_view>& quits);
// An IRCv3 netjoin batch: "BATCH +id netjoin HERE BACK" from `server`, the
// JOINs (rendered lines) tagged with the batch, "BATCH -id".
std::string render_netjoin_batch(std::string_view server, std::string_view batch_id, const core::Netjoin& netjoin,
                                 const std::vector<std::string_view>& joins);
// The roles a member announced again (its node came back, docs/cluster.md)
// kept on its own node, as the server's MODE restoring them after its JOIN,
// as IRC servers do after a netjoin; "" when it has none.
std::string render_restored_roles(std::string_view server, const core::RoomEvent& joined, std::uint32_t caps);
// What the tags of a message's second and later lines are made of: the
// first line's without the msgid, since a message id names one line. Made
// only for a message that needs them (server-time's formatting is not free).
struct LaterLineTags {
  std::uint32_t caps = 0;
  core::WallTime time;
  bool bot = false;
};
// ":source COMMAND target :text" (PRIVMSG or NOTICE; \x01ACTION ...\x01 when
// `action`), as many lines as the text needs to fit: the first after `tags`,
// the others after `later`'s.
void append_text_lines(std::string& out, std::string_view tags, const LaterLineTags& later, std::string_view source,
                       std::string_view command, std::string_view target, std::string_view text, bool action);
// The channel mode letter of a room setting ('t', 'm', 'o', ...).
char mode_letter(core::RoomSetting setting);
// The modes a room's settings amount to ("+nt", "+kl" with "key 10" as
// parameters); the key is shown only when `show_key`.
std::vector<std::string> channel_modes(const core::RoomSettings& settings, bool show_key);
// "@" / "+" / "@+" (all only with multi-prefix) for a member's roles.
std::string member_prefix(bool op, bool voice, bool multi_prefix);
// A private message or notice as the recipient sees it; `echo` renders it as
// the sender's echo-message copy (same line, addressed to the recipient).
std::string render_private(const core::PrivateMessage& message, std::uint32_t caps, std::string_view msgid);

}  // namespace parley::irc
