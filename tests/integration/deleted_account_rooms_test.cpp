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

// `parleyd account ACTION NAME` on the data directory, with `password` on
// stdin (add); its exit status.
int account_command(const std::filesystem::path& data_dir, const std::string& action, const std::string& name,
                    const std::string& password = "") {
  const std::string command = "printf '%s\\n' '" + password + "' | '" + default_parleyd_binary() + "' account " +
                              action + " " + name + " --data-dir '" + data_dir.string() + "' >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int delete_account(const std::filesystem::path& data_dir, const std::string& name) {
  return account_command(data_dir, "del", name);
}

// Whether `c` is still logged in to `account`: IDENTIFY says so, and no 901
// (logged out) came before that answer.
::testing::AssertionResult still_logged_in(IrcClient& c, const std::string& account) {
  c.send("PRIVMSG NickServ :IDENTIFY " + account + " whatever");
  auto from_nickserv = [](const IrcMessage& x) { return x.is("NOTICE") && x.source_nick() == "NickServ"; };
  IrcMessage m;
  std::vector<IrcMessage> skipped;
  if (auto r = c.wait_for(from_nickserv, "NickServ", &m, &skipped); !r) return r;
  for (const IrcMessage& x : skipped) {
    if (x.is("901")) return ::testing::AssertionFailure() << "logged out: " << x.raw;
  }
  if (m.last() != "You are already logged in as " + account + ".") return ::testing::AssertionFailure() << m.raw;
  return ::testing::AssertionSuccess();
}

// Logs `c` in to `account` with NickServ IDENTIFY.
::testing::AssertionResult identify(IrcClient& c, const std::string& account, const std::string& password) {
  c.send("PRIVMSG NickServ :IDENTIFY " + account + " " + password);
  return wait_for_text(c, "NOTICE", "You are now logged in as " + account + ".");
}

