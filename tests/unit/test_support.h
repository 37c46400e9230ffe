#pragma once
// Test doubles for the unit tests: loops run by hand, members and outbounds
// that record what reaches them.
#include <gtest/gtest.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/loop_owned.h"
#include "core/loop_poster.h"
#include "core/member.h"
#include "session/outbound.h"
#include "session/protocol_session.h"

namespace parley::testing {

// A LoopPoster whose loops are FIFO queues run by the test. Nothing runs until
// the test says so, so every interleaving a test needs can be built by hand.
class ManualPoster final : public core::LoopPoster {
 public:
  // How run_all picks the next task when several loops have work.
  enum class Order {
    round_robin,      // one task from each loop in turn
    ascending_drain,  // drain the lowest non-empty loop first
    descending_drain  // drain the highest non-empty loop first
  };

  explicit ManualPoster(core::LoopIndex loops) : queues_(loops) {}

  core::LoopIndex loop_count() const override { return static_cast<core::LoopIndex>(queues_.size()); }

  void post(core::LoopIndex loop, core::Task task) override {
    if (loop >= queues_.size()) {
      ADD_FAILURE() << "post to loop " << loop << " of " << queues_.size();
      return;
    }
    queues_[loop].push_back(std::move(task));
    ++posted_;
  }

  // Runs the oldest task of `loop`; false if it had none. The thread is
  // marked as that loop while the task runs, so that (where PARLEY_CHECK_LOOPS
  // is defined) a task touching another loop's state aborts the test, as it
  // would abort a server. The test body itself is no loop and is not checked.
  bool run_one(core::LoopIndex loop) {
    if (queues_[loop].empty()) return false;
    core::Task task = std::move(queues_[loop].front());
    queues_[loop].pop_front();
    const auto saved = current_;
    current_ = loop;
    {
      core::ThisLoop on(loop);
      task();
    }
    current_ = saved;
    ++ran_;
    return true;
  }

  // Runs tasks until every queue is empty (tasks may post more). Returns how
  // many ran. Gives up, failing the test, after a generous bound.
  std::size_t run_all(Order order = Order::round_robin) {
    std::size_t count = 0;
    constexpr std::size_t kBound = 1'000'000;
    while (pending() > 0) {
      if (count > kBound) {
        ADD_FAILURE() << "run_all: tasks keep posting tasks";
        return count;
      }
      switch (order) {
        case Order::round_robin:
          for (core::LoopIndex l = 0; l < queues_.size(); ++l) count += run_one(l) ? 1 : 0;
          break;
        case Order::ascending_drain:
          for (core::LoopIndex l = 0; l < queues_.size(); ++l) {
            if (run_one(l)) {
              ++count;
              break;
            }
          }
          break;
        case Order::descending_drain:
          for (core::LoopIndex l = static_cast<core::LoopIndex>(queues_.size()); l-- > 0;) {
            if (run_one(l)) {
              ++count;
              break;
            }
          }
          break;
      }
    }
    return count;
  }

  std::size_t pending() const {
    std::size_t n = 0;
    for (const auto& q : queues_) n += q.size();
    return n;
  }
  std::size_t pending_on(core::LoopIndex loop) const { return queues_[loop].size(); }
  std::size_t posted() const { return posted_; }
  // The loop whose task is running, or nullopt from the test body.
  std::optional<core::LoopIndex> current() const { return current_; }

 private:
  std::vector<std::deque<core::Task>> queues_;
  std::optional<core::LoopIndex> current_;
  std::size_t posted_ = 0;
  std::size_t ran_ = 0;
};

// Splits "a\nb\n" into {"a", "b"}; a missing last line end is kept as a line.
inline std::vector<std::string> split_lines(std::string_view bytes) {
  std::vector<std::string> lines;
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    if (nl == std::string_view::npos) {
      lines.emplace_back(bytes);
      break;
    }
    lines.emplace_back(bytes.substr(0, nl));
    bytes.remove_prefix(nl + 1);
  }
  return lines;
}

// A session::Outbound that keeps what was sent, line by line.
class FakeOutbound final : public session::Outbound {
 public:
  void send(std::string_view bytes) override {
    if (closed_) ++sent_after_close_;
    if (bytes.empty() || bytes.back() != '\n') ++unterminated_;
    chunks_.emplace_back(bytes);
    sources_.push_back(bytes.data());
    for (auto& l : split_lines(bytes)) unread_.push_back(std::move(l));
  }
  void close_after_flush(session::CloseReason reason) override {
    ++close_calls_;
    closed_ = reason;
  }
  void hold_input() override { ++holds_; }
  void resume_input() override {
    if (holds_ > 0) --holds_;
  }

  // Input as a transport hands it over: at once, unless the session holds
  // input; then it waits for every hold to be released and the next hand_over().
  void attach(session::ProtocolSession& session) { session_ = &session; }
  void arrive(std::string line) {
    inbox_.push_back({std::move(line), 0});
    hand_over();
  }
  void arrive_too_long(std::size_t limit) {
    inbox_.push_back({{}, limit});
    hand_over();
  }
  // Whether any waiting line was handed over.
  bool hand_over() {
    bool any = false;
    while (holds_ == 0 && !inbox_.empty() && !closed_) {
      const Arrival next = std::move(inbox_.front());
      inbox_.erase(inbox_.begin());
      if (next.too_long_limit > 0) session_->on_line_too_long(next.too_long_limit);
      else session_->on_line(next.text);
      any = true;
    }
    return any;
  }

  // Lines sent since the last take().
  std::vector<std::string> take() { return std::exchange(unread_, {}); }
  const std::vector<std::string>& chunks() const { return chunks_; }
  // Where each chunk was when it was handed over: equal for two sessions when
  // they were handed the same rendering.
  const std::vector<const char*>& sources() const { return sources_; }
  std::optional<session::CloseReason> closed() const { return closed_; }
  int close_calls() const { return close_calls_; }
  int sent_after_close() const { return sent_after_close_; }
  int unterminated() const { return unterminated_; }

 private:
  struct Arrival {
    std::string text;
    std::size_t too_long_limit = 0;  // non-zero: a discarded over-long line
  };
  session::ProtocolSession* session_ = nullptr;
  std::vector<Arrival> inbox_;
  int holds_ = 0;
  std::vector<std::string> chunks_;
  std::vector<const char*> sources_;
  std::vector<std::string> unread_;
  std::optional<session::CloseReason> closed_;
  int close_calls_ = 0;
  int sent_after_close_ = 0;
  int unterminated_ = 0;
};

}  // namespace parley::testing
