// The microbenchmarks' main: the library's usual one, then the fan-out worlds
// are freed while everything they use is still alive.
#include <benchmark/benchmark.h>

#include "bench_support.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  parley::bench::release_fanout_worlds();
  benchmark::Shutdown();
  return 0;
}
