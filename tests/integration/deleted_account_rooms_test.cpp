// A deleted account and the registered rooms that name it (issue 11): it
// leaves every access list, and a room it founded passes to the first account
// on its access list, or, with none, is no longer registered. Whichever way
// the account goes: NickServ DROP, `parleyd account del` while the server
// runs (its sweep notices), or while it is stopped (the store does it).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include "irc_itest_util.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

constexpr auto kCheck = 1s;  // deleted_check_seconds
const std::string kConfig = "[accounts]\ndeleted_check_seconds = 1\n";

ServerOptions on(const TempDir& data, const std::string& config = kConfig) {
  ServerOptions options{.threads = kThreads, .config_toml = config};
  options.data_dir = data.path().string();
  return options;
}

std::unique_ptr<IrcClient> irc_user(const ServerProcess& server, const std::string& nick) {
  auto c = connect_irc(server.irc_port(), nick);
  EXPECT_TRUE(c->register_as(nick));
  return c;
}

::testing::AssertionResult wait_for_text(IrcClient& c, std::string_view command, std::string_view text,
                                         Duration timeout = default_timeout()) {
  return c.wait_for(
      [command = std::string(command), text = std::string(text)](const IrcMessage& m) {
        return m.is(command) && !m.params.empty() && m.last().find(text) != std::string::npos;
      },
      std::string(command) + " with \"" + std::string(text) + "\"", nullptr, nullptr, timeout);
}

void new_account(IrcClient& c) {
  c.send("REGISTER * * sesame!!");
  IrcMessage m;
  ASSERT_TRUE(c.wait_for_command("REGISTER", &m));
  ASSERT_EQ(m.param(0), "SUCCESS") << m.raw;
}

// `owner` (logged in) registers `channel`, then puts `access` on its access list, in order.
void register_room(IrcClient& owner, const std::string& channel, const std::vector<std::string>& access) {
  ASSERT_TRUE(owner.join(channel));
  owner.send("CS REGISTER " + channel);
  ASSERT_TRUE(wait_for_text(owner, "NOTICE", channel + " is now registered"));
  for (const auto& account : access) {
    owner.send("CS ACCESS " + channel + " ADD " + account);
    ASSERT_TRUE(wait_for_text(owner, "NOTICE", account + " is on the access list"));
  }
}

// What CS INFO says of `channel`: "Founder: x | Operators: y", or its refusal.
std::string info(IrcClient& asker, const std::string& channel) {
  asker.send("CS INFO " + channel);
  auto from_chanserv = [](const IrcMessage& x) { return x.is("NOTICE") && x.source_nick() == "ChanServ"; };
  IrcMessage m;
  if (!asker.wait_for(from_chanserv, "ChanServ", &m)) return "(nothing from ChanServ)";
  if (!m.last().starts_with("Information on ")) return m.last();
  std::string founder;
  for (int i = 0; i < 3; ++i) {  // Founder:, Registered:, Operators:
    if (!asker.wait_for(from_chanserv, "ChanServ", &m)) return "(CS INFO cut short)";
    if (m.last().starts_with("Founder: ")) founder = m.last();
  }
  return founder + " | " + m.last();
}

