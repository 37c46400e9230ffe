#pragma once
// IRCv3 capabilities this server implements. Each is negotiated per client
// (CAP REQ); a client that did not ask for one sees plain RFC behaviour.
#include <cstdint>
#include <optional>
#include <string_view>

namespace parley::irc {

enum Cap : std::uint32_t {
  kCapMessageTags = 1u << 0,
  kCapServerTime = 1u << 1,
  kCapEchoMessage = 1u << 2,
  kCapMultiPrefix = 1u << 3,
  kCapUserhostInNames = 1u << 4,
  kCapExtendedJoin = 1u << 5,
  kCapCapNotify = 1u << 6,
};

struct CapInfo {
  Cap bit;
  std::string_view name;
};

inline constexpr CapInfo kCaps[] = {
    {kCapCapNotify, "cap-notify"},         {kCapEchoMessage, "echo-message"},
    {kCapExtendedJoin, "extended-join"},   {kCapMessageTags, "message-tags"},
    {kCapMultiPrefix, "multi-prefix"},     {kCapServerTime, "server-time"},
    {kCapUserhostInNames, "userhost-in-names"},
};

inline std::optional<Cap> cap_named(std::string_view name) {
  for (const auto& c : kCaps) {
    if (c.name == name) return c.bit;
  }
  return std::nullopt;
}

// The capabilities that change how a relayed line looks: they key its rendering.
inline constexpr std::uint32_t kCapsThatShapeLines = kCapMessageTags | kCapServerTime | kCapExtendedJoin;

}  // namespace parley::irc
