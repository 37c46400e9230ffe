#pragma once
// The lines of parleyd's plain-text protocol that the bench needs to know.

#include <string>
#include <string_view>

namespace parley::bench {

inline constexpr std::string_view kGreeting =
    "Welcome to Chat room. To join enter your Name and begin chatting.";

// "Welcome NAME to chatroom! Enter LEAVE to exit the chatroom"
std::string welcome_line(std::string_view name);

enum class LineKind { message, joined, left, error, disconnected, other };

struct ParsedLine {
  LineKind kind = LineKind::other;
  std::string_view name;  // message: the sender
  std::string_view text;  // message: the text; error/disconnected: the reason
};

ParsedLine classify_line(std::string_view line);

}  // namespace parley::bench
