#pragma once
// What the IRC channel and query tests (irc_channels_test.cpp,
// irc_queries_test.cpp) share: the IrcChannels fixture, a parleyd spoken to in
// raw IRC, and a reading of NAMES replies.
#include <algorithm>
#include <set>

#include "irc_itest_util.hpp"

namespace parley::test::irc_channels {

// The names of a 353 reply's last parameter.
inline std::set<std::string> names_in(const IrcMessage& m) {
  std::set<std::string> out;
  const std::string& list = m.last();
  for (std::size_t at = 0; at < list.size();) {
    auto sp = list.find(' ', at);
    if (sp != at) out.insert(list.substr(at, sp - at));
    if (sp == std::string::npos) break;
    at = sp + 1;
  }
  return out;
}

inline std::size_t count_of(const std::vector<IrcMessage>& lines, const IrcPredicate& pred) {
  return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), pred));
}

class IrcChannels : public ::testing::Test {
 protected:
  // A registered client called `nick`, with real name `real_name`.
  std::unique_ptr<IrcClient> user(const std::string& nick, std::string real_name = {}) {
    auto c = connect_irc(server_.irc_port(), nick);
    IrcRegisterOptions options;
    options.real_name = real_name.empty() ? "Real " + nick : std::move(real_name);
    EXPECT_TRUE(c->register_as(nick, options));
    return c;
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
};

}  // namespace parley::test::irc_channels
