#pragma once
// How the core crosses loops: a post, never a lock. The network layer
// implements it with one io_context per loop; tests run the queues by hand.
#include "core/inline_function.h"
#include "core/session_ref.h"

namespace parley::core {

// Move-only, its captures inside up to 88 bytes: each room message posts
// one to every loop with members, and a delivery's captures fit.
using Task = InlineFunction<void(), 88>;

class LoopPoster {
 public:
  virtual ~LoopPoster() = default;
  virtual LoopIndex loop_count() const = 0;
  // Runs `task` on `loop`. Tasks posted from one loop to another run in the
  // order they were posted. Any thread may post (a worker's answers do).
  virtual void post(LoopIndex loop, Task task) = 0;
};

}  // namespace parley::core
