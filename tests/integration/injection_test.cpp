// Nothing injected (issue 15): what one IRC client sends cannot reach
// another as control characters, a split line or bytes that are not UTF-8.

#include "irc_itest_util.hpp"

namespace parley::test {
namespace {

std::unique_ptr<IrcClient> user(const ServerProcess& server, const std::string& nick, IrcRegisterOptions options) {
  auto c = connect_irc(server.irc_port(), nick);
  EXPECT_TRUE(c->register_as(nick, options));
  return c;
}

// A client-only tag whose key carries a bare CR (or ESC), or whose value
// carries a NUL, is dropped; the valid ones still arrive, escaped.
TEST(Injection, ClientOnlyTagsAreSanitised) {
  ServerProcess server(ServerOptions{.threads = kThreads, .config_toml = unlimited_config()});
  IrcRegisterOptions tags;
  tags.caps = "message-tags";
  auto zoe = user(server, "zoe", tags);
  auto amy = user(server, "amy", tags);
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for_command("JOIN"));
  zoe->send_raw(std::string("@+ok=a\\sb;+k\rPING :zoe!x@y;+esc\x1b=1;+nul=a") + '\0' + "b TAGMSG #garden\r\n");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("TAGMSG", &m));
  EXPECT_EQ(m.raw.find('\r'), std::string::npos) << m.raw;
  EXPECT_EQ(m.raw.find('\x1b'), std::string::npos) << m.raw;
  EXPECT_EQ(m.raw.find('\0'), std::string::npos) << m.raw;
  ASSERT_TRUE(m.tag("+ok")) << m.raw;
  EXPECT_EQ(*m.tag("+ok"), "a b");
  EXPECT_FALSE(m.tag("+nul")) << m.raw;
}

// USER: the user name is cut on a character boundary, and control characters
// are kept out of it and of the real name, which is held to its limit: the
// rule SETNAME applies.
TEST(Injection, UserFieldsFollowTheRuleSetnameApplies) {
  ServerProcess server(ServerOptions{.threads = kThreads, .config_toml = "[limits]\nreal_name_chars = 20\n"});
  const std::string nine_e_acute = repeat("é", 9);  // "a" and these: 19 bytes
  IrcRegisterOptions zoe_options;
  zoe_options.user = "a" + nine_e_acute;
  zoe_options.real_name = "Zoë\x1b[31m\x07\x01 Red" + repeat("x", 30);
  auto zoe = user(server, "zoe", zoe_options);
  auto amy = user(server, "amy", {});
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->join("#garden"));
  IrcMessage join;
  ASSERT_TRUE(amy->wait_for_command("JOIN", &join));
  amy->send("WHOIS zoe");
  IrcMessage whois;
  ASSERT_TRUE(amy->wait_for_command("311", &whois));
  const std::string user_shown = "~a" + repeat("é", 7);  // 15 bytes: a 16th would split an é
  EXPECT_EQ(whois.param(2), user_shown) << whois.raw;
  EXPECT_EQ(join.source, "zoe!" + user_shown + "@127.0.0.1");
  EXPECT_EQ(whois.last(), "Zoë[31m Red" + repeat("x", 9)) << whois.raw;  // 20 characters, no controls
  // SETNAME with what USER was given is refused, as it was before.
  zoe->send("CAP REQ setname");
  ASSERT_TRUE(zoe->wait_for_command("CAP"));
  zoe->send("SETNAME :Zoë\x1b[31m");
  IrcMessage fail;
  ASSERT_TRUE(zoe->wait_for_command("FAIL", &fail));
  EXPECT_EQ(fail.param(0), "SETNAME");
}

}  // namespace
}  // namespace parley::test

namespace parley::test {
namespace {

// A name that only looks like one in use is refused: Cyrillic А, fullwidth Ａ.
TEST(Injection, LookalikeNamesAreRefused) {
  ServerProcess server;
  auto alice = connect(server, "alice");
  ASSERT_TRUE(alice->register_as("Alice"));
  auto mallory = connect(server, "mallory");
  ASSERT_TRUE(mallory->expect_line(kGreeting));
  for (const char* lookalike : {"\xD0\x90lice", "\xEF\xBC\xA1lice"}) {
    mallory->send_line(lookalike);
    ASSERT_TRUE(mallory->expect_line_prefix("Error: "));
    ASSERT_TRUE(mallory->expect_line("Please enter a different name."));
  }
  IrcClient irc(server.irc_port(), "irc");
  irc.send("NICK \xD0\x90lice");
  irc.send("USER u 0 * :U");
  ASSERT_TRUE(irc.expect_command("433"));
}

}  // namespace
}  // namespace parley::test

namespace parley::test {
namespace {

// A room whose name only looks like one that exists is refused, in both
// protocols and on every loop count (lookalikes share a home loop).
TEST(Injection, LookalikeRoomNamesAreRefused) {
  ServerProcess server(ServerOptions{.threads = kThreads});
  auto alice = connect(server, "alice");
  ASSERT_TRUE(alice->register_as("Alice"));
  alice->send_line("/join #alice");
  ASSERT_TRUE(alice->expect_line_prefix("You joined #alice."));
  auto mallory = connect(server, "mallory");
  ASSERT_TRUE(mallory->register_as("Mallory"));
  mallory->send_line("/join #\xEF\xBC\xA1lice");  // fullwidth Ａ
  ASSERT_TRUE(mallory->expect_line("Error: #\xEF\xBC\xA1lice looks like the name of a room that exists; join that "
                                   "room or choose another name."));
  auto irc = connect_irc(server.irc_port(), "irc");
  ASSERT_TRUE(irc->register_as("zoe"));
  irc->send("JOIN #\xD0\x90lice");  // Cyrillic А
  IrcMessage refused;
  ASSERT_TRUE(irc->wait_for_command("479", &refused));
  EXPECT_EQ(refused.param(1), "#\xD0\x90lice");
  irc->send("JOIN #ALICE");  // the room itself
  IrcMessage joined;
  ASSERT_TRUE(irc->wait_for_command("JOIN", &joined));
  EXPECT_EQ(joined.param(0), "#alice");
}

}  // namespace
}  // namespace parley::test
