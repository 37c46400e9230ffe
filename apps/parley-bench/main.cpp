// parley-bench: a single-threaded epoll load generator for chat servers:
// parleyd's plain-text protocol, IRC, Redis pub/sub and the seed's Python
// server. See --help and bench/README.md.

#include <csignal>
#include <cstdio>
#include <exception>
#include <fstream>

#include <fmt/core.h>

#include "diag.h"
#include "fanout.h"
#include "idle.h"
#include "options.h"
#include "proc_stats.h"
#include "report.h"
#include "socket_ops.h"

namespace {

constexpr long kSpareFds = 32;

int run(int argc, char** argv) {
  using namespace parley::bench;
  Options opt;
  if (const auto code = parse_options(argc, argv, opt)) return *code;

  std::signal(SIGPIPE, SIG_IGN);
  const long fd_limit = raise_fd_limit();
  // Redis senders publish through a connection of their own.
  const std::size_t sockets = opt.clients + (opt.proto == Proto::redis ? opt.senders : 0);
  if (static_cast<long>(sockets) + kSpareFds > fd_limit) {
    diag("--clients {} needs more than the open-file limit {} allows", opt.clients, fd_limit);
    return 2;
  }
  for (int pid : opt.server_pids) {
    if (pid <= 0 || !process_cpu_seconds(pid)) {
      diag("cannot read /proc/{}/stat (--server-pid)", pid);
      return 2;
    }
  }

  const Report report = opt.scenario == Scenario::fanout ? run_fanout(opt) : run_idle(opt);
  for (const auto& problem : report.problems) diag("{}", problem);
  if (report.machine_cpu_busy && *report.machine_cpu_busy > 0.9)
    diag("the machine's {} CPUs were {:.0f}% busy while measuring; latency includes waiting for a CPU",
         report.cpus, *report.machine_cpu_busy * 100);

  fmt::print("{}\n", summary_line(report));
  const std::string json = to_json(report);
  if (opt.json_path.empty()) {
    fmt::print("{}\n", json);
  } else {
    std::ofstream out(opt.json_path);
    out << json << '\n';
    if (!out) {
      diag("cannot write {}", opt.json_path);
      return 1;
    }
  }
  std::fflush(stdout);
  return report.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    parley::bench::diag("{}", e.what());
    return 1;
  }
}
