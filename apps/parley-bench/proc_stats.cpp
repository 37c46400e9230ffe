#include "proc_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace parley::bench {

std::optional<double> process_cpu_seconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!in || !std::getline(in, text)) return std::nullopt;
  // "pid (comm) state ppid ..." where comm may hold spaces and parentheses;
  // utime and stime are fields 14 and 15, i.e. the 12th and 13th after ")".
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 1));
  std::string skip;
  for (int k = 0; k < 11; ++k) fields >> skip;
  unsigned long long utime = 0, stime = 0;
  if (!(fields >> utime >> stime)) return std::nullopt;
  const long ticks = ::sysconf(_SC_CLK_TCK);
  return static_cast<double>(utime + stime) / static_cast<double>(ticks > 0 ? ticks : 100);
}

std::optional<ResidentMemory> process_memory(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  // "VmRSS:    27040 kB"
  auto kib_after = [&line](std::string_view label, std::int64_t& bytes) {
    if (line.rfind(label, 0) != 0) return false;
    std::istringstream value(line.substr(label.size()));
    std::int64_t kib = 0;
    if (!(value >> kib)) return false;
    bytes = kib * 1024;
    return true;
  };
  ResidentMemory m;
  bool total = false, anonymous = false;
  while (std::getline(in, line)) {
    total = total || kib_after("VmRSS:", m.total);
    anonymous = anonymous || kib_after("RssAnon:", m.anonymous);
  }
  if (!total || !anonymous) return std::nullopt;
  return m;
}

std::optional<ResidentMemory> servers_memory(const std::vector<int>& pids) {
  ResidentMemory sum;
  for (int pid : pids) {
    const auto m = process_memory(pid);
    if (!m) return std::nullopt;
    sum.total += m->total;
    sum.anonymous += m->anonymous;
  }
  return sum;
}

double own_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

std::optional<MachineTicks> machine_ticks() {
  std::ifstream in("/proc/stat");
  std::string label;
  if (!(in >> label) || label != "cpu") return std::nullopt;
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  std::uint64_t v[8] = {};
  for (auto& x : v)
    if (!(in >> x)) return std::nullopt;
  MachineTicks t;
  for (const auto x : v) t.total += x;
  t.busy = t.total - v[3] - v[4];
  return t;
}

int cpu_count() {
  const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

}  // namespace parley::bench
