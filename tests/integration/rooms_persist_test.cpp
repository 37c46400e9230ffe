// Rooms that persist, server operators' overrides and server bans (issue 11),
// against a real parleyd: a registered channel's founder, topic, modes, key,
// bans, exceptions and operators by account survive a restart on the same
// data directory; OPER acts in any channel and the log says so; KLINE and
// /kline end matching users, refuse new ones, list, lift, and survive a
// restart; bad masks are answered in each protocol.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "irc_itest_util.hpp"
#include "itest_util.hpp"
#include "system_util.hpp"

namespace parley::test {
namespace {

using ::testing::HasSubstr;

std::string rooms_config() {
  return unlimited_config() +
         "[[irc.operators]]\n"
         "name = \"root\"\n"
         "password = \"sesame\"\n";
}

ServerOptions on(const TempDir& data) {
  ServerOptions options{.threads = kThreads, .config_toml = rooms_config()};
  options.data_dir = data.path().string();
  return options;
}

ServerOptions fresh() { return ServerOptions{.threads = kThreads, .config_toml = rooms_config()}; }

std::unique_ptr<IrcClient> irc_user(const ServerProcess& server, const std::string& nick) {
  auto c = connect_irc(server.irc_port(), nick);
  EXPECT_TRUE(c->register_as(nick));
  return c;
}

// Lines up to (and with) the first whose command is `command` and whose last
// parameter holds `text`.
::testing::AssertionResult wait_for_text(IrcClient& c, std::string_view command, std::string_view text,
                                         IrcMessage* out = nullptr) {
  return c.wait_for(
      [command = std::string(command), text = std::string(text)](const IrcMessage& m) {
        return m.is(command) && !m.params.empty() && m.last().find(text) != std::string::npos;
      },
      std::string(command) + " with \"" + std::string(text) + "\"", out);
}

void identify(IrcClient& c, const std::string& password) {
  c.send("PRIVMSG NickServ :IDENTIFY " + password);
  ASSERT_TRUE(wait_for_text(c, "NOTICE", "You are now logged in"));
}

void oper(IrcClient& c) {
  c.send("OPER root sesame");
  ASSERT_TRUE(c.wait_for_command("381"));
}

// The names in a 353 reply to JOIN, prefixes kept.
std::vector<std::string> names_on_join(IrcClient& c, const std::string& channel, const std::string& key = {},
                                       std::vector<IrcMessage>* lines = nullptr) {
  c.send("JOIN " + channel + (key.empty() ? "" : " " + key));
  std::vector<IrcMessage> seen;
  IrcMessage end;
  EXPECT_TRUE(c.wait_for_command("366", &end, &seen));
  std::vector<std::string> names;
  for (const IrcMessage& m : seen) {
    if (!m.is("353")) continue;
    std::string all = m.last();
    for (std::size_t at = 0; at < all.size();) {
      const auto space = all.find(' ', at);
      names.push_back(all.substr(at, space - at));
      if (space == std::string::npos) break;
      at = space + 1;
    }
  }
  if (lines) *lines = seen;
  return names;
}

// Reads text lines until one starts with `prefix` (other lines, such as
// others joining, may come first).
::testing::AssertionResult wait_prefix(LineClient& c, std::string_view prefix, std::string* out = nullptr) {
  for (;;) {
    auto line = c.read_line();
    if (!line) return ::testing::AssertionFailure() << "no line starting with \"" << prefix << "\"";
    if (line->starts_with(prefix)) {
      if (out) *out = *line;
      return ::testing::AssertionSuccess();
    }
  }
}

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// --- rooms that persist -----------------------------------------------------------

TEST(RoomsPersist, ARegisteredChannelKeepsEverythingAcrossARestart) {
  TempDir data;
  {
    ServerProcess first(on(data));
    auto alice = irc_user(first, "alice");
    ASSERT_TRUE(new_account(*alice, "alicepass"));
    ASSERT_TRUE(alice->join("#cafe"));
    alice->send("TOPIC #cafe :Coffee and code");
    ASSERT_TRUE(alice->wait_for_command("TOPIC"));
    alice->send("MODE #cafe +kmb-n latte *!*@bad.example");
    ASSERT_TRUE(alice->wait_for_command("MODE"));
    alice->send("MODE #cafe +eI *!*@good.example zoe!*@*");
    ASSERT_TRUE(alice->wait_for_command("MODE"));
    alice->send("PRIVMSG ChanServ :REGISTER #cafe");
    ASSERT_TRUE(wait_for_text(*alice, "NOTICE", "#cafe is now registered to your account, alice"));
    auto bob = irc_user(first, "bob");
    ASSERT_TRUE(new_account(*bob, "bobpass"));
    bob->send("JOIN #cafe latte");
    ASSERT_TRUE(bob->wait_for_command("366"));
    alice->send("MODE #cafe +o bob");
    ASSERT_TRUE(bob->wait_for_command("MODE"));
    // Everyone leaves: a registered channel stays, as it is.
    alice->send("PART #cafe");
    bob->send("PART #cafe");
    ASSERT_TRUE(bob->wait_for_command("PART"));
    auto status = first.terminate_and_wait();
    ASSERT_TRUE(status.exited()) << status.describe();
  }
  ServerProcess second(on(data));
  // A guest first: the key still holds, and joining first gives no ops.
  auto dave = irc_user(second, "dave");
  dave->send("JOIN #cafe");
  ASSERT_TRUE(dave->wait_for_command("475"));
  std::vector<IrcMessage> lines;
  auto names = names_on_join(*dave, "#cafe", "latte", &lines);
  EXPECT_TRUE(has(names, "dave")) << ::testing::PrintToString(names);
  auto topic = std::find_if(lines.begin(), lines.end(), [](const IrcMessage& m) { return m.is("332"); });
  ASSERT_NE(topic, lines.end());
  EXPECT_EQ(topic->last(), "Coffee and code");
  auto who_set = std::find_if(lines.begin(), lines.end(), [](const IrcMessage& m) { return m.is("333"); });
  ASSERT_NE(who_set, lines.end());
  EXPECT_EQ(who_set->param(2), "alice");
  // The founder, logged in, gets ops on joining; so does the operator by account.
  auto alice = irc_user(second, "alice");
  identify(*alice, "alicepass");
  EXPECT_TRUE(has(names_on_join(*alice, "#cafe", "latte"), "@alice"));
  auto bob = irc_user(second, "bob");
  identify(*bob, "bobpass");
  EXPECT_TRUE(has(names_on_join(*bob, "#cafe", "latte"), "@bob"));
  alice->send("MODE #cafe");
  IrcMessage modes;
  ASSERT_TRUE(alice->wait_for_command("324", &modes));
  EXPECT_THAT(modes.param(2), HasSubstr("k"));
  EXPECT_THAT(modes.param(2), HasSubstr("m"));
  EXPECT_THAT(modes.param(2), HasSubstr("t"));
  EXPECT_THAT(modes.param(2), ::testing::Not(HasSubstr("n")));
  for (const auto& [list, entry, mask] : {std::tuple{"b", "367", "*!*@bad.example"}, std::tuple{"e", "348", "*!*@good.example"},
                                          std::tuple{"I", "346", "zoe!*@*"}}) {
    alice->send(std::string("MODE #cafe ") + list);
    IrcMessage m;
    ASSERT_TRUE(alice->wait_for_command(entry, &m)) << list;
    EXPECT_EQ(m.param(2), mask);
  }
  alice->send("CS INFO #cafe");
  ASSERT_TRUE(wait_for_text(*alice, "NOTICE", "Founder: alice"));
  ASSERT_TRUE(wait_for_text(*alice, "NOTICE", "Operators: bob"));
}

TEST(RoomsPersist, ChanServRefusesWhatItShouldInWords) {
  ServerProcess server(fresh());
  auto alice = irc_user(server, "alice");
  ASSERT_TRUE(alice->join("#den"));
  alice->send("PRIVMSG ChanServ :REGISTER #den");
  ASSERT_TRUE(wait_for_text(*alice, "NOTICE", "You need to log in to an account first"));
  ASSERT_TRUE(new_account(*alice, "alicepass"));
  auto bob = irc_user(server, "bob");
  ASSERT_TRUE(new_account(*bob, "bobpass"));
  ASSERT_TRUE(bob->join("#den"));
  bob->send("CS REGISTER #den");
  ASSERT_TRUE(wait_for_text(*bob, "NOTICE", "You need to be a channel operator of #den"));
  bob->send("CS REGISTER #nowhere");
  ASSERT_TRUE(wait_for_text(*bob, "NOTICE", "#nowhere does not exist"));
  alice->send("CS REGISTER #den");
  ASSERT_TRUE(wait_for_text(*alice, "NOTICE", "#den is now registered"));
  alice->send("CS REGISTER #den");
  ASSERT_TRUE(wait_for_text(*alice, "NOTICE", "#den is already registered"));
  bob->send("CS DROP #den");
  ASSERT_TRUE(wait_for_text(*bob, "NOTICE", "Only the founder of #den"));
  bob->send("CS HELP");
  ASSERT_TRUE(wait_for_text(*bob, "NOTICE", "Commands: REGISTER #channel"));
  // A server operator may drop any channel's registration.
  auto root = irc_user(server, "root");
  oper(*root);
  root->send("CS DROP #den");
  ASSERT_TRUE(wait_for_text(*root, "NOTICE", "#den is no longer registered"));
  alice->send("CS INFO #den");
  ASSERT_TRUE(wait_for_text(*alice, "NOTICE", "#den is not registered"));
  // Nobody may take ChanServ's nick.
  auto fake = connect_irc(server.irc_port(), "fake");
  fake->send("NICK ChanServ");
  fake->send("USER u 0 * :x");
  ASSERT_TRUE(fake->wait_for_command("433"));
}

TEST(RoomsPersist, ATextUserRegistersARoomThatSurvivesARestart) {
  TempDir data;
  {
    ServerProcess first(on(data));
    auto ann = connect(first, "ann");
    ASSERT_TRUE(ann->register_as("ann"));
    ann->send_line("/join #den");
    ann->send_line("/register #den");
    std::string line;
    ASSERT_TRUE(ann->expect_line_prefix("You joined #den", &line));
    ASSERT_TRUE(ann->expect_line("Error: log in to an account first (/login NAME PASSWORD)."));
    ann->send_line("/register annpass1");
    ASSERT_TRUE(ann->expect_line("The account ann is registered, and you are logged in to it."));
    ann->send_line("/topic Quiet please");
    ASSERT_TRUE(ann->expect_line_prefix("ann set the topic of #den"));
    ann->send_line("/register #den");
    ASSERT_TRUE(ann->expect_line_prefix("#den is registered to your account ann"));
    auto status = first.terminate_and_wait();
    ASSERT_TRUE(status.exited()) << status.describe();
  }
  ServerProcess second(on(data));
  auto bo = connect(second, "bo");
  ASSERT_TRUE(bo->register_as("bo"));
  bo->send_line("/roominfo #den");
  ASSERT_TRUE(bo->expect_line_prefix("#den was registered by ann on "));
  bo->send_line("/unregister #den");
  ASSERT_TRUE(bo->expect_line("Error: only the founder of #den (or a server operator) can do that."));
}

// --- server operators in any room ----------------------------------------------------

TEST(RoomsOverride, AnOperActsInAChannelItIsNotInAndTheLogSaysSo) {
  ServerProcess server(fresh());
  auto alice = irc_user(server, "alice");
  ASSERT_TRUE(alice->join("#games"));
  auto bob = irc_user(server, "bob");
  ASSERT_TRUE(bob->join("#games"));
  auto root = irc_user(server, "root");
  root->send("KICK #games bob :spam");
  ASSERT_TRUE(root->wait_for_command("442"));  // not yet an operator: not on that channel
  oper(*root);
  root->send("MODE #games +m");
  IrcMessage mode;
  ASSERT_TRUE(root->wait_for_command("MODE", &mode)) << "the operator sees its own change";
  EXPECT_EQ(mode.param(1), "+m");
  ASSERT_TRUE(bob->wait_for_command("MODE"));
  root->send("TOPIC #games :Be nice");
  ASSERT_TRUE(root->wait_for_command("TOPIC"));
  root->send("KICK #games bob :spam");
  IrcMessage kick;
  ASSERT_TRUE(bob->wait_for_command("KICK", &kick));
  EXPECT_EQ(kick.source_nick(), "root");
  EXPECT_TRUE(server.wait_for_log("override: root set +m on #games (from outside the room)"));
  EXPECT_TRUE(server.wait_for_log("override: root changed the topic of #games (from outside the room)"));
  EXPECT_TRUE(server.wait_for_log("override: root kicked bob from #games (spam) (from outside the room)"));
}

TEST(RoomsOverride, ATextOperatorOverridesInItsRoomAndItIsLogged) {
  ServerProcess server(fresh());
  auto ann = connect(server, "ann");
  ASSERT_TRUE(ann->register_as("ann"));
  ann->send_line("/join #den");
  ASSERT_TRUE(ann->expect_line_prefix("You joined #den"));
  auto root = connect(server, "root");
  ASSERT_TRUE(root->register_as("root"));
  root->send_line("/join #den");
  ASSERT_TRUE(root->expect_line_prefix("You joined #den"));
  root->send_line("/kick ann");
  ASSERT_TRUE(wait_prefix(*root, "Error: only operators of #den can do that."));
  root->send_line("/oper root wrong");
  ASSERT_TRUE(root->expect_line("Error: wrong operator name or password."));
  root->send_line("/oper root sesame");
  ASSERT_TRUE(root->expect_line("You are now a server operator."));
  root->send_line("/kick ann bye");
  ASSERT_TRUE(wait_prefix(*ann, "root kicked you from #den (bye)."));
  EXPECT_TRUE(server.wait_for_log("override: root kicked ann from #den (bye)"));
}

// --- server bans --------------------------------------------------------------------------

TEST(ServerBans, KlineEndsMatchingUsersInTheirProtocolAndRefusesNewOnes) {
  ServerProcess server(fresh());
  auto root = irc_user(server, "root");
  auto spammer = irc_user(server, "spammer");
  auto text_spammer = connect(server, "spamtext");
  ASSERT_TRUE(text_spammer->register_as("spamtext"));
  root->send("KLINE spam* :flooding");
  ASSERT_TRUE(root->wait_for_command("481"));
  oper(*root);
  root->send("KLINE spam* :flooding");
  ASSERT_TRUE(wait_for_text(*root, "NOTICE", "Added K-line for spam*!*@*: flooding (2 disconnected)"));
  IrcMessage banned;
  ASSERT_TRUE(spammer->wait_for_command("465", &banned));
  EXPECT_THAT(banned.last(), HasSubstr("flooding"));
  IrcMessage error;
  ASSERT_TRUE(spammer->wait_for_command("ERROR", &error));
  EXPECT_THAT(error.last(), HasSubstr("K-Lined: flooding"));
  ASSERT_TRUE(spammer->expect_closed());
  std::string line;
  for (;;) {
    auto l = text_spammer->read_line();
    ASSERT_TRUE(l) << "no farewell";
    if (l->starts_with("Disconnected")) {
      line = *l;
      break;
    }
  }
  EXPECT_EQ(line, "Disconnected: you are banned from this server (flooding).");
  ASSERT_TRUE(text_spammer->expect_closed());
  // New connections matching it are refused with the reason.
  auto again = connect_irc(server.irc_port(), "again");
  again->send("NICK spammer2");
  again->send("USER u 0 * :x");
  ASSERT_TRUE(again->wait_for_command("465"));
  ASSERT_TRUE(again->expect_closed(nullptr));
  auto text_again = connect(server, "text-again");
  text_again->send_line("spamalot");
  ASSERT_TRUE(wait_prefix(*text_again, "Disconnected: you are banned from this server (flooding)."));
  EXPECT_TRUE(server.wait_for_log("matches the server ban spam*!*@*"));
  // Listed, lifted, and then nobody is refused.
  root->send("STATS k");
  IrcMessage entry;
  ASSERT_TRUE(root->wait_for_command("216", &entry));
  EXPECT_EQ(entry.param(2), "spam*!*@*");
  EXPECT_THAT(entry.last(), HasSubstr("flooding (set by root"));
  ASSERT_TRUE(root->wait_for_command("219"));
  root->send("UNKLINE SPAM*!*@*");
  ASSERT_TRUE(wait_for_text(*root, "NOTICE", "Removed K-line for spam*!*@*"));
  auto back = irc_user(server, "spammer");
  EXPECT_FALSE(back->closed());
}

TEST(ServerBans, BadMasksAndUnknownBansAreAnsweredClearly) {
  ServerProcess server(fresh());
  auto root = irc_user(server, "root");
  oper(*root);
  for (const std::string& bad : std::vector<std::string>{"a!b!c", "a@b@c", "$a:", "$x:thing", std::string(201, 'h')}) {
    root->send("KLINE " + bad + " :x");
    IrcMessage fail;
    ASSERT_TRUE(root->wait_for_command("FAIL", &fail)) << bad;
    EXPECT_EQ(fail.param(1), "INVALID_MASK") << bad;
  }
  root->send("KLINE " + std::string(196, 'h') + "@x :long but fine");  // 200 bytes once completed: *!hhh...@x
  ASSERT_TRUE(wait_for_text(*root, "NOTICE", "Added K-line"));
  root->send("KLINE 366d baddie :past the longest");  // temporary K-lines: kline_expiry_test.cpp
  IrcMessage fail;
  ASSERT_TRUE(root->wait_for_command("FAIL", &fail));
  EXPECT_EQ(fail.param(1), "INVALID_PARAMS");
  EXPECT_THAT(fail.last(), HasSubstr("Not a duration"));
  root->send("UNKLINE nobody");
  ASSERT_TRUE(root->wait_for_command("FAIL", &fail));
  EXPECT_EQ(fail.param(1), "NO_SUCH_KLINE");
  root->send("KLINE");
  ASSERT_TRUE(root->wait_for_command("461"));
  // Text: the same, in sentences.
  auto ann = connect(server, "ann");
  ASSERT_TRUE(ann->register_as("ann"));
  ann->send_line("/kline bad");
  ASSERT_TRUE(ann->expect_line("Error: only server operators can do that."));
  ann->send_line("/oper root sesame");
  ASSERT_TRUE(ann->expect_line("You are now a server operator."));
  ann->send_line("/kline a!b!c spam");
  ASSERT_TRUE(ann->expect_line(
      "Error: \"a!b!c\" is not a ban mask: give nick!user@host (with * and ?), or $a:ACCOUNT."));
  ann->send_line("/kline");
  ASSERT_TRUE(ann->expect_line("Usage: /kline [DURATION] MASK [reason]"));
  ann->send_line("/unkline nobody");
  ASSERT_TRUE(ann->expect_line("Error: there is no server ban on \"nobody\"."));
  ann->send_line("/kline $a:eve abuse");
  ASSERT_TRUE(ann->expect_line("Added the server ban on $a:eve (abuse); 0 disconnected."));
  ann->send_line("/klines");
  ASSERT_TRUE(ann->expect_line("Server bans (2):"));
  ASSERT_TRUE(ann->expect_line_prefix("  *!" + std::string(196, 'h') + "@x - long but fine"));
  ASSERT_TRUE(ann->expect_line_prefix("  $a:eve - abuse (by ann, "));
}

TEST(ServerBans, AnAccountBanAndAMaskBanSurviveARestart) {
  TempDir data;
  {
    ServerProcess first(on(data));
    auto eve = irc_user(first, "eve");
    ASSERT_TRUE(new_account(*eve, "evepass1"));
    eve->send("QUIT");
    ASSERT_TRUE(eve->expect_closed(nullptr));
    auto root = irc_user(first, "root");
    oper(*root);
    root->send("KLINE $a:eve :abuse");
    ASSERT_TRUE(wait_for_text(*root, "NOTICE", "Added K-line for $a:eve"));
    root->send("KLINE *!*@bad.example :spam");
    ASSERT_TRUE(wait_for_text(*root, "NOTICE", "Added K-line for *!*@bad.example"));
    auto status = first.terminate_and_wait();
    ASSERT_TRUE(status.exited()) << status.describe();
  }
  ServerProcess second(on(data));
  auto root = irc_user(second, "root");
  oper(*root);
  root->send("STATS k");
  std::vector<IrcMessage> lines;
  IrcMessage end;
  ASSERT_TRUE(root->wait_for_command("219", &end, &lines));
  std::vector<std::string> masks;
  for (const IrcMessage& m : lines) {
    if (m.is("216")) masks.push_back(m.param(2));
  }
  EXPECT_EQ(masks, (std::vector<std::string>{"$a:eve", "*!*@bad.example"}));
  // Logging in to the banned account is refused, with the reason (the session stays, not logged in).
  auto eve = irc_user(second, "evelyn");
  eve->send("PRIVMSG NickServ :IDENTIFY eve evepass1");
  ASSERT_TRUE(wait_for_text(*eve, "NOTICE", "The account eve is banned from this server: abuse"));
  ASSERT_TRUE(eve->sync());
  EXPECT_FALSE(eve->closed());
}

}  // namespace
}  // namespace parley::test
