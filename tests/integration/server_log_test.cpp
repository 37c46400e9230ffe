// The server's own words (issue 13): which name an address took, why each
// connection ended, JSON lines for log shippers, --bind with host names and
// several addresses.
#include "irc_client.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

TEST(ServerLog, SaysWhichNameAnAddressTookAndWhyItLeft) {
  ServerProcess server(ServerOptions{.threads = kThreads});
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  const std::string endpoint = raj->local_endpoint();
  EXPECT_TRUE(server.wait_for_log(endpoint + " is Raj Ingle.")) << server.log_text();
  raj->send_line("LEAVE");
  ASSERT_TRUE(raj->expect_line("LEAVE"));
  EXPECT_TRUE(server.wait_for_log(endpoint + " (Raj Ingle) was disconnected: it left (LEAVE, /quit or QUIT)."))
      << server.log_text();
  EXPECT_TRUE(server.wait_for_log(endpoint + " has disconnected.")) << server.log_text();

  auto zoe = connect_irc(server.irc_port(), "zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  const std::string zoe_at = zoe->line_client().local_endpoint();
  EXPECT_TRUE(server.wait_for_log(zoe_at + " is zoe.")) << server.log_text();
  zoe->close();
  EXPECT_TRUE(server.wait_for_log(zoe_at + " (zoe) was disconnected: the connection was closed by the peer."))
      << server.log_text();
}

TEST(ServerLog, JsonFormatWritesOneObjectPerLine) {
  ServerProcess server(ServerOptions{.threads = kThreads, .extra_args = {"--log-format", "json"}});
  auto raj = connect(server, "Raj \"Q\" Ingle");
  ASSERT_TRUE(raj->register_as("Raj \"Q\" Ingle"));
  const std::string endpoint = raj->local_endpoint();
  auto line = server.wait_for_log(endpoint + " is Raj \\\"Q\\\" Ingle.\"}");
  ASSERT_TRUE(line) << server.log_text();
  EXPECT_TRUE(line->starts_with("{\"time\":\"")) << *line;
  EXPECT_NE(line->find("\"level\":\"info\",\"message\":\""), std::string::npos) << *line;
  for (const auto& l : server.log_lines()) EXPECT_TRUE(l.starts_with("{") && l.ends_with("}")) << l;
}

TEST(ServerLog, BindTakesHostNamesAndSeveralAddresses) {
  TempDir data;
  ServerProcess server(ServerOptions{.threads = kThreads, .default_args = false,
                                     .extra_args = {"--bind", "localhost,127.0.0.2", "--text-port", "0", "--irc-port",
                                                    "0", "--threads", std::to_string(kThreads), "--data-dir",
                                                    data.path().string()}});
  EXPECT_TRUE(server.wait_for_log("Listening for text clients on 127.0.0.1:")) << server.log_text();
  auto line = server.wait_for_log("Listening for text clients on 127.0.0.2:");
  ASSERT_TRUE(line) << server.log_text();
  EXPECT_TRUE(line->ends_with(":" + std::to_string(server.port()))) << "one port for every address: " << *line;
  auto amy = connect(server, "Amy");
  EXPECT_TRUE(amy->register_as("Amy"));
}

}  // namespace
}  // namespace parley::test
