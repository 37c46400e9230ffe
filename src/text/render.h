#pragma once
// Core events as text-protocol lines (each ending in "\n"). Pure functions.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
std::string join_names(const std::vector<std::string>& names);

}  // namespace parley::text
