#pragma once
// The fanout scenario: C clients in the default room, S of them sending.

#include "options.h"
#include "report.h"

namespace parley::bench {

Report run_fanout(const Options& options);

}  // namespace parley::bench
