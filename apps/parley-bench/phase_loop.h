#pragma once
// Runs the event loop through one phase of a scenario.

#include <algorithm>
#include <cstdint>

#include "client_pool.h"
#include "clock.h"
#include "progress.h"

namespace parley::bench {

enum class PhaseEnd { done, deadline, time_limit };

// A turn either waits in epoll or does bounded work, so time bounds the loop;
// this cap only guards against a spinning bug.
inline constexpr std::uint64_t kMaxTurnsPerPhase = 1'000'000'000;

// Loops until done() holds, `deadline` passes, or `hard_deadline` (the run's
// --time-limit) passes. Each turn calls step(now), which does the scenario's
// timed work and returns when it next wants to run, then waits for events.
template <class Done, class Step, class Sample>
PhaseEnd run_phase(ClientPool& pool, Progress& progress, std::int64_t deadline, std::int64_t hard_deadline,
                   Done&& done, Step&& step, Sample&& sample) {
  for (std::uint64_t turn = 0; turn < kMaxTurnsPerPhase; ++turn) {
    const std::int64_t now = now_ns();
    const std::int64_t wanted = step(now);
    progress.tick(now, sample());
    if (done()) return PhaseEnd::done;
    if (now >= hard_deadline) return PhaseEnd::time_limit;
    if (now >= deadline) return PhaseEnd::deadline;
    pool.poll(std::min({deadline, hard_deadline, wanted, progress.next_due()}));
  }
  return PhaseEnd::time_limit;
}

}  // namespace parley::bench
