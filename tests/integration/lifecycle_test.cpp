// Start-up and shutdown: configuration errors, a busy port, SIGTERM/SIGINT.

#include <signal.h>

#include <algorithm>
#include <cctype>

#include "itest_util.hpp"

namespace parley::test {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// SIGTERM with clients connected: every connection (named or not) is told,
// then closed; parleyd exits with status 0.
TEST(Lifecycle, SigtermDisconnectsEveryoneAndExitsZero) {
  ServerProcess server;
  std::vector<std::unique_ptr<LineClient>> members;
  std::vector<LineClient*> present;
  for (const char* name : {"Keerthi Reddy Kandi", "Raj Ingle", "Zoë"}) {
    members.push_back(connect(server, name));
    ASSERT_TRUE(join_room(*members.back(), name, present));
    present.push_back(members.back().get());
  }
  auto prompt = connect(server, "at the prompt");
  ASSERT_TRUE(prompt->expect_line(kGreeting));

  auto status = server.terminate_and_wait();
  EXPECT_FALSE(server.was_killed()) << "parleyd had to be SIGKILLed";
  EXPECT_TRUE(status.exited() && status.code() == 0) << "parleyd " << status.describe();

  for (auto& m : members) {
    ASSERT_TRUE(m->expect_line("Disconnected: the server is shutting down."));
    ASSERT_TRUE(m->expect_closed());
  }
  ASSERT_TRUE(prompt->expect_line("Disconnected: the server is shutting down."));
  ASSERT_TRUE(prompt->expect_closed());
}

// Shutdown flushes what was already accepted: a member who had not read yet
// still gets every message, then the farewell, then the close.
TEST(Lifecycle, SigtermFlushesOutboxesFirst) {
  constexpr int kCount = 2000;
  ServerProcess server(ServerOptions{.config_toml = unlimited_config()});
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto zoe = connect(server, "Zoë");
  ASSERT_TRUE(join_room(*zoe, "Zoë", {raj.get()}));
  const std::string padding = repeat("f", 100);
  std::string batch;
  for (int k = 0; k < kCount; ++k) batch += std::to_string(k) + padding + "\n";
  raj->send_raw(batch);
  // Raj's own copies prove the server accepted (and fanned out) them all.
  for (int k = 0; k < kCount; ++k) {
    ASSERT_TRUE(raj->expect_line(message_line("Raj Ingle", std::to_string(k) + padding)));
  }
  server.send_signal(SIGTERM);
  for (int k = 0; k < kCount; ++k) {
    ASSERT_TRUE(zoe->expect_line(message_line("Raj Ingle", std::to_string(k) + padding)));
  }
  ASSERT_TRUE(zoe->expect_line("Disconnected: the server is shutting down."));
  ASSERT_TRUE(zoe->expect_closed());
  ASSERT_TRUE(raj->expect_line("Disconnected: the server is shutting down."));
  ASSERT_TRUE(raj->expect_closed());
  auto status = server.wait_exit(scaled(20s));
  ASSERT_TRUE(status.has_value()) << "parleyd did not exit after SIGTERM";
  EXPECT_TRUE(status->exited() && status->code() == 0) << "parleyd " << status->describe();
}

TEST(Lifecycle, SigintShutsDownGracefully) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  server.send_signal(SIGINT);
  ASSERT_TRUE(raj->expect_line("Disconnected: the server is shutting down."));
  ASSERT_TRUE(raj->expect_closed());
  auto status = server.wait_exit(scaled(20s));
  ASSERT_TRUE(status.has_value()) << "parleyd did not exit after SIGINT";
  EXPECT_TRUE(status->exited() && status->code() == 0) << "parleyd " << status->describe();
}

TEST(Lifecycle, SigtermWithNoClients) {
  ServerProcess server;
  auto status = server.terminate_and_wait();
  EXPECT_FALSE(server.was_killed());
  EXPECT_TRUE(status.exited() && status.code() == 0) << "parleyd " << status.describe();
}

// A second signal while the first shutdown runs (a client that never reads
// holds it for the grace) is logged and changes nothing: one shutdown, exit 0.
TEST(Lifecycle, ASecondSignalDuringShutdownChangesNothing) {
  ServerProcess server(ServerOptions{.config_toml = unlimited_config("outbox_bytes = 16777216\n")});
  StuckReader clients;
  ASSERT_TRUE(fill_a_stuck_reader(server, clients));
  server.send_signal(SIGTERM);
  ASSERT_TRUE(server.wait_for_log("Shutting down:")) << server.log_text();
  server.send_signal(SIGINT);
  EXPECT_TRUE(server.wait_for_log("Received SIGINT again; already shutting down.")) << server.log_text();
  auto status = server.wait_exit(scaled(20s));
  ASSERT_TRUE(status.has_value()) << "parleyd did not exit after SIGTERM";
  EXPECT_TRUE(status->exited() && status->code() == 0) << "parleyd " << status->describe();
  EXPECT_EQ(server.count_log("Shutting down:"), 1u) << server.log_text();
}

// Without a TLS port SIGHUP has nothing to reload: it is logged, and the
// server goes on (the kernel's default would have ended it).
TEST(Lifecycle, SighupWithoutTlsIsLoggedAndIgnored) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  server.send_signal(SIGHUP);
  ASSERT_TRUE(server.wait_for_log("Received SIGHUP; nothing is set to happen on it, so it is ignored."))
      << server.log_text();
  ASSERT_TRUE(say(*raj, "Raj Ingle", "still here", {raj.get()}));
  auto status = server.terminate_and_wait();
  EXPECT_TRUE(status.exited() && status.code() == 0) << "parleyd " << status.describe();
}

