#pragma once
// Core events as text-protocol lines (each ending in "\n"). Pure functions.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory_requests.h"
#include "core/events.h"

namespace parley::text {

// Wire forms this codec owns in a RenderCache (0x01xx: the text codec).
inline constexpr std::uint32_t kFormCurrentRoom = 0x0101;
inline constexpr std::uint32_t kFormOtherRoom = 0x0102;

// How a room event reads to another member; `in_current_room` drops the
// "[#room] " prefix.
std::string render_room_event(const core::RoomEvent& event, bool in_current_room);
// What someone said, as text users read it ("Message from User - Ann: hi",
// "* Ann waves"), live or from history; `text` is cleaned for the terminal.
std::string speech_sentence(core::Speech speech, std::string_view who, std::string_view text);
// The same, appended to `out`.
void append_speech_sentence(std::string& out, core::Speech speech, std::string_view who, std::string_view text);
// How your own join or part reads to you (several lines for a join).
std::string render_own_join(const core::RoomEvent& event);
// How being kicked reads to the one kicked.
std::string render_own_kick(const core::RoomEvent& event);
std::string render_invitation(const core::Invitation& invitation);
// One setting change in words, after the actor's name: "set #lobby to moderated."
std::string describe_change(const core::RoomChange& change, std::string_view room);
std::string render_private(const core::PrivateMessage& message, bool outgoing);

std::string room_label(std::string_view room);  // "#room"
// The members' display names, in join order.
std::vector<std::string> member_names(const core::RoomSnapshot& room);
// The same, each name followed by what /who tells of it, in parentheses when
// anything applies: "Raj Ingle (operator, away)", "zoe (voice, IRC)",
// "Amy Lee (IRC nick Amy_Lee2)" (a text user whose nick is not the one made
// from the name, nick_for with `nick_chars`, because that one was taken).
std::vector<std::string> marked_member_names(const core::RoomSnapshot& room, std::size_t nick_chars);
// What /whois adds about the rooms someone is in and how long they have been
// quiet: "; in #lobby, #games (operator)" (nothing for no room) and
// "; idle 5 minutes" (from a minute on; "; idle 2 hours 5 minutes").
std::string whois_rooms_and_idle(const core::UserDetails& details);
std::string join_names(const std::vector<std::string>& names);

}  // namespace parley::text
