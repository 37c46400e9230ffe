// IRC commands about the server itself: HELP (HELPOP) and LINKS.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "irc/irc_session.h"
#include "irc/numerics.h"

namespace parley::irc {
namespace {

struct HelpEntry {
  std::string_view subject;
  std::string_view text;  // one line each, '\n' between lines
};

// A short text per command; the subject "" is HELP alone.
constexpr std::array kHelp = {
    HelpEntry{"", "Parley speaks the IRC client protocol. HELP <command> tells about one command.\n"
                  "Commands: ADMIN AWAY CAP HELP INFO INVITE ISON JOIN KICK KILL LINKS LIST LUSERS MODE MONITOR MOTD\n"
                  "NAMES NICK NOTICE OPER PART PASS PING PONG PRIVMSG QUIT SETNAME TAGMSG TIME TOPIC USER USERHOST\n"
                  "VERSION WALLOPS WHO WHOIS WHOWAS"},
    HelpEntry{"ADMIN", "ADMIN: who runs this server, and where."},
    HelpEntry{"AWAY", "AWAY :<message> marks you away; AWAY alone marks you back."},
    HelpEntry{"CAP", "CAP LS [302], CAP REQ :<capabilities>, CAP LIST, CAP END: capability negotiation."},
    HelpEntry{"HELP", "HELP [<command>]: this help."},
    HelpEntry{"INFO", "INFO: what this server is."},
    HelpEntry{"INVITE", "INVITE <nick> <#channel>: lets someone join once, past +i."},
    HelpEntry{"ISON", "ISON <nick> [<nick> ...]: which of them are online."},
    HelpEntry{"JOIN", "JOIN <#channel>[,<#channel>] [<key>[,<key>]]: joins channels; JOIN 0 leaves them all."},
    HelpEntry{"KICK", "KICK <#channel> <nick>[,<nick>] [:<reason>]: removes members (operators only)."},
    HelpEntry{"KILL", "KILL <nick> :<reason>: closes someone's connection (server operators only)."},
    HelpEntry{"LINKS", "LINKS: the servers of this network (this one only)."},
    HelpEntry{"LIST", "LIST: the channels, with their member counts and topics."},
    HelpEntry{"LUSERS", "LUSERS: how many users and channels there are."},
    HelpEntry{"MODE", "MODE <#channel> [<modes> [<parameters>]] or MODE <nick> [<modes>]: shows or changes modes."},
    HelpEntry{"MONITOR", "MONITOR +|- <nick>[,<nick>], MONITOR C|L|S: watch nicks come and go."},
    HelpEntry{"MOTD", "MOTD: the message of the day."},
    HelpEntry{"NAMES", "NAMES <#channel>: who is in a channel."},
    HelpEntry{"NICK", "NICK <nick>: sets or changes your nick."},
    HelpEntry{"NOTICE", "NOTICE <target> :<text>: like PRIVMSG, never answered automatically."},
    HelpEntry{"OPER", "OPER <name> <password>: become a server operator."},
    HelpEntry{"PART", "PART <#channel>[,<#channel>] [:<reason>]: leaves channels."},
    HelpEntry{"PASS", "PASS <password>: the server password, before NICK and USER."},
    HelpEntry{"PING", "PING <token>: answered with PONG <server> <token>."},
    HelpEntry{"PONG", "PONG <token>: the answer to the server's PING."},
    HelpEntry{"PRIVMSG", "PRIVMSG <target>[,<target>] :<text>: to a channel (@#c or +#c: its operators or "
                         "voiced members), or a nick."},
    HelpEntry{"QUIT", "QUIT [:<reason>]: leaves the server."},
    HelpEntry{"SETNAME", "SETNAME :<real name>: changes your real name."},
    HelpEntry{"TAGMSG", "TAGMSG <target>: a message of tags only (message-tags)."},
    HelpEntry{"TIME", "TIME: the server's time."},
    HelpEntry{"TOPIC", "TOPIC <#channel> [:<topic>]: shows or sets a channel's topic."},
    HelpEntry{"USER", "USER <user> 0 * :<real name>: registers, with NICK."},
    HelpEntry{"USERHOST", "USERHOST <nick> [<nick> ...]: their user@host, '-' when away."},
    HelpEntry{"VERSION", "VERSION: the server's version."},
    HelpEntry{"WHO", "WHO <#channel|nick|mask> [%<fields>[,<token>]]: who matches (WHOX with %)."},
    HelpEntry{"WHOIS", "WHOIS <nick>: about someone online."},
    HelpEntry{"WALLOPS", "WALLOPS :<text>: to everyone with user mode +w (server operators only)."},
    HelpEntry{"WHOWAS", "WHOWAS <nick> [<count>]: about someone who used that nick, newest first."},
};

}  // namespace

void IrcSession::cmd_help(const Message& m) {
  std::string subject = m.params.empty() ? std::string() : m.params[0];
  std::transform(subject.begin(), subject.end(), subject.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (subject == "HELPOP") subject = "HELP";
  auto entry = std::find_if(kHelp.begin(), kHelp.end(), [&](const HelpEntry& e) { return e.subject == subject; });
  const std::string shown = subject.empty() ? "*" : subject;
  if (entry == kHelp.end()) return numeric(kErrHelpNotFound, {shown}, "No help available on this topic");
  // RPL_HELPSTART with the first line, RPL_HELPTXT for the rest, RPL_ENDOFHELP.
  std::string_view rest = entry->text;
  bool first = true;
  while (true) {
    const auto nl = rest.find('\n');
    numeric(first ? kRplHelpStart : kRplHelpTxt, {shown}, rest.substr(0, nl));
    first = false;
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  numeric(kRplEndOfHelp, {shown}, "End of /HELP");
}

void IrcSession::cmd_links(const Message&) {
  // One server: the network is this one.
  numeric(kRplLinks, {config_->server_name, config_->server_name}, fmt::format("0 {}", config_->description));
  numeric(kRplEndOfLinks, {"*"}, "End of /LINKS list");
}

}  // namespace parley::irc
