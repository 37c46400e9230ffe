#pragma once
// Helpers shared by the raw-IRC integration tests.

#include <algorithm>
#include <string>
#include <string_view>

#include "irc_client.hpp"
#include "itest_util.hpp"

namespace parley::test {

// The source of a test user: IrcClient registers with "USER u ...", from loopback.
inline std::string prefix_of(std::string_view nick) { return std::string(nick) + "!~u@127.0.0.1"; }

// The body of a line: the raw line without its tag section.
inline std::string body_of(const IrcMessage& m) {
  if (!m.has_tags) return m.raw;
  return m.raw.substr(std::min(m.raw.size(), m.raw.find(' ') + 1));
}

// Registers an account named after `c`'s nick (IRCv3 REGISTER), which `c`
// is then logged in to; fails unless the server answers SUCCESS.
[[nodiscard]] inline ::testing::AssertionResult new_account(IrcClient& c, const std::string& password = "sesame!!") {
  c.send("REGISTER * * " + password);
  IrcMessage m;
  if (auto r = c.wait_for_command("REGISTER", &m); !r) return r;
  if (m.param(0) != "SUCCESS") return ::testing::AssertionFailure() << "REGISTER refused: " << m.raw;
  return c.wait_for_command("900");  // RPL_LOGGEDIN
}

}  // namespace parley::test
