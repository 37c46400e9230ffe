// MONITOR against the real parleyd (ircv3.net/specs/extensions/monitor):
// watch lists, their numerics, and notices when watched nicks come and go,
// whether the nick is an IRC client's or a text user's.
//
// Each test quotes the sentence of the specification it checks.

#include <set>

#include "irc_client.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

// The comma-separated targets of a 730-733 line.
std::set<std::string> targets_of(const IrcMessage& m) {
  std::set<std::string> out;
  std::string_view rest = m.last();
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    out.emplace(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

class IrcMonitor : public ::testing::Test {
 protected:
  std::unique_ptr<IrcClient> user(const std::string& nick) {
    auto c = connect_irc(server_.irc_port(), nick);
    EXPECT_TRUE(c->register_as(nick));
    return c;
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
};

// "Support of this specification is indicated by the MONITOR token in
// RPL_ISUPPORT (005). This token takes an optional parameter, of the maximum
// amount of targets a client may have in their monitor list."
TEST_F(IrcMonitor, IsupportAdvertisesTheLimit) {
  auto c = connect_irc(server_.irc_port(), "zoe");
  std::vector<IrcMessage> welcome;
  ASSERT_TRUE(c->register_as("zoe", {}, &welcome));
  bool found = false;
  for (const auto& m : welcome) {
    if (!m.is("005")) continue;
    for (const auto& p : m.params) found = found || p == "MONITOR=100";
  }
  EXPECT_TRUE(found) << describe_lines(welcome);
}

// "If any of the targets being added are online, the server will generate
// RPL_MONONLINE numerics listing those targets that are online. If any of the
// targets being added are offline, the server will generate RPL_MONOFFLINE".
TEST_F(IrcMonitor, AddingAnswersOnlineAndOffline) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  amy->send("MONITOR + Zoe,raj");
  IrcMessage on, off;
  ASSERT_TRUE(amy->expect_command("730", &on));
  EXPECT_EQ(targets_of(on), (std::set<std::string>{"zoe!~u@127.0.0.1"}));
  ASSERT_TRUE(amy->expect_command("731", &off));
  EXPECT_EQ(targets_of(off), (std::set<std::string>{"raj"}));
  ASSERT_TRUE(amy->sync());
}

// RPL_MONONLINE "is used to indicate to a client that either a target has just
// become online"; RPL_MONOFFLINE "that a target has just left the irc network".
TEST_F(IrcMonitor, WatchersHearNicksComeGoAndChange) {
  auto amy = user("amy");
  amy->send("MONITOR + raj,rajesh");
  ASSERT_TRUE(amy->expect_command("731"));
  ASSERT_TRUE(amy->sync());
  auto raj = user("raj");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("730", &m));
  EXPECT_EQ(m.last(), "raj!~u@127.0.0.1");
  raj->send("NICK rajesh");
  ASSERT_TRUE(raj->expect_command("NICK"));
  ASSERT_TRUE(amy->expect_command("731", &m));
  EXPECT_EQ(m.last(), "raj");
  ASSERT_TRUE(amy->expect_command("730", &m));
  EXPECT_EQ(m.last(), "rajesh!~u@127.0.0.1");
  raj->send("QUIT :bye");
  ASSERT_TRUE(amy->expect_command("731", &m));
  EXPECT_EQ(m.last(), "rajesh");
}

// Text users' names are nicks too: one name registry serves both protocols.
TEST_F(IrcMonitor, TextUsersComeAndGoToo) {
  auto amy = user("amy");
  amy->send("MONITOR + Raj_Ingle");
  ASSERT_TRUE(amy->expect_command("731"));
  ASSERT_TRUE(amy->sync());
  auto text = connect(server_, "raj");
  ASSERT_TRUE(text->register_as("Raj Ingle"));
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("730", &m));
  EXPECT_EQ(m.last().substr(0, m.last().find('!')), "Raj_Ingle");
  text->send_line("LEAVE");
  ASSERT_TRUE(amy->expect_command("731", &m));
  EXPECT_EQ(m.last(), "Raj_Ingle");
}

