#include "core/commit_gate.h"

#include <utility>

namespace parley::core {

CommitGate::CommitGate(History& history, LoopPoster& poster)
    : history_(history), poster_(poster), counters_(std::make_unique<Counters[]>(poster.loop_count())) {}

bool CommitGate::holding(LoopIndex from) const {
  if (from >= poster_.loop_count()) return false;  // not a loop: nothing of its own waits
  const Counters& c = counters_[from];
  return c.held != c.released.load(std::memory_order_acquire);
}

void CommitGate::post(LoopIndex from, LoopIndex to, Task task) {
  Counters* counters = from < poster_.loop_count() ? &counters_[from] : nullptr;
  if (counters) ++counters->held;
  history_.after_commit([this, counters, to, task = std::move(task)]() mutable {
    poster_.post(to, std::move(task));
    // After the post: a loop that sees it released posts behind it.
    if (counters) counters->released.fetch_add(1, std::memory_order_release);
  });
}

}  // namespace parley::core
