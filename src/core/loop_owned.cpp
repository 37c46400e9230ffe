#include "core/loop_owned.h"

#include <cstdio>
#include <cstdlib>

namespace parley::core {

namespace {
thread_local LoopIndex current_loop = kNoLoop;
}

LoopIndex this_loop() { return current_loop; }

ThisLoop::ThisLoop(LoopIndex loop) : saved_(current_loop) { current_loop = loop; }
ThisLoop::~ThisLoop() { current_loop = saved_; }

void ownership_violated(LoopIndex owner, LoopIndex caller, const char* what) {
  std::fprintf(stderr, "parley: ownership violated: %s of loop %u touched from loop %u\n", what, owner, caller);
  std::abort();
}

}  // namespace parley::core
