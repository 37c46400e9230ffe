// The web port of the real parleyd (issue 12): IRC over WebSocket beside text
// and IRC users in one room, the handshake's checks, the static files and
// probes, and the bounds on what a WebSocket client may send. Driven with
// tests/support/ws_client (plain sockets, not the server's Beast).

#include "irc_itest_util.hpp"
#include "metrics_util.hpp"
#include "ws_client.hpp"

namespace parley::test {
namespace {

class Web : public ::testing::Test {
 protected:
  std::unique_ptr<WsClient> ws(WsOptions options = {}, std::string label = "web") {
    return std::make_unique<WsClient>(server_.http_port(), std::move(options), std::move(label));
  }
  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
};

// Every message seen on every side: a browser-style client, an IRC client and
// an nc-style text user in #lobby.
TEST_F(Web, AWebSocketUserChatsWithIrcAndTextUsers) {
  ASSERT_NE(server_.http_port(), 0) << server_.log_text();
  auto raj = connect(server_, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto zoe = connect_irc(server_.irc_port(), "zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  ASSERT_TRUE(zoe->join("#lobby"));
  ASSERT_TRUE(raj->expect_line(joined_line("zoe")));

  auto web = ws();
  ASSERT_TRUE(web->upgraded()) << web->handshake().status << " " << web->handshake().body;
  ASSERT_TRUE(web->register_as("webby"));
  web->send("JOIN #lobby");
  ASSERT_TRUE(web->wait_for(irc_command("366"), "the end of NAMES for #lobby"));
  ASSERT_TRUE(raj->expect_line(joined_line("webby")));
  ASSERT_TRUE(zoe->expect_raw(":webby!~u@127.0.0.1 JOIN #lobby"));

  web->send("PRIVMSG #lobby :hello from a browser");
  ASSERT_TRUE(raj->expect_line(message_line("webby", "hello from a browser")));
  ASSERT_TRUE(zoe->expect_raw(":webby!~u@127.0.0.1 PRIVMSG #lobby :hello from a browser"));

  zoe->send("PRIVMSG #lobby :hello from irc");
  ASSERT_TRUE(raj->expect_line(message_line("zoe", "hello from irc")));
  ASSERT_TRUE(web->wait_for(irc_raw(":zoe!~u@127.0.0.1 PRIVMSG #lobby :hello from irc"), "zoe's message"));

  raj->send_line("hello from nc");
  ASSERT_TRUE(raj->expect_line(message_line("Raj Ingle", "hello from nc")));
  ASSERT_TRUE(zoe->expect_raw(":Raj_Ingle!text@127.0.0.1 PRIVMSG #lobby :hello from nc"));
  ASSERT_TRUE(web->wait_for(irc_raw(":Raj_Ingle!text@127.0.0.1 PRIVMSG #lobby :hello from nc"), "Raj's message"));

  web->send("QUIT :bye");
  ASSERT_TRUE(web->wait_for(irc_command("ERROR"), "ERROR after QUIT"));
  EXPECT_EQ(web->wait_close(), 1000);
  ASSERT_TRUE(zoe->expect_raw(":webby!~u@127.0.0.1 QUIT :Quit: bye"));
}

TEST_F(Web, SubprotocolsAreNegotiatedAsTheIrcv3SpecSays) {
  auto binary = ws({.subprotocols = "chat.example, binary.ircv3.net, text.ircv3.net"});
  ASSERT_TRUE(binary->upgraded());
  EXPECT_EQ(binary->handshake().header("sec-websocket-protocol"), "binary.ircv3.net");
  binary->send("PING :b");
  auto m = binary->next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, WsClient::Message::Kind::binary);
  EXPECT_NE(m->payload.find("PONG"), std::string::npos) << m->payload;

  auto text = ws({.subprotocols = "text.ircv3.net"});
  ASSERT_TRUE(text->upgraded());
  EXPECT_EQ(text->handshake().header("sec-websocket-protocol"), "text.ircv3.net");
  text->send("PING :t");
  m = text->next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, WsClient::Message::Kind::text);

  auto none = ws({.subprotocols = ""});
  ASSERT_TRUE(none->upgraded());
  EXPECT_EQ(none->handshake().header("sec-websocket-protocol"), "");
  none->send("PING :n");
  m = none->next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, WsClient::Message::Kind::text);

