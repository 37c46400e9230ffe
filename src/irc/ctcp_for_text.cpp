// CTCP requests to text users: a text user has no IRC client to answer
// VERSION, PING, TIME or CLIENTINFO, so the sender's session answers for it,
// as a NOTICE from the text user, and the text user is shown none of them.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "irc/irc_session.h"
#include "irc/render.h"

namespace parley::irc {

void IrcSession::answer_ctcp_for_text_user(const core::Identity& to, std::string_view body) {
  if (to.user != "text" || body.size() < 2 || body.front() != '\x01') return;
  std::string_view request = body.substr(1);
  if (request.ends_with('\x01')) request.remove_suffix(1);
  const std::size_t space = request.find(' ');
  const std::string_view command = request.substr(0, space);
  const std::string_view argument = space == std::string_view::npos ? std::string_view() : request.substr(space + 1);
  std::string answer;
  if (command == "VERSION") {
    answer = fmt::format("VERSION {} (a text user; the server answers for it)", config_->version);
  } else if (command == "PING") {
    answer = fmt::format("PING {}", argument);
  } else if (command == "TIME") {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    answer = fmt::format("TIME {:%a, %d %b %Y %H:%M:%S} GMT", utc);
  } else if (command == "CLIENTINFO") {
    answer = "CLIENTINFO ACTION CLIENTINFO PING TIME VERSION";
  } else {
    return;  // no answer, as a client that does not know it
  }
  send_raw(format_line(user_prefix(to.nick, to.user, to.host), "NOTICE", {nick_}, "\x01" + answer + "\x01"));
}

}  // namespace parley::irc
