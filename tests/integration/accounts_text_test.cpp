// Accounts for text users (issue 11): /register, /login, name ownership with
// a short grace period, logins seen by IRC users, and parleyd's account
// subcommands on the data directory the server uses.
#include <fmt/format.h>

#include <cstdio>

#include "irc_itest_util.hpp"

namespace parley::test {
namespace {

constexpr auto kGrace = 1s;  // the tests allow three times as long
const std::string kConfig = "[accounts]\nname_grace_seconds = 1\n";

struct TextAccounts : ::testing::Test {
  ServerProcess server{ServerOptions{.threads = kThreads, .config_toml = kConfig}};
};

// Registers `name` as an account from a text session, then leaves.
void make_account(std::uint16_t port, const std::string& name, const std::string& password) {
  LineClient c(port);
  ASSERT_TRUE(c.register_as(name));
  c.send_line("/register " + password);
  std::string line;
  ASSERT_TRUE(c.expect_line_prefix("The account ", &line));
  c.send_line("LEAVE");
  ASSERT_TRUE(c.expect_line("LEAVE"));
}

TEST_F(TextAccounts, RegisterLoginAndWrongPasswords) {
  LineClient a(server.port());
  ASSERT_TRUE(a.register_as("Raj Ingle"));
  a.send_line("/register opensesame");
  // The account is named as IRC shows the name: spaces become '_'.
  ASSERT_TRUE(a.expect_line("The account Raj_Ingle is registered, and you are logged in to it."));
  a.send_line("/register again1234");
  ASSERT_TRUE(a.expect_line("Error: you are logged in as Raj_Ingle already."));

  LineClient b(server.port());
  ASSERT_TRUE(b.register_as("someone"));
  b.send_line("/login \"Raj Ingle\" wrongpass");
  ASSERT_TRUE(b.expect_line("Error: wrong account name or password."));
  b.send_line("/login Raj_Ingle opensesame");
  ASSERT_TRUE(b.expect_line("You are logged in as Raj_Ingle."));
  b.send_line("/login");
  ASSERT_TRUE(b.expect_line("Usage: /login NAME PASSWORD"));
}

TEST_F(TextAccounts, PasswordLengthAtAndPastItsEdges) {
  LineClient a(server.port());
  ASSERT_TRUE(a.register_as("short"));
  a.send_line("/register 12345");  // 5 bytes: one short of the default 6
  ASSERT_TRUE(a.expect_line("Error: a password needs at least 6 bytes."));
  a.send_line("/register " + std::string(257, 'x'));
  ASSERT_TRUE(a.expect_line("Error: a password has at most 256 bytes."));
  a.send_line("/register 123456");
  ASSERT_TRUE(a.expect_line("The account short is registered, and you are logged in to it."));
}

TEST_F(TextAccounts, ARegisteredNameIsRenamedAfterTheGracePeriod) {
  make_account(server.port(), "kim", "opensesame");
  LineClient c(server.port());
  ASSERT_TRUE(c.register_as("kim"));
  std::string warning;
  ASSERT_TRUE(c.expect_line_prefix("The name kim belongs to the account kim.", &warning));
  // Why first, then #lobby's announcement of the new name.
  ASSERT_TRUE(c.expect_line_prefix("You were renamed to Guest", nullptr, 3 * kGrace + default_timeout()));
  ASSERT_TRUE(c.expect_line_prefix("kim is now known as Guest"));
}

TEST_F(TextAccounts, LoggingInKeepsTheNameAndIrcUsersSeeTheAccount) {
  make_account(server.port(), "lee", "opensesame");
  IrcClient irc(server.irc_port(), "watcher");
  ASSERT_TRUE(irc.register_as("watcher", {.caps = "account-notify extended-join"}));
  ASSERT_TRUE(irc.join("#lobby"));
  LineClient c(server.port());
  ASSERT_TRUE(c.register_as("lee"));
  ASSERT_TRUE(c.expect_line_prefix("The name lee belongs to the account lee."));
  c.send_line("/login lee opensesame");
  ASSERT_TRUE(c.expect_line("You are logged in as lee."));
  IrcMessage account;
  ASSERT_TRUE(irc.wait_for_command("ACCOUNT", &account));
  EXPECT_EQ(account.source_nick(), "lee");
  EXPECT_EQ(account.param(0), "lee");
  // No sleep: mia takes her registered name after lee's grace period began
  // and never logs in. The account worker ends grace periods in the order
  // they end, so once she is renamed, lee's has ended (and was heard on his
  // loop before anything he sends now).
  make_account(server.port(), "mia", "opensesame");
  LineClient marker(server.port());
  ASSERT_TRUE(marker.register_as("mia"));
  ASSERT_TRUE(marker.expect_line_prefix("The name mia belongs to the account mia."));
  ASSERT_TRUE(marker.expect_line_prefix("You were renamed to Guest", nullptr, 3 * kGrace + default_timeout()));
  // /whois goes where names are held, behind any rename lee's loop asked
  // for, and its answer comes back behind that rename's.
  c.send_line("/whois lee");
  for (;;) {
    auto line = c.read_line();
    ASSERT_TRUE(line) << "no answer to /whois";
    EXPECT_FALSE(line->starts_with("You were renamed")) << *line;
    EXPECT_FALSE(line->starts_with("lee is now known as")) << *line;
    if (line->starts_with("lee (IRC: lee!")) break;
  }
}

// `parleyd account ...` with the password on stdin; its exit status.
int admin(const ServerProcess& server, const std::string& args, const std::string& password) {
  const std::string command = fmt::format("printf '%s\\n' '{}' | '{}' {} --data-dir '{}' >/dev/null 2>&1", password,
                                          default_parleyd_binary(), args, server.data_dir().string());
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(TextAccounts, AdministratorAddsChangesAndDeletesAccountsWhileTheServerRuns) {
  ASSERT_EQ(admin(server, "account add mia", "firstpass"), 0);
  ASSERT_EQ(admin(server, "account add mia", "firstpass"), 1);  // exists already
  LineClient c(server.port());
  ASSERT_TRUE(c.register_as("visitor"));
  c.send_line("/login mia firstpass");
  ASSERT_TRUE(c.expect_line("You are logged in as mia."));
  ASSERT_EQ(admin(server, "account passwd mia", "secondpass"), 0);
  LineClient d(server.port());
  ASSERT_TRUE(d.register_as("visitor2"));
  d.send_line("/login mia firstpass");
  ASSERT_TRUE(d.expect_line("Error: wrong account name or password."));
  d.send_line("/login mia secondpass");
  ASSERT_TRUE(d.expect_line("You are logged in as mia."));
  ASSERT_EQ(admin(server, "account del mia", ""), 0);
  ASSERT_EQ(admin(server, "account del mia", ""), 1);
  ASSERT_EQ(admin(server, "account passwd nobody", "whatever1"), 1);
}

TEST(HashPassword, PrintsAnArgon2idHash) {
  const std::string command = fmt::format("printf 'pw\\n' | '{}' hash-password", default_parleyd_binary());
  std::FILE* out = ::popen(command.c_str(), "r");
  ASSERT_NE(out, nullptr);
  char buffer[512] = {};
  const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, out);
  EXPECT_EQ(::pclose(out), 0);
  EXPECT_TRUE(std::string(buffer, n).starts_with("$argon2id$")) << buffer;
}

}  // namespace
}  // namespace parley::test