int delete_account(const std::filesystem::path& data_dir, const std::string& name) {
  const std::string command = "'" + default_parleyd_binary() + "' account del " + name + " --data-dir '" +
                              data_dir.string() + "' >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(DeletedAccountRooms, DroppingTheFoundersAccountHandsTheRoomToTheAccessList) {
  TempDir data;
  {
    ServerProcess server(on(data));
    auto alice = irc_user(server, "alice");
    new_account(*alice);
    auto bob = irc_user(server, "bob");
    new_account(*bob);
    auto carol = irc_user(server, "carol");
    new_account(*carol);
    register_room(*alice, "#cafe", {"bob", "carol"});
    register_room(*alice, "#den", {});
    ASSERT_EQ(info(*bob, "#cafe"), "Founder: alice | Operators: bob, carol");

    alice->send("PRIVMSG NickServ :DROP sesame!!");
    ASSERT_TRUE(wait_for_text(*alice, "NOTICE", "The account alice is deleted."));
    EXPECT_TRUE(server.wait_for_log("#cafe: its founder's account alice was deleted; bob is its founder now."));
    EXPECT_TRUE(server.wait_for_log("#den: its founder's account alice was deleted"));
    EXPECT_EQ(info(*bob, "#cafe"), "Founder: bob | Operators: carol");
    EXPECT_EQ(info(*bob, "#den"), "#den is not registered.");
    ASSERT_TRUE(server.terminate_and_wait().exited());
  }
  ServerProcess again(on(data));
  auto carol = irc_user(again, "carol");
  EXPECT_EQ(info(*carol, "#cafe"), "Founder: bob | Operators: carol") << "kept across a restart";
  EXPECT_EQ(info(*carol, "#den"), "#den does not exist.") << "an empty room kept only for its registration";
}

TEST(DeletedAccountRooms, AnAccountDeletedWhileTheServerRunsLeavesItsAccessLists) {
  TempDir data;
  ServerProcess server(on(data));
  auto alice = irc_user(server, "alice");
  new_account(*alice);
  auto bob = irc_user(server, "bob");
  new_account(*bob);
  auto carol = irc_user(server, "carol");
  new_account(*carol);
  register_room(*alice, "#cafe", {"bob", "carol"});
  // bob is not even connected: the sweep looks at the accounts rooms name, too.
  bob->send("QUIT");
  ASSERT_TRUE(bob->expect_closed());

  ASSERT_EQ(delete_account(data.path(), "bob"), 0);
  EXPECT_TRUE(server.wait_for_log("#cafe: the deleted account bob left the access list.",
                                  3 * kCheck + default_timeout()));
  EXPECT_EQ(info(*carol, "#cafe"), "Founder: alice | Operators: carol");
  // A later change of the room is saved whole: bob must not come back with it.
  alice->send("TOPIC #cafe :fresh");
  ASSERT_TRUE(alice->wait_for_command("TOPIC"));
  ASSERT_TRUE(server.terminate_and_wait().exited());
  ServerProcess again(on(data));
  auto dora = irc_user(again, "dora");
  EXPECT_EQ(info(*dora, "#cafe"), "Founder: alice | Operators: carol");
}

TEST(DeletedAccountRooms, AnAccountDeletedWhileTheServerIsStoppedIsGoneFromItsRoomsAtStart) {
  TempDir data;
  // No sweep: what the next start finds is what `account del` left in the file.
  const std::string no_sweep = "[accounts]\ndeleted_check_seconds = 0\n";
  {
    ServerProcess server(on(data, no_sweep));
    auto alice = irc_user(server, "alice");
    new_account(*alice);
    auto bob = irc_user(server, "bob");
    new_account(*bob);
    auto carol = irc_user(server, "carol");
    new_account(*carol);
    register_room(*alice, "#cafe", {"bob", "carol"});
    register_room(*alice, "#den", {});
    ASSERT_TRUE(carol->join("#tea"));
    carol->send("CS REGISTER #tea");
    ASSERT_TRUE(wait_for_text(*carol, "NOTICE", "#tea is now registered"));
    carol->send("CS ACCESS #tea ADD alice");
    ASSERT_TRUE(wait_for_text(*carol, "NOTICE", "alice is on the access list"));
    ASSERT_TRUE(server.terminate_and_wait().exited());
  }
  ASSERT_EQ(delete_account(data.path(), "alice"), 0);
  ServerProcess again(on(data, no_sweep));
  auto dora = irc_user(again, "dora");
  EXPECT_EQ(info(*dora, "#cafe"), "Founder: bob | Operators: carol");
  EXPECT_EQ(info(*dora, "#den"), "#den does not exist.") << "no longer registered, so not kept";
  EXPECT_EQ(info(*dora, "#tea"), "Founder: carol | Operators: (the founder only)");
}

}  // namespace
}  // namespace parley::test
