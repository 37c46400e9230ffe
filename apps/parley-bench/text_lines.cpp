#include "text_lines.h"

#include <fmt/format.h>

namespace parley::bench {
namespace {

constexpr std::string_view kMessagePrefix = "Message from User - ";
constexpr std::string_view kJoinedSuffix = " has joined the chat room!";
constexpr std::string_view kLeftMarker = " left the chat room.";
constexpr std::string_view kErrorPrefix = "Error: ";
constexpr std::string_view kDisconnectedPrefix = "Disconnected: ";

}  // namespace

std::string welcome_line(std::string_view name) {
  return fmt::format("Welcome {} to chatroom! Enter LEAVE to exit the chatroom", name);
}

ParsedLine classify_line(std::string_view line) {
  if (line.starts_with(kMessagePrefix)) {
    // A name cannot hold ':', so the first ": " after the prefix ends it.
    const auto rest = line.substr(kMessagePrefix.size());
    const auto colon = rest.find(": ");
    if (colon != std::string_view::npos)
      return {LineKind::message, rest.substr(0, colon), rest.substr(colon + 2)};
    return {};
  }
  if (line.ends_with(kJoinedSuffix)) return {LineKind::joined, line.substr(0, line.size() - kJoinedSuffix.size()), {}};
  if (line.starts_with(kErrorPrefix)) return {LineKind::error, {}, line.substr(kErrorPrefix.size())};
  if (line.starts_with(kDisconnectedPrefix))
    return {LineKind::disconnected, {}, line.substr(kDisconnectedPrefix.size())};
  if (line.find(kLeftMarker) != std::string_view::npos) return {LineKind::left, {}, {}};
  return {};
}

}  // namespace parley::bench
