// Fan-out at scale and the slow-reader policy. Built twice: --threads 1
// (itest_scale) and --threads 2 (itest_scale_mt, label mt).

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "itest_util.hpp"

namespace parley::test {
namespace {

std::string member_name(int i) { return "member " + std::to_string(i); }

// 127.0.0.2 .. 127.0.0.254, round robin.
std::string source_address(int i) { return "127.0.0." + std::to_string(2 + i % 253); }

// 1,000 clients in #lobby; four of them send at once; each client receives
// every join after its own, then every message exactly once, each sender's
// in order, all clients the same sequence.
TEST(Scale, ThousandClientsInOneRoom) {
  constexpr int kClients = 1000;
  constexpr int kPerSender = 25;
  const std::vector<int> senders = {0, 333, 666, 999};
  auto limit = raise_fd_limit();
  ASSERT_GE(limit, 2u * kClients + 100) << "RLIMIT_NOFILE is too low for this test";

  ServerProcess server(ServerOptions{.threads = kThreads, .config_toml = unlimited_config()});
  std::vector<LineClient> clients;
  clients.reserve(kClients);
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back(server.port(), ClientOptions{.source_address = source_address(i), .label = member_name(i)});
    ASSERT_TRUE(clients.back().register_as(member_name(i))) << "registering client " << i;
  }
  // Each client heard every later client join, in join order.
  for (int i = 0; i < kClients; ++i) {
    for (int j = i + 1; j < kClients; ++j) {
      ASSERT_TRUE(clients[static_cast<std::size_t>(i)].expect_line(joined_line(member_name(j))))
          << "client " << i << " waiting for the join of client " << j;
    }
  }

  // The senders send together, one write each.
  {
    std::vector<std::jthread> threads;
    for (int s : senders) {
      threads.emplace_back([&clients, s] {
        guarded([&] {
          std::string batch;
          for (int k = 0; k < kPerSender; ++k) batch += "m " + std::to_string(s) + " " + std::to_string(k) + "\n";
          clients[static_cast<std::size_t>(s)].send_raw(batch);
        });
      });
    }
    for (auto& t : threads) t.join();
  }

  const std::size_t total = senders.size() * kPerSender;
  std::vector<std::string> reference;
  for (int i = 0; i < kClients; ++i) {
    auto& c = clients[static_cast<std::size_t>(i)];
    std::vector<std::string> seq;
    std::map<int, int> next;
    for (std::size_t n = 0; n < total; ++n) {
      auto line = c.read_line();
      ASSERT_TRUE(line.has_value()) << "client " << i << " got only " << n << " of " << total << " messages";
      // "Message from User - member S: m S K"
      int s = -1, k = -1;
      ASSERT_EQ(std::sscanf(line->c_str(), "Message from User - member %*d: m %d %d", &s, &k), 2)
          << "client " << i << " got \"" << printable(*line) << "\"";
      ASSERT_EQ(*line, message_line(member_name(s), "m " + std::to_string(s) + " " + std::to_string(k)));
      ASSERT_EQ(k, next[s]) << "client " << i << ": message " << k << " of sender " << s << " out of order";
      ++next[s];
      seq.push_back(std::move(*line));
    }
    if (i == 0) {
      reference = std::move(seq);
    } else {
      ASSERT_TRUE(seq == reference) << "client " << i << " saw a different order from client 0";
    }
  }
  // Nothing was duplicated: everyone's next line is the end marker.
  clients[0].send_line("END");
  for (int i = 0; i < kClients; ++i) {
    ASSERT_TRUE(clients[static_cast<std::size_t>(i)].expect_line(message_line(member_name(0), "END")))
        << "client " << i;
  }
}

// Progress of the clients that keep reading, for the sender's flow control.
class Progress {
 public:
  explicit Progress(std::size_t readers) : received_(readers, 0) {}
  void set(std::size_t reader, int count) {
    {
      std::lock_guard lock(mutex_);
      received_[reader] = count;
    }
    changed_.notify_all();
  }
  void fail() {
    {
      std::lock_guard lock(mutex_);
      failed_ = true;
    }
    changed_.notify_all();
  }
  // Waits until every reader has received at least `count` messages; false
  // on timeout or when a reader failed.
  bool wait_all(int count, Duration timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      if (failed_) return true;
      for (int r : received_)
        if (r < count) return false;
      return true;
    }) && !failed_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<int> received_;
  bool failed_ = false;
};

