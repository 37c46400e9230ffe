// Configuration that would start a broken server is an error at start: exit
// status 2 and a message naming the problem (issue 15).

#include "itest_util.hpp"

namespace parley::test {
namespace {

// Starts parleyd with `toml` (if any) and `args`; expects exit status 2, a
// message containing each of `words`, and no "Waiting for new users".
void expect_start_error(std::optional<std::string> toml, std::vector<std::string> args,
                        const std::vector<std::string>& words, bool default_args = true) {
  ServerProcess server(ServerOptions{.config_toml = std::move(toml), .default_args = default_args,
                                     .extra_args = std::move(args), .wait_until_ready = false});
  auto status = server.wait_exit(scaled(20s));
  ASSERT_TRUE(status.has_value()) << "parleyd kept running. Log:\n" << server.log_text();
  EXPECT_TRUE(status->exited() && status->code() == 2) << "parleyd " << status->describe() << ". Log:\n"
                                                       << server.log_text();
  const std::string log = server.log_text();
  for (const auto& w : words) EXPECT_NE(log.find(w), std::string::npos) << "no '" << w << "' in:\n" << log;
  EXPECT_EQ(log.find("Waiting for new users"), std::string::npos) << log;
}

TEST(StartErrors, DefaultRoomThatIsNoRoomName) {
  expect_start_error("default_room = \"has space\"\n", {}, {"default_room", "has space"});
}

TEST(StartErrors, ServerNameThatBreaksIrcLines) {
  expect_start_error("server_name = \"bad name\"\n", {}, {"server_name", "bad name"});
  expect_start_error("server_name = \"\"\n", {}, {"server_name"});
}

TEST(StartErrors, ConfigThatIsADirectory) {
  TempDir dir;
  expect_start_error(std::nullopt, {"--config", dir.path().string()}, {dir.path().string(), "directory"});
}

TEST(StartErrors, MissingMotdFile) {
  expect_start_error("[irc]\nmotd_file = \"/nonexistent/motd.txt\"\n", {}, {"motd_file", "/nonexistent/motd.txt"});
}

// /proc exists and is a directory, but takes no new file, even from root.
TEST(StartErrors, UnwritableDataDirectory) {
  expect_start_error(std::nullopt,
                     {"--bind", "127.0.0.1", "--text-port", "0", "--irc-port", "0", "--data-dir", "/proc"},
                     {"/proc", "not writable"}, /*default_args=*/false);
}

}  // namespace
}  // namespace parley::test
