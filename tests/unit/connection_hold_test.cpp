// net::Connection::send_relayed: others' room messages to a connection
// written to lately wait for the loop's write hold while the loop is busy
// (issue 14); send_unhurried: others' JOIN and PART lines wait for a delay
// since the last write. Over a real loopback TCP connection on a real io_context. The
// loop's load is made up (WriteHold::sample); the hold is long where a test
// checks that nothing was written yet, so a slow machine cannot pass it.
#include "net/connection.h"

#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/loop_owned.h"

namespace parley::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

class QuietSession final : public session::ProtocolSession {
 public:
  void start() override {}
  void on_line(std::string_view) override {}
  void on_line_too_long(std::size_t) override {}
  bool registered() const override { return true; }
  void on_input_ended() override {}
  void on_closed(session::CloseReason) override {}
  std::string log_name() const override { return "quiet"; }
};

class ConnectionHold : public ::testing::Test {
 protected:
  void SetUp() override {
    tcp::acceptor acceptor(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    peer_.connect(acceptor.local_endpoint());
    tcp::socket accepted(io_);
    acceptor.accept(accepted);
    peer_.non_blocking(true);
    auto endpoint = std::make_shared<Endpoint>();
    endpoint->protocol.name = "test";
    endpoint->protocol.make_session = [](core::LoopIndex, session::Outbound&, const std::string&) {
      return std::make_unique<QuietSession>();
    };
    endpoint->protocol.farewell = [](session::CloseReason) { return std::string(); };
    connection_ = std::make_shared<Connection>(loop_, 1, std::move(accepted), "127.0.0.1:1", endpoint, false);
    connection_->start();
  }
  void TearDown() override { connection_->abort(session::CloseReason::shutdown); }

  // Makes the loop look fully busy for long enough that its hold is `most`.
  void busy_loop(std::chrono::microseconds most) {
    loop_.write_hold = WriteHold(most);
    auto t = std::chrono::steady_clock::now();
    std::chrono::nanoseconds cpu{0};
    loop_.write_hold.sample(t, cpu);
    for (int i = 0; i < 100; ++i) loop_.write_hold.sample(t += WriteHold::kWindow, cpu += WriteHold::kWindow);
    ASSERT_EQ(loop_.write_hold.hold(), most);
  }
  // One loop pass: what is ready, then the pass's flushes.
  void pass() {
    io_.poll();
    loop_.run_flushes();
  }
  // What the peer has received so far, without waiting.
  std::string received_now() {
    std::string got;
    char buf[65536];
    boost::system::error_code ec;
    for (;;) {
      const std::size_t n = peer_.read_some(asio::buffer(buf), ec);
      if (ec || n == 0) return got;
      got.append(buf, n);
    }
  }
  // Passes until the peer has `want` bytes (or 5 s have gone).
  std::string receive(std::size_t want) {
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (got.size() < want && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(5ms);
      loop_.run_flushes();
      got += received_now();
    }
    return got;
  }
  void expect_receives(std::string_view text) { EXPECT_EQ(receive(text.size()), text); }

  asio::io_context io_{1};
  core::ThisLoop on_loop_{0};
  LoopState loop_{io_, 0};
  tcp::socket peer_{io_};
  std::shared_ptr<Connection> connection_;
};

TEST_F(ConnectionHold, AnIdleLoopWritesRelayedLinesAtTheEndOfThePass) {
  connection_->send_relayed("one\n");
  pass();
  expect_receives("one\n");
  connection_->send_relayed("two\n");  // just written to, but nothing is held on an idle loop
  pass();
  expect_receives("two\n");
  EXPECT_EQ(loop_.metrics->held_writes.get(), 0);
}

TEST_F(ConnectionHold, ABusyLoopHoldsLinesToAConnectionWrittenToLately) {
  busy_loop(std::chrono::seconds(100));
  connection_->send_relayed("one\n");  // never written to: at once
  pass();
  expect_receives("one\n");
  connection_->send_relayed("two\n");
  connection_->send_relayed("three\n");
  pass();
  pass();
  EXPECT_EQ(received_now(), "");  // held: the hold is 100 s
  EXPECT_EQ(loop_.metrics->held_writes.get(), 1);  // one write put off, however many lines
  // An answer to the connection's own command is never held, and takes the held lines along, in order.
  connection_->send("answer\n");
  pass();
  expect_receives("two\nthree\nanswer\n");
}

TEST_F(ConnectionHold, ABlocksWorthIsWrittenAtOnceHeldOrNot) {
  busy_loop(std::chrono::seconds(100));
  connection_->send_relayed("first\n");
  pass();
  expect_receives("first\n");
  std::string expected;
  const std::string line(99, 'x');
  while (expected.size() < WriteHold::kWriteAtOnceBytes) {
    connection_->send_relayed(line + "\n");
    expected += line + "\n";
  }
  pass();
  expect_receives(expected);
}

TEST_F(ConnectionHold, HeldLinesAreWrittenWhenTheHoldHasPassedWithNothingElseToPushThem) {
  busy_loop(50ms);
  connection_->send_relayed("one\n");
  pass();
  expect_receives("one\n");
  connection_->send_relayed("two\n");
  connection_->send_relayed("three\n");
  pass();
  expect_receives("two\nthree\n");  // the loop's held timer wrote them
  EXPECT_EQ(loop_.metrics->held_writes.get(), 1);
}

TEST_F(ConnectionHold, ZeroMostNeverHolds) {
  busy_loop(0us);
  connection_->send_relayed("one\n");
  pass();
  expect_receives("one\n");
  connection_->send_relayed("two\n");
  pass();
  expect_receives("two\n");
}

TEST_F(ConnectionHold, UnhurriedLinesWaitForTheDelaySinceTheLastWrite) {
  loop_.unhurried_delay = std::chrono::seconds(100);
  connection_->send_unhurried("one\n");  // never written to: at once
  pass();
  expect_receives("one\n");
  connection_->send_unhurried("two\n");
  connection_->send_unhurried("three\n");
  pass();
  pass();
  EXPECT_EQ(received_now(), "");  // the delay is 100 s
  EXPECT_EQ(loop_.held.size(), 1u);  // one write put off, however many lines
  connection_->send("answer\n");  // never held; takes the held lines along, in order
  pass();
  expect_receives("two\nthree\nanswer\n");
}

TEST_F(ConnectionHold, UnhurriedLinesAreWrittenWhenTheDelayHasPassed) {
  loop_.unhurried_delay = 50ms;
  connection_->send_unhurried("one\n");
  pass();
  expect_receives("one\n");
  connection_->send_unhurried("two\n");
  pass();
  expect_receives("two\n");  // the loop's held timer wrote it
}

TEST_F(ConnectionHold, UnhurriedDueTimesShareAGridAtOrPastTheDelay) {
  const auto step = LoopState::kUnhurriedStep;
  const auto start = std::chrono::steady_clock::now();
  for (auto last = start; last < start + 3 * step; last += std::chrono::microseconds(1'237)) {
    const auto due = loop_.unhurried_due(last);
    EXPECT_GE(due, last + loop_.unhurried_delay);
    EXPECT_LT(due, last + loop_.unhurried_delay + step);
    EXPECT_EQ(due.time_since_epoch() % step, std::chrono::steady_clock::duration::zero());
  }
}

// A room message behind JOIN lines waits for the write hold, not for the
// JOINs' longer delay: it is due first, and takes them along.
TEST_F(ConnectionHold, ARelayedLineBehindUnhurriedOnesIsDueAtItsOwnHold) {
  loop_.unhurried_delay = std::chrono::seconds(100);
  busy_loop(50ms);
  connection_->send_unhurried("one\n");
  pass();
  expect_receives("one\n");
  connection_->send_unhurried("join\n");
  connection_->send_relayed("message\n");
  pass();
  expect_receives("join\nmessage\n");  // within receive()'s 5 s, not the JOIN's 100 s
  EXPECT_EQ(loop_.metrics->held_writes.get(), 1);
}

}  // namespace
}  // namespace parley::net
