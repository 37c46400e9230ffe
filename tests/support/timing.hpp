#pragma once
// Deadlines for the integration tests. Every wait in the suite is a read or a
// poll bounded by one of these; nothing synchronizes by sleeping.

#include <chrono>

namespace parley::test {

using Clock = std::chrono::steady_clock;
using Duration = std::chrono::milliseconds;

// The default deadline for one expected event (a line, a log entry, a close):
// 10 s, generous for a loaded 2-core CI machine. The environment variable
// PARLEY_ITEST_TIMEOUT_SCALE (a positive number) multiplies every deadline
// made through scaled(), for sanitizer or valgrind runs.
Duration default_timeout();

// `d` multiplied by PARLEY_ITEST_TIMEOUT_SCALE (1 when unset or invalid).
Duration scaled(Duration d);

// Time left until `deadline`, never negative.
Duration remaining(Clock::time_point deadline);

}  // namespace parley::test
