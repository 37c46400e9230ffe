// SASLprep for passwords (issue 11), end to end: registered from IRC with one
// spelling, logged in from text with another; SASL PLAIN with the prepared
// form; prohibited passwords refused at registration in both protocols.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>

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

// `parleyd hash-password` for what it reads from stdin (a line).
std::string hash_password(const std::string& password) {
  const std::string command = std::string("printf '%s\\n' '")
                                  .append(password)
                                  .append("' | '")
                                  .append(default_parleyd_binary())
                                  .append("' hash-password");
  std::FILE* out = ::popen(command.c_str(), "r");
  if (!out) return {};
  char buffer[512] = {};
  const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, out);
  ::pclose(out);
  std::string hash(buffer, n);
  while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r')) hash.pop_back();
  return hash;
}

// Operator passwords are SASLprep'd as account passwords are: a plain one in
// the configuration, one `parleyd hash-password` hashes, and what OPER and
// /oper are given, with or without accounts.
TEST(Saslprep, OperatorPasswordsTypedAnotherWay) {
  const std::string hash = hash_password("cafe\u0301\u00A0au lait");  // decomposed é, no-break space
  ASSERT_TRUE(hash.starts_with("$argon2id$")) << hash;
  for (const bool accounts : {true, false}) {
    SCOPED_TRACE(accounts ? "with accounts" : "without accounts");
    std::string config = unlimited_config() + "[[irc.operators]]\nname = \"plain\"\npassword = \"caf\u00E9 au lait\"\n";
    if (accounts) config += std::string("[[irc.operators]]\nname = \"hashed\"\npassword = \"").append(hash).append("\"\n");
    else config += "[accounts]\nenabled = false\n";
    ServerProcess server(ServerOptions{.threads = kThreads, .config_toml = config});
    IrcClient irc(server.irc_port(), "irc");
    ASSERT_TRUE(irc.register_as("oper1"));
    irc.send("OPER plain :cafe\u0301\u00A0au lait");
    ASSERT_TRUE(irc.wait_for_command("381"));
    if (accounts) {
      IrcClient second(server.irc_port(), "second");
      ASSERT_TRUE(second.register_as("oper2"));
      second.send("OPER hashed :caf\u00E9 au lait");
      ASSERT_TRUE(second.wait_for_command("381"));
      second.send("OPER hashed :caf\u00E9 au the");
      ASSERT_TRUE(second.wait_for_command("464"));
    }
    auto text = connect(server, "text");
    ASSERT_TRUE(text->register_as("visitor"));
    text->send_line("/oper plain cafe\u0301 au lait");
    ASSERT_TRUE(text->expect_line("You are now a server operator."));
  }
}

TEST(HashPassword, RefusesWhatSaslprepProhibits) {
  const std::string command = std::string("printf 'private\\356\\200\\200use\\n' | '")
                                  .append(default_parleyd_binary())
                                  .append("' hash-password 2>&1");
  std::FILE* out = ::popen(command.c_str(), "r");
  ASSERT_NE(out, nullptr);
  char buffer[512] = {};
  const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, out);
  EXPECT_NE(::pclose(out), 0);
  EXPECT_THAT(std::string(buffer, n), HasSubstr("SASLprep prohibits it"));
}

}  // namespace
}  // namespace parley::test