  auto other = ws({.subprotocols = "chat.example"});
  EXPECT_EQ(other->handshake().status, 400);
  EXPECT_NE(other->handshake().body.find("text.ircv3.net"), std::string::npos) << other->handshake().body;
}

TEST_F(Web, PagesFromOtherOriginsAreRefused) {
  const std::string self = "http://127.0.0.1:" + std::to_string(server_.http_port());
  auto evil = ws({.origin = "http://evil.example"});
  EXPECT_EQ(evil->handshake().status, 403);
  EXPECT_NE(evil->handshake().body.find("allowed_origins"), std::string::npos);
  EXPECT_TRUE(server_.wait_for_log("origin http://evil.example is not in [http] allowed_origins"));
  EXPECT_TRUE(ws({.origin = self})->upgraded());
  EXPECT_TRUE(ws({.origin = "HTTP://127.0.0.1:" + std::to_string(server_.http_port())})->upgraded());
  EXPECT_TRUE(ws({.origin = ""})->upgraded());  // not a browser: nothing to check
}

TEST(WebOrigins, ListedOriginsMayConnect) {
  ServerProcess server(ServerOptions{.config_toml = "[http]\nallowed_origins = [\"https://chat.example\"]\n"});
  EXPECT_TRUE(WsClient(server.http_port(), {.origin = "https://chat.example"}).upgraded());
  EXPECT_EQ(WsClient(server.http_port(), {.origin = "https://chat.example.evil"}).handshake().status, 403);
}

TEST_F(Web, ServesTheClientHealthAndMetrics) {
  auto health = http_get(server_.http_port(), "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");

  auto index = http_get(server_.http_port(), "/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("<script type=\"module\" src=\"/app.js\">"), std::string::npos) << index->body;
  const std::string& csp = index->header("content-security-policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(index->header("x-content-type-options"), "nosniff");
  EXPECT_FALSE(index->header("etag").empty());

  auto script = http_get(server_.http_port(), "/app.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->header("content-type"), "text/javascript; charset=utf-8");
  auto style = http_get(server_.http_port(), "/style.css");
  ASSERT_TRUE(style);
  EXPECT_EQ(style->header("content-type"), "text/css; charset=utf-8");

  // A browser revalidating what it has gets 304 and no body.
  auto again = http_exchange(server_.http_port(), "GET /app.js HTTP/1.1\r\nHost: x\r\nIf-None-Match: " +
                                                      script->header("etag") + "\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_EQ(again->body, "");

  auto metrics = http_get(server_.http_port(), "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("parley_websocket_connections 0"), std::string::npos) << metrics->body;
}

TEST_F(Web, MetricsMoveAsMessagesFlow) {
  auto before = http_get(server_.http_port(), "/metrics");
  ASSERT_TRUE(before);
  ASSERT_EQ(before->status, 200);
  EXPECT_NE(before->body.find("# TYPE parley_messages_in_total counter"), std::string::npos) << before->body;
  auto raj = connect(server_, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  ASSERT_TRUE(say(*raj, "Raj Ingle", "counted", {raj.get()}));
  auto after = http_get(server_.http_port(), "/metrics");
  ASSERT_TRUE(after);
  EXPECT_GE(metric_sum(after->body, "parley_messages_in_total"), metric_sum(before->body, "parley_messages_in_total") + 2)
      << "the name and the message";
  EXPECT_GE(metric_sum(after->body, "parley_registrations_total"),
            metric_sum(before->body, "parley_registrations_total") + 1);
  EXPECT_GE(metric_sum(after->body, "parley_deliveries_out_total"),
            metric_sum(before->body, "parley_deliveries_out_total") + 1);
  EXPECT_EQ(metric_sum(after->body, "parley_connections"), metric_sum(before->body, "parley_connections") + 1);
}

// Every place a line is refused counts under its reason, on every protocol.
TEST_F(Web, RejectedLinesAreCountedByReasonOnEveryProtocol) {
  auto zoe = connect_irc(server_.irc_port(), "zoe");
  zoe->send("PRIVMSG #lobby :before registering");
  ASSERT_TRUE(zoe->wait_for_command("451"));
  ASSERT_TRUE(zoe->register_as("zoe"));
  ASSERT_TRUE(zoe->join("#lobby"));
  zoe->send("FOOBAR x");
  ASSERT_TRUE(zoe->wait_for_command("421"));
  zoe->send("KICK");
  ASSERT_TRUE(zoe->wait_for_command("461"));
  zoe->send("@;a PING x");  // a tag with an empty key: no answer
  zoe->send_raw("PRIVMSG #lobby :caf\xe9\r\n");
  ASSERT_TRUE(zoe->wait_for_command("FAIL"));
  zoe->send(std::string("@a=").append(4100, 'v').append(" PING x"));  // tags past 4094 bytes, within the line limit
  ASSERT_TRUE(zoe->wait_for_command("417"));

  auto raj = connect(server_, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  raj->send_line("/nosuch");
  ASSERT_TRUE(raj->expect_line_prefix("Error: unknown command /nosuch"));
  raj->send_raw("caf\xe9\n");
  ASSERT_TRUE(raj->expect_line_prefix("Error: that line is not valid UTF-8"));
  raj->send_line(std::string(5000, 'x'));  // past limits.line_bytes (4096)
  ASSERT_TRUE(raj->expect_line_prefix("Error: that line is longer than"));
  auto browser_on_text_port = connect(server_, "GET");
  browser_on_text_port->send_raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(browser_on_text_port->expect_line_prefix("Welcome to Chat room."));
  ASSERT_TRUE(browser_on_text_port->expect_line_prefix("HTTP/1.1 400"));
  for (int lines = 0; lines < 20; ++lines) {  // the rest of the answer, then the close
    if (browser_on_text_port->read().status != LineClient::Status::line) break;
  }
  ASSERT_TRUE(browser_on_text_port->closed());

  auto web = ws();
  ASSERT_TRUE(web->register_as("webby"));
  web->send("NOSUCH");
  ASSERT_TRUE(web->wait_for(irc_command("421"), "421"));
  web->send(std::string(5000, 'w'));  // past the IRC line limit, within max_frame_bytes
  ASSERT_TRUE(web->wait_for(irc_command("417"), "417"));

  const std::string rejected = "parley_rejected_lines_total{reason=\"";
  EXPECT_TRUE(metric_reaches(server_.http_port(), rejected + "too_long\"}", 3));  // IRC tags, text line, WebSocket
  EXPECT_TRUE(metric_reaches(server_.http_port(), rejected + "invalid_utf8\"}", 2));
  EXPECT_TRUE(metric_reaches(server_.http_port(), rejected + "malformed\"}", 1));
  EXPECT_TRUE(metric_reaches(server_.http_port(), rejected + "unknown_command\"}", 3));
  EXPECT_TRUE(metric_reaches(server_.http_port(), rejected + "not_registered\"}", 1));
  EXPECT_TRUE(metric_reaches(server_.http_port(), rejected + "missing_parameters\"}", 1));
  EXPECT_TRUE(metric_reaches(server_.http_port(), rejected + "wrong_protocol\"}", 1));

  // The WebSocket session counts as the web port's connection.
  const std::string web_kind = "{protocol=\"web\",tls=\"false\"}";
  EXPECT_TRUE(metric_reaches(server_.http_port(), std::string("parley_connections").append(web_kind), 1));
  EXPECT_TRUE(metric_reaches(server_.http_port(), std::string("parley_registrations_total").append(web_kind), 1));
  EXPECT_TRUE(metric_reaches(server_.http_port(), std::string("parley_messages_in_total").append(web_kind), 4));  // NICK, USER, 2 refused
  web->send("QUIT");
  EXPECT_EQ(web->wait_close(), 1000);
  EXPECT_TRUE(metric_reaches(server_.http_port(), std::string("parley_connections").append(web_kind), 0));
  // The web client's QUIT, and the HTTP request on the text port (answered, then closed as a leave).
  EXPECT_TRUE(metric_reaches(server_.http_port(), "parley_disconnects_total{reason=\"quit\"}", 2));
  EXPECT_TRUE(metric_reaches(server_.http_port(), "parley_outbox_bytes", 0));  // the web port's queues too
}

TEST_F(Web, UnknownPathsAre404AndOtherMethods405) {
  auto missing = http_get(server_.http_port(), "/no-such-file.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto post = http_get(server_.http_port(), "/", "POST");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->header("allow"), "GET, HEAD");
  auto garbage = http_exchange(server_.http_port(), "NOT HTTP AT ALL\r\n\r\n");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
  // The port still serves others.
  auto health = http_get(server_.http_port(), "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// One IRC line per message, up to the IRC port's line limit (a 4094-byte tag
// section, a space and a 510-byte body: 4606 bytes). A message one byte
// longer is discarded with 417 and the connection goes on; a frame past
// [http] max_frame_bytes closes it with 1009, the size the spec names.
TEST_F(Web, MessagesAreBoundedAtTheIrcLineLimit) {
  auto web = ws();
  ASSERT_TRUE(web->register_as("webby"));
  const std::string tags = "@+t=" + std::string(4094 - 3, 'x');
  const std::string at_limit = tags + " PING :" + std::string(510 - 6, 'y');
  ASSERT_EQ(at_limit.size(), 4606u);
  web->send(at_limit);
  IrcMessage pong;
  ASSERT_TRUE(web->wait_for(irc_command("PONG"), "PONG to the line at the limit", &pong));
  EXPECT_FALSE(pong.last().empty());  // the server's own 512-byte limit shortens the echo
  EXPECT_EQ(pong.last().find_first_not_of('y'), std::string::npos) << pong.raw;

  web->send(at_limit + "y");
  ASSERT_TRUE(web->wait_for(irc_command("417"), "417 for the line past the limit"));
  web->send("PING :still here");
  ASSERT_TRUE(web->wait_for(irc_command("PONG"), "PONG after the long line", &pong));
  EXPECT_EQ(pong.last(), "still here");

  web->send_oversized(64 * 1024 + 1);
  EXPECT_EQ(web->wait_close(), 1009);
  EXPECT_TRUE(server_.wait_for_log("a message over 65536 bytes (closed with 1009)"));
}

// A stopping server tells WebSocket users, as it tells IRC users.
TEST_F(Web, ShutdownSaysErrorThenCloses) {
  auto web = ws();
  ASSERT_TRUE(web->register_as("webby"));
  server_.send_signal(SIGTERM);
  IrcMessage error;
  ASSERT_TRUE(web->wait_for(irc_command("ERROR"), "ERROR at shutdown", &error));
  EXPECT_NE(error.last().find("shutting down"), std::string::npos) << error.raw;
  EXPECT_EQ(web->wait_close(), 1000);
  auto status = server_.wait_exit();
  ASSERT_TRUE(status && status->exited()) << server_.log_text();
  EXPECT_EQ(status->code(), 0);
}

}  // namespace
}  // namespace parley::test

namespace parley::test {
namespace {

// A client that never answers the closing handshake holds the shutdown no
// longer than the grace, and the server still exits cleanly.
TEST(WebShutdown, ASilentClientCannotHoldTheServerPastTheGrace) {
  ServerProcess server(ServerOptions{.threads = kThreads, .config_toml = "shutdown_grace_seconds = 1\n"});
  WsClient web(server.http_port());
  ASSERT_TRUE(web.register_as("webby"));
  server.send_signal(SIGTERM);  // the client reads nothing more: no close frame goes back
  auto status = server.wait_exit(scaled(std::chrono::seconds(15)));
  ASSERT_TRUE(status && status->exited()) << (status ? status->describe() : "still running") << server.log_text();
  EXPECT_EQ(status->code(), 0);
  EXPECT_TRUE(server.wait_for_log("did not finish within the shutdown grace"));
}

}  // namespace
}  // namespace parley::test

namespace parley::test {
namespace {

// [http] connections_per_address, at and past its edge (loopback is exempt
// unless exempt_networks says otherwise).
TEST(WebLimits, ConnectionsPerAddressAreCounted) {
  ServerProcess server(ServerOptions{
      .threads = kThreads,
      .config_toml = "[limits]\nexempt_networks = []\n[http]\nconnections_per_address = 2\n"});
  WsClient first(server.http_port(), {}, "first");
  WsClient second(server.http_port(), {}, "second");
  ASSERT_TRUE(first.upgraded());
  ASSERT_TRUE(second.upgraded());
  EXPECT_THROW(WsClient(server.http_port(), {}, "third"), std::runtime_error);  // closed before any answer
  EXPECT_TRUE(server.wait_for_log("refused: too many connections from its address"));
  first.send("QUIT");
  EXPECT_EQ(first.wait_close(), 1000);
  // The count goes down when a connection ends (reported on loop 0 a moment later).
  std::optional<HttpResponse> health;
  for (auto deadline = Clock::now() + default_timeout(); !health && Clock::now() < deadline;) {
    try {
      health = http_get(server.http_port(), "/healthz");
    } catch (const std::exception&) {
    }
  }
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// A request must be complete within handshake_timeout_seconds.
TEST(WebLimits, ASlowRequestIsClosedAfterTheHandshakeTimeout) {
  ServerProcess server(ServerOptions{.threads = kThreads, .config_toml = "[http]\nhandshake_timeout_seconds = 1\n"});
  const auto start = Clock::now();
  auto response = http_exchange(server.http_port(), "GET / HTTP/1.1\r\nHost: x\r\n", scaled(std::chrono::seconds(5)));
  EXPECT_FALSE(response);  // closed, unanswered
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, scaled(std::chrono::seconds(4)));
}

// The outbox limit is the TCP path's: it applies to what the socket would not
// take. A client that reads gets a burst many times [http] outbox_bytes
// (written in a few passes, one write each), all of it, in order.
TEST(WebLimits, AReadingClientGetsABurstLargerThanTheOutboxLimit) {
  ServerProcess server(ServerOptions{.threads = kThreads,
                                     .config_toml = unlimited_config() + "[http]\noutbox_bytes = 1024\n"});
  auto web = std::make_unique<WsClient>(server.http_port(), WsOptions{}, "reader");
  ASSERT_TRUE(web->register_as("reader"));
  web->send("JOIN #lobby");
  ASSERT_TRUE(web->wait_for(irc_command("366"), "the end of NAMES"));
  auto zoe = connect_irc(server.irc_port(), "zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  ASSERT_TRUE(zoe->join("#lobby"));
  const std::string filler(300, 'x');
  constexpr int kBurst = 40;  // ~13 KB: more than ten times the limit
  std::string burst;
  for (int i = 0; i < kBurst; ++i) burst.append("PRIVMSG #lobby :").append(std::to_string(i)).append(" ").append(filler).append("\r\n");
  zoe->send_raw(burst);
  for (int i = 0; i < kBurst; ++i) {
    ASSERT_TRUE(web->wait_for(irc_raw(std::string(":zoe!~u@127.0.0.1 PRIVMSG #lobby :").append(std::to_string(i)).append(" ").append(filler)),
                              std::string("message ").append(std::to_string(i))));
  }
  web->send("QUIT");
  EXPECT_EQ(web->wait_close(), 1000);
}

// Past the limit: a WebSocket client that stops reading is disconnected as too
// slow; the room goes on. What its socket still holds is whole frames: a
// prefix of the messages in order, perhaps the farewell, then the close.
TEST(WebLimits, AClientThatStopsReadingIsDisconnectedWithWholeFrames) {
  ServerProcess server(ServerOptions{.threads = kThreads,
                                     .config_toml = unlimited_config() + "[http]\noutbox_bytes = 4096\n"});
  auto slow = std::make_unique<WsClient>(server.http_port(), WsOptions{}, "slow");
  ASSERT_TRUE(slow->register_as("slowpoke"));
  slow->send("JOIN #lobby");
  ASSERT_TRUE(slow->wait_for(irc_command("366"), "the end of NAMES"));
  auto zoe = connect_irc(server.irc_port(), "zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  ASSERT_TRUE(zoe->join("#lobby"));
  const std::string filler(400, 'y');  // within the IRC line limit
  auto text_of = [&](int i) { return std::to_string(i) + " " + filler; };
  // Until the server says so: the kernel's buffers take some megabytes first.
  int sent = 0;
  bool disconnected = false;
  const auto deadline = Clock::now() + scaled(std::chrono::seconds(60));
  while (!disconnected && Clock::now() < deadline) {
    std::string batch;
    for (int i = 0; i < 200; ++i) batch.append("PRIVMSG #lobby :").append(text_of(sent++)).append("\r\n");
    zoe->send_raw(batch);
    disconnected = server.wait_for_log("(slowpoke) disconnected: too slow", std::chrono::milliseconds(20)).has_value();
  }
  ASSERT_TRUE(disconnected) << "slowpoke was never disconnected after " << sent << " messages";
  // zoe is still served.
  ASSERT_TRUE(zoe->join("#after"));

  int next = 0;
  bool farewell = false;
  for (;;) {
    auto m = slow->next();
    // The end of the connection without a close frame is an end too: under
    // load the client may not have read its way to the farewell before the
    // server's time to finish closing ran out ("did not finish closing").
    if (!m && slow->closed()) break;
    ASSERT_TRUE(m) << "neither a close frame nor the end of the connection after " << next << " messages";
    if (m->kind == WsClient::Message::Kind::close) break;
    ASSERT_FALSE(farewell) << "a message after the farewell: " << m->payload;
    if (m->payload.starts_with("ERROR ")) {
      farewell = true;
      continue;
    }
    if (next == 0 && m->payload.find(" PRIVMSG ") == std::string::npos) continue;  // zoe's JOIN
    ASSERT_EQ(m->payload, std::string(":zoe!~u@127.0.0.1 PRIVMSG #lobby :").append(text_of(next))) << "message " << next;
    ++next;
  }
  EXPECT_LT(next, sent);
}

}  // namespace
}  // namespace parley::test
