#include "idle.h"

#include <fmt/core.h>

#include "client_pool.h"
#include "clock.h"
#include "phase_loop.h"
#include "proc_stats.h"
#include "protocol.h"
#include "scenario_common.h"

namespace parley::bench {
namespace {

constexpr std::string_view kPartedPrefix = "You left #";  // "You left #lobby."

class Idle final : public LineSink {
 public:
  explicit Idle(const Options& o)
      : opt_(o),
        pool_(pool_config(o), *this),
        progress_(now_ns()),
        hard_deadline_(now_ns() + seconds_to_ns(o.time_limit)) {}

  Report run();

  void on_registered(std::size_t client, std::int64_t) override {
    if (opt_.part) pool_.send_line(client, "/part");
  }

  void on_line(std::size_t, std::string_view line, std::int64_t) override {
    const LineKind kind = classify_line(line).kind;
    if (kind == LineKind::joined) ++joins_;
    if (kind == LineKind::error) ++errors_;
    if (line.starts_with(kPartedPrefix)) ++parted_;
  }

 private:
  template <class Done>
  bool phase(std::string_view name, std::int64_t deadline, Done&& done, bool* finished = nullptr) {
    const PhaseEnd end = run_phase(
        pool_, progress_, deadline, hard_deadline_, done, [](std::int64_t) { return kNever; },
        [this, name] { return ProgressSample{name, pool_.connected(), pool_.count(), 0, joins_}; });
    if (finished) *finished = end == PhaseEnd::done;
    if (end == PhaseEnd::time_limit) time_limit_hit_ = true;
    return end != PhaseEnd::time_limit;
  }
  bool run_phases(Report& r);

  const Options& opt_;
  ClientPool pool_;
  Progress progress_;
  std::int64_t hard_deadline_;
  bool time_limit_hit_ = false;
  std::uint64_t joins_ = 0, errors_ = 0, parted_ = 0;
};

bool Idle::run_phases(Report& r) {
  if (opt_.server_pid > 0) r.rss_before_bytes = process_rss_bytes(opt_.server_pid);
  pool_.start(now_ns());
  const bool go_on = phase("register", hard_deadline_, [this] { return pool_.registration_done(); });
  fill_registration(r, pool_);
  if (!go_on) return false;

  // Join announcements still queued in the server would count as its memory.
  // With --part, every client is settled once its /part is answered.
  const std::uint64_t joins_expected = expected_join_lines(pool_.registered());
  const std::uint64_t parts_expected = pool_.registered();
  auto settled = [&] { return opt_.part ? parted_ >= parts_expected : joins_ >= joins_expected; };
  if (!phase("settle", now_ns() + seconds_to_ns(opt_.settle_timeout), settled, &r.settled)) return false;

  const CpuSnapshot before = cpu_snapshot(opt_.server_pid);
  const bool held = phase("hold", now_ns() + seconds_to_ns(opt_.duration), [] { return false; });
  fill_cpu(r, before, cpu_snapshot(opt_.server_pid));
  if (opt_.server_pid > 0) r.rss_after_bytes = process_rss_bytes(opt_.server_pid);
  return held;
}

Report Idle::run() {
  Report r;
  r.scenario = "idle";
  r.clients = opt_.clients;
  r.duration = opt_.duration;
  r.measured_seconds = opt_.duration;
  run_phases(r);
  r.time_limit_hit = time_limit_hit_;
  r.error_lines = errors_;
  fill_problems(r, pool_);
  pool_.close_all();
  return r;
}

}  // namespace

Report run_idle(const Options& options) {
  Idle idle(options);
  return idle.run();
}

}  // namespace parley::bench