// A client that stops reading (small receive window) is disconnected once
// its outbox passes limits.outbox_bytes; everyone else receives every
// message. The sender is flow-controlled by the slowest *reading* client, so
// only the non-reader can fall behind.
TEST(Scale, NeverReadingClientIsDisconnected) {
  constexpr int kWindow = 16;  // messages a reader may be behind
  constexpr int kMaxMessages = 200'000;
  const std::string padding = repeat("p", 900);
  ServerProcess server(ServerOptions{.threads = kThreads, .config_toml = unlimited_config("outbox_bytes = 65536\n")});

  // Sender and three watchers (consecutive, so spread over the loops), then
  // the client that will stop reading.
  std::vector<std::unique_ptr<LineClient>> readers;
  std::vector<LineClient*> present;
  for (const char* name : {"Sender", "Watcher 1", "Watcher 2", "Watcher 3"}) {
    readers.push_back(connect(server, name));
    ASSERT_TRUE(join_room(*readers.back(), name, present));
    present.push_back(readers.back().get());
  }
  auto slow = connect(server, "Slowpoke", ClientOptions{.rcvbuf = 4096});
  ASSERT_TRUE(join_room(*slow, "Slowpoke", present));
  const std::string slow_endpoint = slow->local_endpoint();

  auto text_of = [&](int k) { return "n" + std::to_string(k) + " " + padding; };
  const std::string slow_left = left_line("Slowpoke");
  const std::string end_line = message_line("Sender", "END");

  Progress progress(readers.size());
  std::atomic<bool> slow_gone{false};
  std::vector<std::vector<std::string>> seen(readers.size());
  std::vector<std::string> reader_error(readers.size());
  std::vector<std::jthread> threads;
  for (std::size_t r = 0; r < readers.size(); ++r) {
    threads.emplace_back([&, r] {
      guarded([&] {
        int messages = 0;
        for (;;) {
          auto line = readers[r]->read_line();
          if (!line) {
            reader_error[r] = readers[r]->closed() ? "connection closed" : "no line within the deadline";
            progress.fail();
            return;
          }
          if (*line == slow_left) slow_gone = true;
          if (line->rfind("Message from User - Sender: n", 0) == 0) progress.set(r, ++messages);
          bool end = *line == end_line;
          seen[r].push_back(std::move(*line));
          if (end) return;
        }
      });
    });
  }

  // Send until the slow client is gone (bounded in count and time).
  int sent = 0;
  auto give_up = Clock::now() + scaled(120s);
  bool flow_ok = true;
  while (!slow_gone && sent < kMaxMessages && Clock::now() < give_up) {
    if (!progress.wait_all(sent - kWindow, default_timeout())) {
      flow_ok = false;
      break;
    }
    readers[0]->send_line(text_of(sent));
    ++sent;
  }
  const bool disconnected = slow_gone.load();
  readers[0]->send_line("END");
  for (auto& t : threads) t.join();

  ASSERT_TRUE(flow_ok) << "a reading client stalled or was closed";
  for (std::size_t r = 0; r < readers.size(); ++r) {
    EXPECT_TRUE(reader_error[r].empty()) << readers[r]->label() << ": " << reader_error[r];
  }
  ASSERT_TRUE(disconnected) << "Slowpoke was never disconnected after " << sent << " messages of ~1 KB";

  // Every reader: all `sent` messages in order, one departure, then END.
  for (std::size_t r = 0; r < readers.size(); ++r) {
    SCOPED_TRACE(readers[r]->label());
    int next = 0, departures = 0;
    for (auto& line : seen[r]) {
      if (line == slow_left) {
        ++departures;
      } else if (line == end_line) {
        continue;
      } else {
        ASSERT_EQ(line, message_line("Sender", text_of(next))) << "after " << next << " messages";
        ++next;
      }
    }
    EXPECT_EQ(next, sent);
    EXPECT_EQ(departures, 1);
    ASSERT_FALSE(seen[r].empty());
    EXPECT_EQ(seen[r].back(), end_line);
  }

  // The log says Slowpoke's connection went away (a line naming its
  // address other than "has connected.").
  bool logged = false;
  std::size_t from = 0;
  for (int tries = 0; tries < 100 && !logged; ++tries) {
    std::size_t at = 0;
    auto line = server.wait_for_log(slow_endpoint, default_timeout(), from, &at);
    if (!line) break;
    logged = line->find("has connected.") == std::string::npos;
    from = at + 1;
  }
  EXPECT_TRUE(logged) << "the log never mentions " << slow_endpoint << " after it connected:\n" << server.log_text();

  // What Slowpoke's socket still holds: a prefix of the messages, perhaps the
  // farewell, then the close.
  int next = 0;
  bool farewell = false;
  for (int n = 0; n <= sent + 1; ++n) {
    auto r = slow->read();
    if (r.status != LineClient::Status::line) {
      ASSERT_EQ(r.status, LineClient::Status::closed) << "Slowpoke's connection was not closed";
      break;
    }
    ASSERT_FALSE(farewell) << "a line after the farewell: " << printable(r.line);
    if (r.line == "Disconnected: you were not reading fast enough.") {
      farewell = true;
      continue;
    }
    ASSERT_EQ(r.line, message_line("Sender", text_of(next)));
    ++next;
  }
  ASSERT_TRUE(slow->closed());
  std::cout << "[ info ] Slowpoke was disconnected after " << sent << " messages; it had received " << next
            << (farewell ? ", then the farewell" : ", no farewell") << "\n";
}

}  // namespace
}  // namespace parley::test
