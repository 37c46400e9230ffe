// Host cloaking (issue 13): other users see a keyed hash of each address,
// never the address; server operators see the address too (WHOIS 378); the
// key is made into the data directory on first start, readable only by its
// owner, and kept, so cloaks stay the same across restarts.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "irc_client.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

std::string config() {
  return unlimited_config() + "[[irc.operators]]\nname = \"root\"\npassword = \"sesame\"\n";
}

ServerOptions cloaking(std::string data_dir = {}) {
  return ServerOptions{.threads = kThreads, .config_toml = config(), .data_dir = std::move(data_dir),
                       .cloak_hosts = true};
}

// The host of `nick` in asker's WHOIS 311, with the whole answer in *lines.
std::string whois_host(IrcClient& asker, std::string_view nick, std::vector<IrcMessage>* lines) {
  asker.send("WHOIS " + std::string(nick));
  IrcMessage user;
  EXPECT_TRUE(asker.wait_for_command("311", &user, lines));
  IrcMessage end;
  EXPECT_TRUE(asker.wait_for_command("318", &end, lines));
  return user.params.size() > 3 ? user.param(3) : std::string();
}

bool has_numeric(const std::vector<IrcMessage>& lines, std::string_view code) {
  return std::any_of(lines.begin(), lines.end(), [&](const IrcMessage& m) { return m.is(code); });
}

TEST(Cloak, OthersSeeACloakNotTheAddress) {
  ServerProcess server(cloaking());
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto zoe = connect_irc(server.irc_port(), "zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));

  std::vector<IrcMessage> lines;
  const std::string raj_host = whois_host(*zoe, "Raj_Ingle", &lines);
  EXPECT_TRUE(raj_host.ends_with(".parley")) << raj_host;
  EXPECT_EQ(raj_host.find("127.0.0.1"), std::string::npos);
  EXPECT_FALSE(has_numeric(lines, "378")) << "the address is for server operators only";
  for (const auto& m : lines) EXPECT_EQ(m.raw.find("127.0.0.1"), std::string::npos) << m.raw;

  // JOIN shows the IRC user's own cloak to the others in the room.
  auto amy = connect_irc(server.irc_port(), "amy");
  ASSERT_TRUE(amy->register_as("amy"));
  ASSERT_TRUE(amy->join("#lobby"));
  ASSERT_TRUE(zoe->join("#lobby"));
  IrcMessage join;
  ASSERT_TRUE(amy->wait_for_command("JOIN", &join));
  EXPECT_EQ(join.raw.find("127.0.0.1"), std::string::npos) << join.raw;
  EXPECT_NE(join.raw.find(".parley JOIN"), std::string::npos) << join.raw;
  // The log keeps real addresses.
  EXPECT_TRUE(server.wait_for_log("127.0.0.1:").has_value());
}

TEST(Cloak, ServerOperatorsSeeTheAddress) {
  ServerProcess server(cloaking());
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto op = connect_irc(server.irc_port(), "op");
  ASSERT_TRUE(op->register_as("op"));
  op->send("OPER root sesame");
  ASSERT_TRUE(op->wait_for_command("381"));
  std::vector<IrcMessage> lines;
  whois_host(*op, "Raj_Ingle", &lines);
  auto host = std::find_if(lines.begin(), lines.end(), [](const IrcMessage& m) { return m.is("378"); });
  ASSERT_NE(host, lines.end());
  EXPECT_NE(host->last().find(" 127.0.0.1"), std::string::npos) << host->raw;
}

TEST(Cloak, KeyIsPrivateAndKeptAcrossRestarts) {
  TempDir data;
  std::string first;
  {
    ServerProcess server(cloaking(data.path().string()));
    auto zoe = connect_irc(server.irc_port(), "zoe");
    ASSERT_TRUE(zoe->register_as("zoe"));
    first = whois_host(*zoe, "zoe", nullptr);
  }
  struct stat st {};
  ASSERT_EQ(::stat((data.path() / "cloak.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ServerProcess again(cloaking(data.path().string()));
  auto zoe = connect_irc(again.irc_port(), "zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  EXPECT_EQ(whois_host(*zoe, "zoe", nullptr), first);
  EXPECT_TRUE(first.ends_with(".parley")) << first;
}

TEST(Cloak, OffShowsTheAddress) {
  ServerProcess server(ServerOptions{.threads = kThreads, .config_toml = config() + "[privacy]\ncloak = false\n",
                                     .cloak_hosts = true});
  auto zoe = connect_irc(server.irc_port(), "zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  EXPECT_EQ(whois_host(*zoe, "zoe", nullptr), "127.0.0.1");
  EXPECT_FALSE(std::filesystem::exists(server.data_dir() / "cloak.key"));
}

}  // namespace
}  // namespace parley::test