TEST(DeletedAccountRooms, DroppingTheFoundersAccountHandsTheRoomToTheAccessList) {
  TempDir data;
  {
    ServerProcess server(on(data));
    auto alice = irc_user(server, "alice");
    ASSERT_TRUE(new_account(*alice));
    auto bob = irc_user(server, "bob");
    ASSERT_TRUE(new_account(*bob));
    auto carol = irc_user(server, "carol");
    ASSERT_TRUE(new_account(*carol));
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
  ASSERT_TRUE(new_account(*alice));
  auto bob = irc_user(server, "bob");
  ASSERT_TRUE(new_account(*bob));
  auto carol = irc_user(server, "carol");
  ASSERT_TRUE(new_account(*carol));
  register_room(*alice, "#cafe", {"bob", "carol"});
  // bob is not even connected: his deletion reaches the rooms all the same.
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
    ASSERT_TRUE(new_account(*alice));
    auto bob = irc_user(server, "bob");
    ASSERT_TRUE(new_account(*bob));
    auto carol = irc_user(server, "carol");
    ASSERT_TRUE(new_account(*carol));
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

// The hole issue 11 left: an account deleted by another process and its name
// registered again before the server looked. Looking the name up would find
// the new account; the server reads the store's record of deletions instead,
// so the old account's sessions are logged out and its rooms forget it, and
// the new account gets none of its rights.
struct Reregistered {
  std::unique_ptr<IrcClient> alice;  // logged in to the account deleted
  std::unique_ptr<IrcClient> carol;

  // alice founds #cafe (carol on its access list) and is on #tea's (carol's).
  void set_up(const ServerProcess& server) {
    alice = irc_user(server, "alice");
    ASSERT_TRUE(new_account(*alice));
    carol = irc_user(server, "carol");
    ASSERT_TRUE(new_account(*carol));
    register_room(*alice, "#cafe", {"carol"});
    register_room(*carol, "#tea", {"alice"});
  }
  // The deletion reached alice's session and both rooms; yields the index of
  // #cafe's log line.
  std::size_t expect_applied(ServerProcess& server, Duration timeout) {
    EXPECT_TRUE(wait_for_text(*alice, "NOTICE", "The account alice was deleted; you are logged out.", timeout));
    EXPECT_TRUE(alice->wait_for_command("901"));
    std::size_t cafe = 0;
    EXPECT_TRUE(server.wait_for_log("#cafe: its founder's account alice was deleted; carol is its founder now.",
                                    timeout, 0, &cafe));
    EXPECT_TRUE(server.wait_for_log("#tea: the deleted account alice left the access list.", timeout));
    return cafe;
  }
  // Whoever holds the name now holds nothing of the old account's.
  void expect_nothing_inherited(IrcClient& new_alice) {
    EXPECT_EQ(info(new_alice, "#cafe"), "Founder: carol | Operators: (the founder only)");
    EXPECT_EQ(info(new_alice, "#tea"), "Founder: carol | Operators: (the founder only)");
    new_alice.send("CS ACCESS #cafe DEL carol");
    EXPECT_TRUE(wait_for_text(new_alice, "NOTICE", "Only the founder of #cafe (or an IRC operator)"));
  }
};

TEST(DeletedAccountRooms, ANameDeletedAndRegisteredAgainBeforeTheSweepGetsNothingOfTheOldAccount) {
  TempDir data;
  ServerProcess server(on(data));
  Reregistered r;
  ASSERT_NO_FATAL_FAILURE(r.set_up(server));

  // Back to back: usually well within one deleted_check; the next test pins
  // the order down.
  ASSERT_EQ(delete_account(data.path(), "alice"), 0);
  ASSERT_EQ(account_command(data.path(), "add", "alice", "another!!"), 0);
  r.expect_applied(server, 3 * kCheck + default_timeout());

  auto ally = irc_user(server, "ally");
  ASSERT_TRUE(identify(*ally, "alice", "another!!"));
  r.expect_nothing_inherited(*ally);
}

// No sweep within the test (deleted_check an hour): the new account's first
// login is what makes the server read the deletion, and it is applied before
// that login is answered. The new session is not logged out by it.
TEST(DeletedAccountRooms, ALoginToTheNameRegisteredAgainIsAnsweredOnlyOnceTheDeletionIsApplied) {
  TempDir data;
  ServerProcess server(on(data, "[accounts]\ndeleted_check_seconds = 3600\n"));
  Reregistered r;
  ASSERT_NO_FATAL_FAILURE(r.set_up(server));
  ASSERT_EQ(delete_account(data.path(), "alice"), 0);
  ASSERT_EQ(account_command(data.path(), "add", "alice", "another!!"), 0);

  auto ally = irc_user(server, "ally");
  ASSERT_TRUE(identify(*ally, "alice", "another!!"));
  r.expect_nothing_inherited(*ally);  // no wait: applied before the login's answer
  r.expect_applied(server, default_timeout());
  // The deletion's logout (done by now: alice heard it) spared the new login.
  EXPECT_TRUE(still_logged_in(*ally, "alice"));
}

// A DROP on this server is applied at once, then read again from the store's
// record (before the next login, or at the next check): the second time
// changes nothing, and the login to the name registered again in between
// stays.
TEST(DeletedAccountRooms, ADropIsAppliedOnceThoughTheServerReadsItAgain) {
  TempDir data;
  ServerProcess server(on(data));
  Reregistered r;
  ASSERT_NO_FATAL_FAILURE(r.set_up(server));
  r.alice->send("PRIVMSG NickServ :DROP sesame!!");
  ASSERT_TRUE(wait_for_text(*r.alice, "NOTICE", "The account alice is deleted."));
  const std::size_t cafe = r.expect_applied(server, default_timeout());
  ASSERT_EQ(account_command(data.path(), "add", "alice", "another!!"), 0);
  auto ally = irc_user(server, "ally");
  ASSERT_TRUE(identify(*ally, "alice", "another!!"));
  // Read from the record by now (before that login was answered).
  EXPECT_TRUE(server.wait_for_log("The account alice was deleted: its sessions are logged out."));
  r.expect_nothing_inherited(*ally);
  EXPECT_TRUE(still_logged_in(*ally, "alice"));
  EXPECT_FALSE(server.wait_for_log("#cafe:", Duration::zero(), cafe + 1)) << "the rooms changed once";
}

}  // namespace
}  // namespace parley::test
