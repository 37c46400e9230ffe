#pragma once
// The cluster tests' fixture: a real redis-server per test, and parleyd
// nodes joined through it (start_node), with users on them.

#include <map>
#include <memory>
#include <set>
#include <optional>
#include <string>
#include <string_view>

#include "irc_client.hpp"
#include "itest_util.hpp"
#include "redis_process.hpp"

namespace parley::test {

inline constexpr std::string_view kTextMessagePrefix = "Message from User - ";

// The text of a text client's room message line, or nullopt for another line.
inline std::optional<std::string> text_message(const std::string& line) {
  if (!line.starts_with(kTextMessagePrefix)) return std::nullopt;
  const auto colon = line.find(": ", kTextMessagePrefix.size());
  if (colon == std::string::npos) return std::nullopt;
  return line.substr(colon + 2);
}

// An IRC user on `node`, registered as `nick`.
inline std::unique_ptr<IrcClient> irc_user(const ServerProcess& node, const std::string& nick) {
  auto client = connect_irc(node.irc_port(), nick);
  EXPECT_TRUE(client->register_as(nick));
  return client;
}

// What one reader made of numbered lines "m SENDER N" (N from 0 per sender).
struct LineCounts {
  int read = 0;
  int lost = 0;          // numbers skipped
  int twice = 0;         // numbers seen again
  int out_of_order = 0;  // numbers below one already seen (not repeats)
  std::map<std::string, std::set<int>> seen;
  std::map<std::string, int> highest;

  void take(const std::string& text) {
    if (!text.starts_with("m ")) return;
    const auto space = text.rfind(' ');
    const std::string who = text.substr(2, space - 2);
    const int n = std::stoi(text.substr(space + 1));
    ++read;
    if (!seen[who].insert(n).second) {
      ++twice;
      return;
    }
    auto [it, first] = highest.try_emplace(who, -1);
    if (n < it->second) ++out_of_order;
    else it->second = n;
  }
  // Called once every line expected was read (or the deadline passed): each
  // of `senders` sent numbers 0 .. per_sender - 1; those not seen were lost.
  void finish(int senders, int per_sender) {
    lost = senders * per_sender;
    for (const auto& [who, numbers] : seen) lost -= static_cast<int>(numbers.size());
  }
  std::string describe() const {
    return "read " + std::to_string(read) + ", lost " + std::to_string(lost) + ", twice " + std::to_string(twice) +
           ", out of order " + std::to_string(out_of_order);
  }
};

// Reads `reader`'s room messages until `senders` x `per_sender` numbered lines
// (or the deadline) and counts them.
inline LineCounts count_lines(LineClient& reader, int senders, int per_sender, Duration timeout = default_timeout()) {
  LineCounts counts;
  const auto deadline = Clock::now() + timeout;
  while (counts.read < senders * per_sender && Clock::now() < deadline) {
    auto line = reader.read_line(remaining(deadline));
    if (!line) break;
    if (auto text = text_message(*line)) counts.take(*text);
  }
  counts.finish(senders, per_sender);
  return counts;
}

// Lines "m SENDER N" for N in [from, from + count); `padding` bytes more in
// each (part of the sender's word).
inline std::string burst_of(const std::string& sender, int from, int count, std::size_t padding = 0) {
  const std::string word = sender + std::string(padding, '.');
  std::string burst;
  for (int i = from; i < from + count; ++i) burst += "m " + word + " " + std::to_string(i) + "\n";
  return burst;
}

class Cluster : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RedisProcess::available()) GTEST_SKIP() << "redis-server is not installed (scripts/install-deps.sh)";
    redis_ = std::make_unique<RedisProcess>();
  }

  // `extra`: lines for [cluster]; `top`: top-level settings (before any table).
  std::unique_ptr<ServerProcess> start_node(const std::string& name, const std::string& extra = {},
                                            const std::string& top = {}) {
    std::string toml = top + unlimited_config();
    toml += "[cluster]\nredis = \"" + redis_->url() + "\"\nnode = \"" + name + "\"\n" + extra;
    auto node = std::make_unique<ServerProcess>(ServerOptions{.threads = kThreads, .config_toml = toml});
    EXPECT_TRUE(node->wait_for_log("Cluster: node " + name + " connected to Redis")) << node->log_text();
    return node;
  }

  // Reads `client`'s lines until the room message `text` (others' messages
  // before it, from before this node followed the room, are skipped).
  static ::testing::AssertionResult text_hears(LineClient& client, const std::string& text) {
    const auto deadline = Clock::now() + default_timeout();
    while (Clock::now() < deadline) {
      auto line = client.read_line(remaining(deadline));
      if (!line) break;
      if (text_message(*line) == text) return ::testing::AssertionSuccess();
    }
    auto failure = ::testing::AssertionFailure() << client.label() << " never heard '" << text << "'; it read:";
    for (const auto& line : client.history()) failure << "\n  " << line;
    return failure;
  }

  // Reads `client`'s lines until exactly `expected`.
  static ::testing::AssertionResult text_reads(LineClient& client, const std::string& expected) {
    const auto deadline = Clock::now() + default_timeout();
    while (Clock::now() < deadline) {
      auto line = client.read_line(remaining(deadline));
      if (!line) break;
      if (*line == expected) return ::testing::AssertionSuccess();
    }
    auto failure = ::testing::AssertionFailure() << client.label() << " never read '" << expected << "'; it read:";
    for (const auto& line : client.history()) failure << "\n  " << line;
    return failure;
  }

  static ::testing::AssertionResult irc_hears(IrcClient& client, const std::string& text) {
    return client.wait_for(
        [&](const IrcMessage& m) { return m.is("PRIVMSG") && m.params.size() == 2 && m.last() == text; },
        "PRIVMSG " + text);
  }

  // A text user on `node`, in the default room, whose node follows it.
  std::unique_ptr<LineClient> text_user(const ServerProcess& node, const std::string& name) {
    auto client = connect(node, name);
    EXPECT_TRUE(client->register_as(name));
    client->send_line("ready " + name);
    EXPECT_TRUE(text_hears(*client, "ready " + name));
    return client;
  }

  std::unique_ptr<RedisProcess> redis_;
};

}  // namespace parley::test
