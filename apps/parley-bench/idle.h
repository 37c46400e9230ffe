#pragma once
// The idle scenario: N connections register at a paced rate and stay.

#include "options.h"
#include "report.h"

namespace parley::bench {

Report run_idle(const Options& options);

}  // namespace parley::bench
