#pragma once
// Gives the heap's free pages back to the kernel after a burst. A ramp of
// thousands of connections joining rooms leaves holes in the heap (what
// registration made and freed, cross-loop queues) that glibc keeps mapped.
// Outbox blocks, once most of those holes, have chunks of their own
// (block_pool.h). malloc_trim(0) releases whole free pages; it walks every
// arena, so it runs at most once a period and only when enough is free.
#include <chrono>
#include <cstddef>

namespace parley::net {

class HeapTrim {
 public:
  using Time = std::chrono::steady_clock::time_point;
  static constexpr std::chrono::seconds kPeriod{5};
  // Less free than this is not worth a walk of the heap.
  static constexpr std::size_t kWorthBytes = std::size_t{4} << 20;

  // The policy, apart from malloc so that it can be tested: whether to look
  // at the heap now (at most once a period), then whether what is free is
  // worth trimming.
  bool time_to_look(Time now) {
    if (now < next_look_) return false;
    next_look_ = now + kPeriod;
    return true;
  }
  static bool worth_trimming(std::size_t free_bytes) { return free_bytes >= kWorthBytes; }

  // Looks and trims when the policy says so; returns the free bytes the heap
  // had when it trimmed, or 0.
  std::size_t maybe_trim(Time now);

 private:
  Time next_look_{};
};

}  // namespace parley::net
