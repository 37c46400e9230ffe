// net/ReadinessSet: the loop's own epoll set for client sockets (issue 14),
// driven through a real io_context over socketpairs.
#include "net/readiness_set.h"

#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace parley::net {
namespace {

struct Pair {
  Pair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0); }
  ~Pair() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  void say(const char* text) const { ASSERT_GT(::write(fds[1], text, 1), 0); }
  int fds[2] = {-1, -1};  // [0] watched, [1] the peer
};

struct Watcher {
  Pair* pair = nullptr;
  int calls = 0;
  std::uint32_t events = 0;
  bool freed = false;  // its socket closed, as a freed connection's would be
  Watcher* victim = nullptr;  // closed by this one's handler
};

void on_ready(void* w, std::uint32_t events) {
  auto& watcher = *static_cast<Watcher*>(w);
  EXPECT_FALSE(watcher.freed) << "dispatched after it was forgotten";
  ++watcher.calls;
  watcher.events |= events;
  if (Watcher* v = watcher.victim; v && !v->freed) {
    ReadinessSet::forget(v);
    ::close(v->pair->fds[0]);
    v->pair->fds[0] = -1;
    v->freed = true;
  }
}

// Runs the loop until `done` or a deadline; true if done.
template <typename Done>
bool run_until(boost::asio::io_context& io, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_one_for(std::chrono::milliseconds(10));
  }
  return done();
}

TEST(ReadinessSet, DispatchesReadableOncePerEdge) {
  boost::asio::io_context io;
  ReadinessSet set(io, &on_ready);
  Pair pair;
  Watcher w{&pair};
  ASSERT_TRUE(set.add(pair.fds[0], &w, EPOLLIN | EPOLLRDHUP));
  io.poll();
  EXPECT_EQ(w.calls, 0);  // nothing to read yet
  pair.say("a");
  ASSERT_TRUE(run_until(io, [&] { return w.calls == 1; }));
  EXPECT_TRUE(w.events & EPOLLIN);
  // Edge-triggered: the unread byte does not call it again...
  io.restart();
  io.poll();
  EXPECT_EQ(w.calls, 1);
  // ...new bytes do.
  pair.say("b");
  EXPECT_TRUE(run_until(io, [&] { return w.calls == 2; }));
}

TEST(ReadinessSet, AWatcherClosedByAnotherInTheSameBatchIsNotCalled) {
  boost::asio::io_context io;
  ReadinessSet set(io, &on_ready);
  Pair first_pair, second_pair;
  Watcher first{&first_pair}, second{&second_pair};
  first.victim = &second;  // whichever runs first closes the other
  second.victim = &first;
  ASSERT_TRUE(set.add(first_pair.fds[0], &first, EPOLLIN));
  ASSERT_TRUE(set.add(second_pair.fds[0], &second, EPOLLIN));
  first_pair.say("a");  // both ready before the loop looks: one batch
  second_pair.say("b");
  ASSERT_TRUE(run_until(io, [&] { return first.calls + second.calls == 1; }));
  io.restart();
  io.poll();
  EXPECT_EQ(first.calls + second.calls, 1);
  EXPECT_TRUE(first.freed != second.freed);
}

TEST(ReadinessSet, MoreReadyThanABatchAllArrive) {
  boost::asio::io_context io;
  ReadinessSet set(io, &on_ready);
  const int count = ReadinessSet::kBatch * 2 + 3;
  std::vector<Pair> pairs(static_cast<std::size_t>(count));
  std::vector<Watcher> watchers(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    watchers[i].pair = &pairs[i];
    ASSERT_TRUE(set.add(pairs[i].fds[0], &watchers[i], EPOLLIN));
    pairs[i].say("x");
  }
  auto called = [&] {
    int n = 0;
    for (auto& w : watchers) n += w.calls;
    return n;
  };
  ASSERT_TRUE(run_until(io, [&] { return called() == count; }));
  for (auto& w : watchers) EXPECT_EQ(w.calls, 1);
}

}  // namespace
}  // namespace parley::net
