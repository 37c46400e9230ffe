#pragma once
// sync = "always" ([storage], docs/configuration.md): nobody hears of an
// event before it is kept. A home loop records a room event, then its posts
// wait for the history's commit (History::after_commit), in the order they
// were made; while any post from a loop still waits, that loop's later posts
// wait behind it, so that a reply decided after an event (a KICK's answer)
// never overtakes it. Loops that have nothing waiting post directly.
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/history.h"
#include "core/loop_poster.h"

namespace parley::core {

class CommitGate {
 public:
  CommitGate(History& history, LoopPoster& poster);

  // Whether a post from loop `from` must wait behind earlier ones.
  bool holding(LoopIndex from) const;
  // Posts `task` to `to` once every line recorded so far is kept.
  void post(LoopIndex from, LoopIndex to, Task task);

 private:
  // One per loop, each on its own cache line: `held` is touched only by its
  // loop, `released` by the history's thread once the post is made.
  struct alignas(64) Counters {
    std::uint64_t held = 0;
    std::atomic<std::uint64_t> released{0};
  };

  History& history_;
  LoopPoster& poster_;
  std::unique_ptr<Counters[]> counters_;
};

}  // namespace parley::core
