#pragma once

#include <string_view>

namespace parley::client {

// The line that leaves the chat (docs/text-protocol.md); the server answers
// it with the same word and closes the connection.
inline constexpr std::string_view kLeave = "LEAVE";

// True for a typed line after which the server will close the connection:
// "LEAVE" or "/quit [reason]" (the command in any case), surrounding white
// space aside.
bool is_leave_command(std::string_view line);

}  // namespace parley::client
