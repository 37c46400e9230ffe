#pragma once
// The history writer shares a CPU with the event loops, and with the
// kernel's work for them: loopback hands a delivery to its receiver in a
// softirq that, once deferred to ksoftirqd, waits for this CPU. A writer
// that runs for milliseconds at a time (writing a batch, indexing a chunk)
// held deliveries back that long: `small`'s p99 was ~5 ms with history on,
// 1 ms off (docs/performance.md, "History writes"). Between steps of about
// 0.1 ms it offers the CPU to whatever is waiting; when nothing is, the call
// returns at once.
#include <sched.h>

namespace parley::store {

inline void let_waiting_work_run() { sched_yield(); }

}  // namespace parley::store