// Starts parleyd with `toml` as its config and expects it to refuse to start:
// exit status 2 and a message naming the file and `key`.
void expect_config_error(const std::string& toml, const std::string& key) {
  ServerProcess server(ServerOptions{.config_toml = toml, .wait_until_ready = false});
  auto status = server.wait_exit(scaled(20s));
  ASSERT_TRUE(status.has_value()) << "parleyd kept running with a bad config:\n"
                                  << toml << "\nLog:\n"
                                  << server.log_text();
  EXPECT_TRUE(status->exited() && status->code() == 2)
      << "parleyd " << status->describe() << " (the doc says status 2). Log:\n"
      << server.log_text();
  std::string log = server.log_text();
  EXPECT_NE(log.find(server.config_path().string()), std::string::npos)
      << "the error does not name the file " << server.config_path() << ":\n"
      << log;
  EXPECT_NE(log.find(key), std::string::npos) << "the error does not name the key " << key << ":\n" << log;
  EXPECT_EQ(log.find("Waiting for new users"), std::string::npos) << log;
}

TEST(Lifecycle, UnknownTopLevelKey) { expect_config_error("colour = \"blue\"\n", "colour"); }

TEST(Lifecycle, UnknownKeyInTable) { expect_config_error("[limits]\nline_byte = 100\n", "line_byte"); }

TEST(Lifecycle, WrongValueType) { expect_config_error("threads = \"two\"\n", "threads"); }

TEST(Lifecycle, ValueOutOfRange) { expect_config_error("[limits]\nline_bytes = -5\n", "line_bytes"); }

TEST(Lifecycle, MalformedToml) {
  ServerProcess server(ServerOptions{.config_toml = "[limits\nline_bytes = \n", .wait_until_ready = false});
  auto status = server.wait_exit(scaled(20s));
  ASSERT_TRUE(status.has_value()) << "parleyd kept running with a malformed config";
  EXPECT_TRUE(status->exited() && status->code() != 0) << "parleyd " << status->describe();
  EXPECT_NE(server.log_text().find(server.config_path().string()), std::string::npos)
      << "the error does not name the file:\n"
      << server.log_text();
}

TEST(Lifecycle, MissingConfigFile) {
  TempDir dir;
  const std::string missing = (dir.path() / "no-such.toml").string();
  ServerProcess server(ServerOptions{.extra_args = {"--config", missing}, .wait_until_ready = false});
  auto status = server.wait_exit(scaled(20s));
  ASSERT_TRUE(status.has_value()) << "parleyd kept running without its config file";
  EXPECT_TRUE(status->exited() && status->code() != 0) << "parleyd " << status->describe();
  EXPECT_NE(server.log_text().find(missing), std::string::npos) << "the error does not name the file:\n"
                                                                << server.log_text();
}

// The example file in docs/configuration.md is accepted as it stands (the
// harness's flags override its address, port, data directory and threads).
TEST(Lifecycle, DocumentedExampleConfigIsAccepted) {
  const std::string example = R"(bind = "127.0.0.1"
data_dir = "/var/lib/parley"
threads = 2
default_room = "lobby"
shutdown_grace_seconds = 3   # how long outboxes may flush on SIGTERM

[text]
port = 7000

[limits]
line_bytes = 4096              # longest input line, line end excluded
name_chars = 32                # longest name, in characters
room_chars = 50                # longest room name
topic_chars = 390
rooms_per_user = 20
messages_per_second = 5.0      # sustained input rate per connection; 0 = unlimited
message_burst = 20             # lines that may arrive at once before pacing
connections_per_address = 10   # 0 = unlimited
max_connections = 18000
name_timeout_seconds = 60
outbox_bytes = 1048576         # a client whose unsent output passes this is disconnected

[keepalive]                    # TCP keepalive, to find dead peers
idle_seconds = 120
interval_seconds = 15
probes = 4
)";
  ServerProcess server(ServerOptions{.config_toml = example});
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  ASSERT_TRUE(say(*raj, "Raj Ingle", "configured", {raj.get()}));
}

// A port already in use: non-zero exit, and a message saying so.
TEST(Lifecycle, PortInUse) {
  PortHolder busy;
  ServerProcess server(ServerOptions{.text_port = busy.port(), .wait_until_ready = false});
  auto status = server.wait_exit(scaled(20s));
  ASSERT_TRUE(status.has_value()) << "parleyd kept running on a busy port:\n" << server.log_text();
  EXPECT_TRUE(status->exited() && status->code() != 0) << "parleyd " << status->describe();
  std::string log = server.log_text();
  EXPECT_NE(log.find(std::to_string(busy.port())), std::string::npos)
      << "the error does not name the port " << busy.port() << ":\n"
      << log;
  EXPECT_NE(lower(log).find("in use"), std::string::npos) << "the error does not say the port is in use:\n" << log;
}

// Flags override the file: --text-port 0 on the command line wins over a
// fixed port in the file, and the configured limits still apply.
TEST(Lifecycle, FlagsOverrideFile) {
  PortHolder busy;
  ServerProcess server(
      ServerOptions{.config_toml = "[text]\nport = " + std::to_string(busy.port()) + "\n[limits]\nline_bytes = 20\n"});
  EXPECT_NE(server.port(), busy.port());
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  raj->send_line("012345678901234567890");
  ASSERT_TRUE(raj->expect_line("Error: that line is longer than 20 bytes; it was not sent."));
}

}  // namespace
}  // namespace parley::test
