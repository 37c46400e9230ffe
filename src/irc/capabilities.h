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
  // draft/chathistory and draft/event-playback (only CHATHISTORY answers and
  // JOIN's replay change with them).
  kCapChathistory = 1u << 16,
  kCapEventPlayback = 1u << 17,
  kCapSearch = 1u << 18,  // soju.im/search: SEARCH over history
  kCapAccountTag = 1u << 7,  // shapes lines: "account=" on what a logged-in user does
  // IRCv3 batch, labeled-response, invite-notify, standard-replies (high bits,
  // apart from the others; none of them shapes relayed lines).
  kCapBatch = 1u << 20,
  kCapLabeledResponse = 1u << 21,
  kCapInviteNotify = 1u << 22,
  kCapStandardReplies = 1u << 23,
  // away-notify, setname, chghost (none shapes relayed lines: the lines they
  // add are sent only to those who asked).
  kCapAwayNotify = 1u << 24,
  kCapSetname = 1u << 25,
  kCapChghost = 1u << 26,  // user names and hosts never change here, so CHGHOST is never sent
  kCapExtendedMonitor = 1u << 27,  // AWAY and SETNAME of MONITORed nicks too
  // Accounts (issue 11): SASL, REGISTER, ACCOUNT (none shapes relayed lines).
  kCapSasl = 1u << 28,
  kCapAccountNotify = 1u << 29,
  kCapAccountRegistration = 1u << 30,
  // draft/read-marker (MARKREAD) and draft/message-redaction (REDACT): neither
  // shapes relayed lines.
  kCapReadMarker = 1u << 19,
  kCapMessageRedaction = 1u << 31,
};

struct CapInfo {
  Cap bit;
  std::string_view name;
};

inline constexpr CapInfo kCaps[] = {
    {kCapAccountNotify, "account-notify"},
    {kCapAccountTag, "account-tag"},
    {kCapAwayNotify, "away-notify"},
    {kCapBatch, "batch"},
    {kCapCapNotify, "cap-notify"},
    {kCapChathistory, "draft/chathistory"},
    {kCapChghost, "chghost"},
    {kCapAccountRegistration, "draft/account-registration"},
    {kCapEchoMessage, "echo-message"},
    {kCapEventPlayback, "draft/event-playback"},
    {kCapExtendedJoin, "extended-join"},
    {kCapExtendedMonitor, "extended-monitor"},
    {kCapInviteNotify, "invite-notify"},
    {kCapMessageRedaction, "draft/message-redaction"},
    {kCapReadMarker, "draft/read-marker"},
    {kCapLabeledResponse, "labeled-response"},
    {kCapMessageTags, "message-tags"},
    {kCapMultiPrefix, "multi-prefix"},
    {kCapSasl, "sasl"},
    {kCapServerTime, "server-time"},
    {kCapSetname, "setname"},
    {kCapSearch, "soju.im/search"},
    {kCapStandardReplies, "standard-replies"},
    {kCapUserhostInNames, "userhost-in-names"},
};

inline std::optional<Cap> cap_named(std::string_view name) {
  for (const auto& c : kCaps) {
    if (c.name == name) return c.bit;
  }
  return std::nullopt;
}

// The capabilities that change how a relayed line looks: they key its rendering.
inline constexpr std::uint32_t kCapsThatShapeLines =
    kCapMessageTags | kCapServerTime | kCapExtendedJoin | kCapAccountTag;
inline constexpr std::string_view kSaslMechanisms = "PLAIN,SCRAM-SHA-256";
// Offered only when the server keeps accounts (IrcConfig::accounts).
inline constexpr std::uint32_t kCapsOfAccounts =
    kCapSasl | kCapAccountNotify | kCapAccountTag | kCapAccountRegistration;

}  // namespace parley::irc
