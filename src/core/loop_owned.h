#pragma once
// Ownership checked, not only written down (DESIGN.md, "Threads and
// ownership"): state that belongs to one loop is reached through LoopOwned,
// which asserts that the calling thread is that loop. The check is compiled
// in where PARLEY_CHECK_LOOPS is defined (Debug and sanitizer builds) and
// costs nothing elsewhere.
//
// A thread says which loop it is with ThisLoop (net::LoopPool's threads, the
// tests' ManualPoster while it runs a loop's task). A thread that is no loop
// (start-up before the loops run, a unit test's own thread) is not checked:
// what the check catches is one loop touching another's state.
#include <cstdint>
#include <utility>

#include "core/session_ref.h"

namespace parley::core {

inline constexpr LoopIndex kNoLoop = ~LoopIndex{0};

// The loop the calling thread runs (kNoLoop when none).
LoopIndex this_loop();

// Marks the calling thread as `loop` while it lives.
class ThisLoop {
 public:
  explicit ThisLoop(LoopIndex loop);
  ~ThisLoop();
  ThisLoop(const ThisLoop&) = delete;
  ThisLoop& operator=(const ThisLoop&) = delete;

 private:
  LoopIndex saved_;
};

// Reports a thread that reached another loop's state, then aborts.
[[noreturn]] void ownership_violated(LoopIndex owner, LoopIndex caller, const char* what);

inline void check_loop([[maybe_unused]] LoopIndex owner, [[maybe_unused]] const char* what) {
#ifdef PARLEY_CHECK_LOOPS
  const LoopIndex caller = this_loop();
  if (caller != kNoLoop && caller != owner) ownership_violated(owner, caller, what);
#endif
}

template <class T>
class LoopOwned {
 public:
  template <class... Args>
  explicit LoopOwned(LoopIndex owner, Args&&... args) : owner_(owner), value_(std::forward<Args>(args)...) {}

  LoopIndex owner() const { return owner_; }
  T& get() {
    check_loop(owner_, "loop-owned state");
    return value_;
  }
  const T& get() const {
    check_loop(owner_, "loop-owned state");
    return value_;
  }
  T* operator->() { return &get(); }
  const T* operator->() const { return &get(); }
  T& operator*() { return get(); }
  const T& operator*() const { return get(); }

 private:
  LoopIndex owner_;
  T value_;
};

}  // namespace parley::core
