#pragma once
// How the core crosses loops: a post, never a lock. The network layer
// implements it with one io_context per loop; tests run the queues by hand.
#include <functional>

#include "core/session_ref.h"

namespace parley::core {

using Task = std::function<void()>;

class LoopPoster {
 public:
  virtual ~LoopPoster() = default;
  virtual LoopIndex loop_count() const = 0;
  // Runs `task` on `loop`. Tasks posted from one loop to another run in the
  // order they were posted. Any thread may post (a worker's answers do).
  virtual void post(LoopIndex loop, Task task) = 0;
};

}  // namespace parley::core
