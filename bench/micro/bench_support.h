#pragma once
// What the microbenchmarks share: loops run by hand, an Outbound that counts
// instead of writing, and a way to fix the iteration count for allocation
// profiling (valgrind/heaptrack), where timing-driven counts would differ run to run.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/events.h"
#include "core/loop_owned.h"
#include "core/loop_poster.h"
#include "session/outbound.h"

namespace parley::bench {

// Loops as FIFO queues, drained on the calling thread: the fan-out path with no
// sockets and no threads, as the unit tests run it.
class HandRunPoster final : public core::LoopPoster {
 public:
  explicit HandRunPoster(core::LoopIndex loops) : queues_(loops) {}

  core::LoopIndex loop_count() const override { return static_cast<core::LoopIndex>(queues_.size()); }
  void post(core::LoopIndex loop, core::Task task) override { queues_.at(loop).push_back(std::move(task)); }

  // Runs tasks, one loop after another in turn, until none is left (tasks may post more).
  void drain() {
    bool ran = true;
    while (ran) {
      ran = false;
      for (auto& queue : queues_) {
        if (queue.empty()) continue;
        core::Task task = std::move(queue.front());
        queue.pop_front();
        // Marked as its loop, as net::LoopPool's threads are (checked where
        // PARLEY_CHECK_LOOPS is defined).
        core::ThisLoop on(static_cast<core::LoopIndex>(&queue - queues_.data()));
        task();
        ran = true;
      }
    }
  }

 private:
  std::vector<std::deque<core::Task>> queues_;
};

// What reached every CountingOutbound of one world.
struct Tally {
  std::size_t sends = 0;  // one per delivery: a recipient was handed bytes
  std::size_t bytes = 0;  // delivered, counting shared bytes once per recipient
  // When tracking one message: the distinct renderings handed out, i.e. what
  // was formatted, as (loop, address) — a loop's renderings live for its
  // fan-out, so another loop's may reuse an address.
  bool tracking = false;
  std::set<std::pair<core::LoopIndex, const char*>> distinct;
  std::size_t formatted_bytes = 0;

  void reset() { *this = Tally{}; }
};

// A transport that keeps nothing: it counts what a session sends. The real
// outbox copies the bytes into its block; that memcpy is not measured here.
class CountingOutbound final : public session::Outbound {
 public:
  CountingOutbound(Tally& tally, core::LoopIndex loop) : tally_(tally), loop_(loop) {}

  void send(std::string_view bytes) override {
    ++received_;
    ++tally_.sends;
    tally_.bytes += bytes.size();
    if (tally_.tracking && tally_.distinct.emplace(loop_, bytes.data()).second) tally_.formatted_bytes += bytes.size();
  }
  void close_after_flush(session::CloseReason) override { closed_ = true; }
  void hold_input() override { ++holds_; }
  void resume_input() override {
    if (holds_ > 0) --holds_;
  }

  std::size_t received() const { return received_; }
  bool held() const { return holds_ > 0; }
  bool closed() const { return closed_; }

 private:
  Tally& tally_;
  core::LoopIndex loop_;
  std::size_t received_ = 0;
  int holds_ = 0;
  bool closed_ = false;
};

// A typical chat line: what the benchmarks send and render.
inline constexpr std::string_view kChatText = "hello everyone, this is a typical chat message of modest length";

// One relayed room message as the hub hands it to every recipient.
inline core::RoomEvent sample_message_event() {
  core::RoomEvent ev{};
  ev.room = "lobby";
  ev.room_key = "lobby";
  ev.seq = 4242;
  ev.id = "3f9a1c0000001092";
  ev.actor = core::SessionRef{0, 7};
  ev.actor_identity = std::make_shared<const core::Identity>(core::Identity{"Alice", "Alice", "~alice", "127.0.0.1", {}});
  core::RoomEvent::Said said;
  said.speech = core::Speech::message;
  said.text = std::string(kChatText);
  ev.what = std::move(said);
  ev.time = core::WallTime(std::chrono::milliseconds(1'795'000'000'123));
  return ev;
}

// PARLEY_MICRO_ITERATIONS=N runs every benchmark for exactly N iterations, so
// that two profiled runs with different N differ only by the work per iteration.
inline void fixed_iterations_from_env(benchmark::internal::Benchmark* b) {
  if (const char* n = std::getenv("PARLEY_MICRO_ITERATIONS"); n != nullptr && std::atoll(n) > 0) {
    b->Iterations(static_cast<benchmark::IterationCount>(std::atoll(n)));
  }
}

// Frees what fanout_bench.cpp keeps between calls; main calls it after the run.
void release_fanout_worlds();

}  // namespace parley::bench
