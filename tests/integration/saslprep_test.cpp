// SASLprep for passwords (issue 11), end to end: registered from IRC with one
// spelling, logged in from text with another; SASL PLAIN with the prepared
// form; prohibited passwords refused at registration in both protocols.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "irc_itest_util.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

using ::testing::HasSubstr;

TEST(Saslprep, OnePasswordTypedTwoWaysInBothProtocols) {
  ServerProcess server(ServerOptions{.threads = kThreads, .config_toml = unlimited_config()});
  IrcClient irc(server.irc_port(), "irc");
  ASSERT_TRUE(irc.register_as("alice"));
  // A composed é and a no-break space.
  irc.send("REGISTER * * :caf\u00E9\u00A0au lait");
  ASSERT_TRUE(irc.wait_for_command("900"));

  // Text: a decomposed é and a plain space.
  auto text = connect(server, "text");
  ASSERT_TRUE(text->register_as("visitor"));
  text->send_line("/login alice cafe\u0301 au lait");
  ASSERT_TRUE(text->expect_line("You are logged in as alice."));

  // SASL PLAIN, before registration, with the prepared form.
  IrcClient sasl(server.irc_port(), "sasl");
  sasl.send("CAP LS 302");
  sasl.send("NICK alice2");
  sasl.send("USER u 0 * :x");
  sasl.send("CAP REQ :sasl");
  ASSERT_TRUE(sasl.wait_for(irc_command_param("CAP", 1, "ACK"), "CAP ACK"));
  sasl.send("AUTHENTICATE PLAIN");
  ASSERT_TRUE(sasl.wait_for_command("AUTHENTICATE"));
  sasl.send("AUTHENTICATE AGFsaWNlAGNhZsOpIGF1IGxhaXQ=");  // base64 of "\0alice\0café au lait" (composed é)
  ASSERT_TRUE(sasl.wait_for_command("903"));

  // Prohibited: refused at registration.
  IrcClient bad(server.irc_port(), "bad");
  ASSERT_TRUE(bad.register_as("bob", {.caps = "draft/account-registration"}));
  bad.send("REGISTER * * :private\uE000use");
  IrcMessage fail;
  ASSERT_TRUE(bad.wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("REGISTER UNACCEPTABLE_PASSWORD"));
  EXPECT_THAT(fail.last(), HasSubstr("SASLprep"));
  auto text_bad = connect(server, "text-bad");
  ASSERT_TRUE(text_bad->register_as("carol"));
  text_bad->send_line("/register private\uE000use");
  ASSERT_TRUE(text_bad->expect_line("Error: a password cannot hold control or other characters SASLprep prohibits."));
}

}  // namespace
}  // namespace parley::test
