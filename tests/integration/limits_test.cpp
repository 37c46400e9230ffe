// Input limits (docs/text-protocol.md, "Limits and disconnections"): pacing,
// connections per address, the name timeout.

#include "itest_util.hpp"

namespace parley::test {
namespace {

// Lines sent faster than messages_per_second are not dropped: the server
// reads them more slowly. 15 lines at 5/s with a burst of 5 need about 2 s;
// only a lower bound is asserted, which holds however loaded the machine is.
TEST(Limits, RateLimitPacesWithoutDropping) {
  ServerProcess server(ServerOptions{.config_toml = "[limits]\nmessages_per_second = 5\nmessage_burst = 5\n"});
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto zoe = connect(server, "Zoë");
  ASSERT_TRUE(join_room(*zoe, "Zoë", {raj.get()}));

  std::string burst;
  for (int i = 1; i <= 15; ++i) burst += "paced " + std::to_string(i) + "\n";
  auto start = Clock::now();
  raj->send_raw(burst);
  for (int i = 1; i <= 15; ++i) {
    ASSERT_TRUE(zoe->expect_line(message_line("Raj Ingle", "paced " + std::to_string(i)), scaled(30s)));
  }
  auto elapsed = Clock::now() - start;
  for (int i = 1; i <= 15; ++i) {
    ASSERT_TRUE(raj->expect_line(message_line("Raj Ingle", "paced " + std::to_string(i))));
  }
  EXPECT_GT(elapsed, 1s) << "15 lines at 5/s (burst 5) were all delivered within "
                         << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms";
  // Zoë's own lines are not held back by Raj's pacing.
  ASSERT_TRUE(say(*zoe, "Zoë", "my turn", {zoe.get(), raj.get()}));
}

// The third connection from one address is turned away; other addresses,
// and the same address once a slot is free, are not. Loopback is exempt by
// default, so this server exempts nothing.
TEST(Limits, ConnectionsPerAddress) {
  ServerProcess server(
      ServerOptions{.config_toml = "[limits]\nconnections_per_address = 2\nexempt_networks = []\n"});
  auto first = connect(server, "first");
  ASSERT_TRUE(first->register_as("Raj Ingle"));
  auto second = connect(server, "second");
  ASSERT_TRUE(second->expect_line(kGreeting));

  auto third = connect(server, "third");
  // The refusal is the last line; the doc does not say whether the greeting
  // comes before it, so a greeting is allowed.
  auto line = third->read_line();
  if (line == std::string(kGreeting)) line = third->read_line();
  ASSERT_EQ(line.value_or("(no line)"), "Disconnected: too many connections from your address.");
  ASSERT_TRUE(third->expect_closed());

  // Another loopback address has its own allowance.
  auto other = connect(server, "other", ClientOptions{.source_address = "127.0.0.2"});
  ASSERT_TRUE(other->register_as("Zoë"));
  ASSERT_TRUE(first->expect_line(joined_line("Zoë")));

  // Once one of the two is gone, 127.0.0.1 may connect again.
  const std::string endpoint = second->local_endpoint();
  second->close();
  ASSERT_TRUE(server.wait_for_log(endpoint + " has disconnected."))
      << "no \"" << endpoint << " has disconnected.\" in the log:\n"
      << server.log_text();
  auto again = connect(server, "again");
  ASSERT_TRUE(again->register_as("Keerthi Reddy Kandi"));
  ASSERT_TRUE(first->expect_line(joined_line("Keerthi Reddy Kandi")));
  ASSERT_TRUE(other->expect_line(joined_line("Keerthi Reddy Kandi")));
}

// Whether a connection was greeted (accepted) or told it is one too many.
::testing::AssertionResult refused_as_too_many(LineClient& client) {
  auto line = client.read_line();
  if (line == std::string(kGreeting)) line = client.read_line();
  if (line != std::string("Disconnected: too many connections from your address."))
    return ::testing::AssertionFailure() << "not refused; got " << line.value_or("(no line)");
  return client.expect_closed();
}

// Loopback (127.0.0.0/8, ::1) is exempt by default: a bouncer or a web
// gateway on the same host connects all its users from there.
TEST(Limits, LoopbackIsExemptByDefault) {
  ServerProcess server(ServerOptions{.config_toml = "[limits]\nconnections_per_address = 2\n"});
  std::vector<std::unique_ptr<LineClient>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(connect(server, "lounge " + std::to_string(i)));
    ASSERT_TRUE(clients.back()->expect_line(kGreeting)) << "connection " << i + 1 << " from 127.0.0.1";
  }
  auto other = connect(server, "other", ClientOptions{.source_address = "127.0.0.2"});
  ASSERT_TRUE(other->expect_line(kGreeting));
  clients.back()->send_line("Raj Ingle");
  ASSERT_TRUE(clients.back()->expect_line(welcome_line("Raj Ingle")));
  ASSERT_TRUE(say(*clients.back(), "Raj Ingle", "all five of us", {clients.back().get()}));
}

// exempt_networks in CIDR form: 127.0.0.4/30 is 127.0.0.4 to 127.0.0.7.
// The last address inside goes past the limit; the first outside has it:
// its second connection is accepted, its third refused.
TEST(Limits, ExemptNetworksAtTheEdge) {
  ServerProcess server(ServerOptions{
      .config_toml = "[limits]\nconnections_per_address = 2\nexempt_networks = [\"127.0.0.4/30\"]\n"});
  std::vector<std::unique_ptr<LineClient>> inside;
  for (int i = 0; i < 3; ++i) {
    inside.push_back(connect(server, "inside " + std::to_string(i), ClientOptions{.source_address = "127.0.0.7"}));
    ASSERT_TRUE(inside.back()->expect_line(kGreeting)) << "connection " << i + 1 << " from 127.0.0.7";
  }
  auto first = connect(server, "outside 1", ClientOptions{.source_address = "127.0.0.8"});
  ASSERT_TRUE(first->expect_line(kGreeting));
  auto second = connect(server, "outside 2", ClientOptions{.source_address = "127.0.0.8"});
  ASSERT_TRUE(second->expect_line(kGreeting));
  auto third = connect(server, "outside 3", ClientOptions{.source_address = "127.0.0.8"});
  ASSERT_TRUE(refused_as_too_many(*third));
  // 127.0.0.1 is outside the configured list, which replaced the default.
  auto a = connect(server, "a");
  ASSERT_TRUE(a->expect_line(kGreeting));
  auto b = connect(server, "b");
  ASSERT_TRUE(b->expect_line(kGreeting));
  auto c = connect(server, "c");
  ASSERT_TRUE(refused_as_too_many(*c));
}

// A bad network stops the server at start, naming the key and the value.
TEST(Limits, BadExemptNetworkIsAConfigError) {
  ServerProcess server(ServerOptions{.config_toml = "[limits]\nexempt_networks = [\"10.0.0.0/33\"]\n",
                                     .wait_until_ready = false});
  const auto status = server.wait_exit(scaled(20s));
  ASSERT_TRUE(status.has_value()) << "parleyd did not exit:\n" << server.log_text();
  EXPECT_TRUE(status->exited() && status->code() == 2) << status->describe();
  const std::string log = server.log_text();
  EXPECT_NE(log.find(server.config_path().string() +
                     ": limits.exempt_networks[0]: '10.0.0.0/33' is not a network in CIDR form"),
            std::string::npos)
      << log;
}

// A connection that never enters a name is closed after
// limits.name_timeout_seconds, with a last line saying why.
TEST(Limits, NameTimeout) {
  ServerProcess server(ServerOptions{.config_toml = "[limits]\nname_timeout_seconds = 1\n"});
  // Raj sends his name at once, well inside the second.
  auto raj = connect(server, "Raj Ingle");
  raj->send_line("Raj Ingle");
  ASSERT_TRUE(raj->expect_line(kGreeting));
  ASSERT_TRUE(raj->expect_line(welcome_line("Raj Ingle")));

  auto start = Clock::now();
  auto silent = connect(server, "silent");
  auto typing = connect(server, "typing");
  ASSERT_TRUE(silent->expect_line(kGreeting));
  ASSERT_TRUE(typing->expect_line(kGreeting));
  typing->send_raw("Half a na");  // a name without its line end is no name

  std::string last;
  ASSERT_TRUE(silent->expect_line_prefix("Disconnected: no name was entered", &last));
  auto elapsed = Clock::now() - start;
  ASSERT_TRUE(silent->expect_closed());
  EXPECT_EQ(last, "Disconnected: no name was entered within 1 seconds.");
  EXPECT_GE(elapsed, 900ms) << "closed before the 1 s name timeout";
  ASSERT_TRUE(typing->expect_line_prefix("Disconnected: no name was entered", &last));
  ASSERT_TRUE(typing->expect_closed());

  // Raj, registered long before the timeout passed, is untouched and no
  // departure was announced for the nameless ones.
  ASSERT_TRUE(say(*raj, "Raj Ingle", "still here", {raj.get()}));
}

// The timeout does not apply once a name was accepted, even after refusals.
TEST(Limits, NameTimeoutStopsAtRegistration) {
  ServerProcess server(ServerOptions{.config_toml = "[limits]\nname_timeout_seconds = 1\n"});
  auto zoe = connect(server, "Zoë");
  zoe->send_raw("bad:name\nZoë\n");
  ASSERT_TRUE(zoe->expect_line(kGreeting));
  ASSERT_TRUE(zoe->expect_line("Error: a name cannot contain ':'."));
  ASSERT_TRUE(zoe->expect_line("Please enter a different name."));
  ASSERT_TRUE(zoe->expect_line(welcome_line("Zoë")));
  // Wait past the timeout by watching another connection time out.
  auto silent = connect(server, "silent");
  ASSERT_TRUE(silent->expect_line(kGreeting));
  ASSERT_TRUE(silent->expect_line_prefix("Disconnected: no name was entered"));
  ASSERT_TRUE(silent->expect_closed());
  ASSERT_TRUE(say(*zoe, "Zoë", "not timed out", {zoe.get()}));
}

// max_connections: past it, "Disconnected: the server is full."
TEST(Limits, MaxConnections) {
  ServerProcess server(ServerOptions{.config_toml = "[limits]\nmax_connections = 2\nconnections_per_address = 0\n"});
  auto a = connect(server, "a");
  ASSERT_TRUE(a->register_as("Raj Ingle"));
  auto b = connect(server, "b", ClientOptions{.source_address = "127.0.0.3"});
  ASSERT_TRUE(b->expect_line(kGreeting));
  auto c = connect(server, "c", ClientOptions{.source_address = "127.0.0.4"});
  auto line = c->read_line();
  if (line == std::string(kGreeting)) line = c->read_line();
  ASSERT_EQ(line.value_or("(no line)"), "Disconnected: the server is full.");
  ASSERT_TRUE(c->expect_closed());
  ASSERT_TRUE(say(*a, "Raj Ingle", "still fine", {a.get()}));
}

// A silent IRC client is PINGed after [irc] ping_seconds, closed with
// "ERROR :Closing link: Ping timeout" after as long again, and its channels
// hear it quit; a client that answers stays. A text user may be silent as long
// as they like (a second server-side interval passes without a word to them).
TEST(Limits, IrcPingTimeout) {
  ServerProcess server(ServerOptions{.config_toml = "[irc]\nping_seconds = 1\n"});
  LineClient text(server.port());
  ASSERT_TRUE(text.register_as("Raj Ingle"));

  auto irc_register = [&](LineClient& c, std::string_view nick) {
    c.send_raw(std::string("NICK ") + std::string(nick) + "\r\nUSER u 0 * :U\r\nJOIN #lobby\r\n");
    const std::string join = std::string(":") + std::string(nick) + "!~u@127.0.0.1 JOIN #lobby";
    while (auto line = c.read_line()) {
      if (line->starts_with(join)) return true;
    }
    return false;
  };
  LineClient silent(server.irc_port());
  LineClient lively(server.irc_port());
  ASSERT_TRUE(irc_register(silent, "quiet"));
  ASSERT_TRUE(irc_register(lively, "lively"));

  // The lively client answers its PINGs; the silent one does not.
  bool silent_pinged = false, silent_closed = false;
  const auto deadline = Clock::now() + scaled(std::chrono::seconds(20));
  while (!silent_closed && Clock::now() < deadline) {
    if (auto line = lively.read_line(std::chrono::milliseconds(50)); line && line->starts_with("PING ")) {
      lively.send_raw("PONG " + line->substr(5, line->find('\r') - 5) + "\r\n");
    }
    auto line = silent.read_line(std::chrono::milliseconds(50));
    if (!line) continue;
    if (line->starts_with("PING ")) silent_pinged = true;
    if (line->starts_with("ERROR :Closing link: Ping timeout")) silent_closed = true;
  }
  EXPECT_TRUE(silent_pinged);
  ASSERT_TRUE(silent_closed);
  EXPECT_TRUE(silent.expect_closed());
  EXPECT_TRUE(text.expect_line("quiet has joined the chat room!"));
  EXPECT_TRUE(text.expect_line("lively has joined the chat room!"));
  EXPECT_TRUE(text.expect_line("quiet left the chat room (Ping timeout)."));
  lively.send_raw("PRIVMSG #lobby :still here\r\n");
  EXPECT_TRUE(text.expect_line("Message from User - lively: still here"));
}

}  // namespace
}  // namespace parley::test