// "MONITOR L: Outputs the current list of targets being monitored. All output
// will use RPL_MONLIST, and the output will be terminated with RPL_ENDOFMONLIST."
// "MONITOR - ...: No output will be returned". "MONITOR C: Clears the list".
TEST_F(IrcMonitor, ListRemoveAndClear) {
  auto amy = user("amy");
  amy->send("MONITOR + zoe,raj,bob");
  ASSERT_TRUE(amy->expect_command("731"));
  amy->send("MONITOR - raj");
  amy->send("MONITOR L");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("732", &m));  // nothing came from "-"
  EXPECT_EQ(targets_of(m), (std::set<std::string>{"zoe", "bob"}));
  ASSERT_TRUE(amy->expect_command("733"));
  amy->send("MONITOR C");
  amy->send("MONITOR L");
  ASSERT_TRUE(amy->expect_command("733"));  // an empty list: the end only
  // Cleared: a watched nick arriving is not announced.
  auto zoe = user("zoe");
  std::vector<IrcMessage> before;
  ASSERT_TRUE(amy->sync(&before));
  EXPECT_TRUE(before.empty()) << describe_lines(before);
}

// "MONITOR S: Outputs for each target in the list being monitored, whether the
// client is online or offline."
TEST_F(IrcMonitor, StatusShowsEachTarget) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  amy->send("MONITOR + zoe,raj");
  ASSERT_TRUE(amy->expect_command("730"));
  ASSERT_TRUE(amy->expect_command("731"));
  amy->send("MONITOR S");
  IrcMessage on, off;
  ASSERT_TRUE(amy->expect_command("730", &on));
  EXPECT_EQ(targets_of(on), (std::set<std::string>{"zoe!~u@127.0.0.1"}));
  ASSERT_TRUE(amy->expect_command("731", &off));
  EXPECT_EQ(targets_of(off), (std::set<std::string>{"raj"}));
}

// "ERR_MONLISTFULL: <limit> <targets> :Monitor list is full. ... the <targets>
// parameter is the list of targets, as the client sent them, that cannot be added."
TEST_F(IrcMonitor, AFullListRefusesTheRest) {
  auto amy = user("amy");
  std::string many;
  for (int i = 0; i < 102; ++i) many += (many.empty() ? "" : ",") + std::string("n") + std::to_string(i);
  amy->send("MONITOR + " + many);
  IrcMessage m;
  std::vector<IrcMessage> before;
  ASSERT_TRUE(amy->wait_for_command("734", &m, &before));
  EXPECT_EQ(m.param(1), "100");
  EXPECT_EQ(m.param(2), "n100,n101");
  std::size_t offline = 0;
  for (const auto& b : before) {
    if (b.is("731")) offline += targets_of(b).size();
  }
  EXPECT_EQ(offline, 100u);
}

// "Targets already in the list MUST NOT be added again."
TEST_F(IrcMonitor, ATargetIsListedOnce) {
  auto amy = user("amy");
  amy->send("MONITOR + zoe");
  ASSERT_TRUE(amy->expect_command("731"));
  amy->send("MONITOR + ZOE");
  ASSERT_TRUE(amy->expect_command("731"));
  amy->send("MONITOR L");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("732", &m));
  EXPECT_EQ(targets_of(m), (std::set<std::string>{"zoe"}));
  // And one arrival is one notice.
  auto zoe = user("zoe");
  ASSERT_TRUE(amy->expect_command("733"));
  ASSERT_TRUE(amy->expect_command("730"));
  std::vector<IrcMessage> before;
  ASSERT_TRUE(amy->sync(&before));
  EXPECT_TRUE(before.empty()) << describe_lines(before);
}

}  // namespace
}  // namespace parley::test
