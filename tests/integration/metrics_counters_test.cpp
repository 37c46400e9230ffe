// The network layer's counters move as connections come, talk and go: a real
// net::Server in this process on a loopback port, with an echo protocol, read
// through metrics::prometheus_text as /metrics would.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include "line_client.hpp"
#include "metrics/render.h"
#include "net/loop_pool.h"
#include "net/server.h"

namespace parley::test {
namespace {

using namespace std::chrono_literals;

// Registered after its first line; echoes each line; "bye" ends it.
class EchoSession final : public session::ProtocolSession {
 public:
  explicit EchoSession(session::Outbound& out) : out_(out) {}
  void start() override { out_.send("hello\n"); }
  void on_line(std::string_view line) override {
    registered_ = true;
    if (line == "bye") return out_.close_after_flush(session::CloseReason::client_left);
    out_.send(std::string(line) + "\n");
  }
  void on_line_too_long(std::size_t) override { out_.send("too long\n"); }
  bool registered() const override { return registered_; }
  void on_input_ended() override { out_.close_after_flush(session::CloseReason::peer_closed); }
  void on_closed(session::CloseReason) override {}
  std::string log_name() const override { return {}; }

 private:
  session::Outbound& out_;
  bool registered_ = false;
};

// The value of one sample line ("parley_x{labels} 3"), -1 if absent.
double sample(const std::string& text, const std::string& name_and_labels) {
  const auto at = text.find("\n" + name_and_labels + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name_and_labels.size() + 2));
}

class MetricsCounters : public ::testing::Test {
 protected:
  void SetUp() override {
    net::Protocol echo{"echo",
                       [](core::LoopIndex, session::Outbound& out, const std::string&) {
                         return std::make_unique<EchoSession>(out);
                       },
                       [](session::CloseReason) { return std::string(); }};
    net::ConnectionSettings settings;
    settings.messages_per_second = 0;
    settings.line_bytes = 64;
    port_ = server_.listen("127.0.0.1", 0, echo, settings);
    server_.start();
    pool_.start();
  }
  void TearDown() override {
    pool_.stop();
    pool_.join();
  }
  std::string text() { return metrics::prometheus_text(server_.metrics()); }
  // Waits (with a deadline) for a sample to reach `want`.
  ::testing::AssertionResult reaches(const std::string& name_and_labels, double want) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    double got = -1;
    while (std::chrono::steady_clock::now() < deadline) {
      got = sample(text(), name_and_labels);
      if (got == want) return ::testing::AssertionSuccess();
      std::this_thread::sleep_for(5ms);  // polling a value with a deadline, not synchronising on time
    }
    return ::testing::AssertionFailure() << name_and_labels << " is " << got << ", not " << want << "\n" << text();
  }

  net::LoopPool pool_{2};
  net::Server server_{pool_, net::ServerLimits{}};
  std::uint16_t port_ = 0;
};

TEST_F(MetricsCounters, MoveAsClientsConnectTalkAndLeave) {
  const std::string kind = "{protocol=\"echo\",tls=\"false\"}";
  EXPECT_EQ(0, sample(text(), "parley_connections" + kind));
  LineClient a(port_), b(port_);
  ASSERT_TRUE(a.expect_line("hello"));
  ASSERT_TRUE(b.expect_line("hello"));
  EXPECT_TRUE(reaches("parley_connections" + kind, 2));
  EXPECT_TRUE(reaches("parley_connections_accepted_total" + kind, 2));

  a.send_line("one");
  ASSERT_TRUE(a.expect_line("one"));
  a.send_line("two");
  ASSERT_TRUE(a.expect_line("two"));
  b.send_line(std::string(100, 'x'));  // past line_bytes
  ASSERT_TRUE(b.expect_line("too long"));
  EXPECT_TRUE(reaches("parley_messages_in_total" + kind, 3));
  EXPECT_TRUE(reaches("parley_rejected_lines_total{reason=\"too_long\"}", 1));
  EXPECT_TRUE(reaches("parley_registrations_total" + kind, 1));  // b's only line was refused before the codec
  // hello ×2, one, two, too long.
  EXPECT_TRUE(reaches("parley_deliveries_out_total" + kind, 5));
  EXPECT_TRUE(reaches("parley_bytes_out_total" + kind, 6 + 6 + 4 + 4 + 9));
  EXPECT_TRUE(reaches("parley_outbox_bytes", 0));  // all written

  a.send_line("bye");
  EXPECT_TRUE(a.expect_closed());
  EXPECT_TRUE(reaches("parley_disconnects_total{reason=\"quit\"}", 1));
  EXPECT_TRUE(reaches("parley_connections" + kind, 1));
  const std::string t = text();
  EXPECT_TRUE(std::regex_search(t, std::regex("\nparley_loop_lag_seconds\\{loop=\"1\"\\} [0-9.e-]+\n"))) << t;
}

}  // namespace
}  // namespace parley::test
