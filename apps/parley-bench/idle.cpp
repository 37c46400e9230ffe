#include "idle.h"

#include <fmt/core.h>

#include <memory>

#include "client_pool.h"
#include "clock.h"
#include "diag.h"
#include "phase_loop.h"
#include "proc_stats.h"
#include "scenario_common.h"

namespace parley::bench {
namespace {

constexpr std::int64_t kQuietSettleNs = kNsPerSec;  // inexact join counts: settled after this much quiet
constexpr std::int64_t kFarewellTimeoutNs = 5 * kNsPerSec;

class Idle final : public PoolListener {
 public:
  explicit Idle(const Options& o)
      : opt_(o),
        protocol_(make_protocol(o)),
        pool_config_(pool_config(o, *protocol_)),
        pool_(pool_config_, *protocol_, *this),
        progress_(now_ns()),
        hard_deadline_(now_ns() + seconds_to_ns(o.time_limit)) {}

  Report run();

  void on_member_joined(std::size_t) override {
    ++joins_;
    last_join_ns_ = now_ns();
  }
  void on_delivery(std::size_t, std::string_view, std::int64_t) override {}
  void on_error_line(std::size_t, std::string_view) override { ++errors_; }

 private:
  template <class Done>
  bool phase(std::string_view name, std::int64_t deadline, Done&& done, bool* finished = nullptr) {
    const PhaseEnd end = run_phase(
        pool_, progress_, deadline, hard_deadline_, done, [](std::int64_t) { return kNever; },
        [this, name] { return ProgressSample{name, pool_.connected(), pool_.clients(), 0, joins_}; });
    if (finished) *finished = end == PhaseEnd::done;
    if (end == PhaseEnd::time_limit) time_limit_hit_ = true;
    return end != PhaseEnd::time_limit;
  }
  bool run_phases(Report& r);

  const Options& opt_;
  std::unique_ptr<Protocol> protocol_;
  PoolConfig pool_config_;
  ClientPool pool_;
  Progress progress_;
  std::int64_t hard_deadline_;
  std::int64_t last_join_ns_ = 0;
  bool time_limit_hit_ = false;
  std::uint64_t joins_ = 0, errors_ = 0;
};

bool Idle::run_phases(Report& r) {
  if (!opt_.server_pids.empty()) r.memory_before = servers_memory(opt_.server_pids);
  pool_.start(now_ns());
  const bool go_on = phase("register", hard_deadline_, [this] { return pool_.setup_done(); });
  fill_registration(r, pool_);
  if (!go_on) return false;

  // Join announcements still queued in the server would count as its memory.
  // Each room's members announce themselves to the ones already there.
  const bool exact = protocol_->exact_join_count();
  const std::uint64_t expected = protocol_->announces_joins() && !opt_.part
                                     ? expected_join_lines(pool_.registered(), pool_config_.rooms.size())
                                     : 0;
  last_join_ns_ = now_ns();
  auto settled = [&] { return joins_ >= expected || (!exact && now_ns() - last_join_ns_ >= kQuietSettleNs); };
  if (!phase("settle", now_ns() + seconds_to_ns(opt_.settle_timeout), settled, &r.settled)) return false;
  if (joins_ < expected) diag("only {} of {} join lines arrived", joins_, expected);

  const CpuSnapshot before = cpu_snapshot(opt_.server_pids);
  const bool held = phase("hold", now_ns() + seconds_to_ns(opt_.duration), [] { return false; });
  fill_cpu(r, before, cpu_snapshot(opt_.server_pids));
  if (!opt_.server_pids.empty()) r.memory_after = servers_memory(opt_.server_pids);
  return held;
}

Report Idle::run() {
  Report r;
  r.scenario = "idle";
  fill_setup(r, opt_, pool_config_);
  r.clients = opt_.clients;
  r.duration = opt_.duration;
  r.measured_seconds = opt_.duration;
  run_phases(r);
  r.time_limit_hit = time_limit_hit_;
  r.error_lines = errors_;
  fill_problems(r, pool_);
  if (!time_limit_hit_) {
    pool_.say_farewell();
    phase("leave", now_ns() + kFarewellTimeoutNs, [this] { return pool_.leaving() == 0; });
  }
  pool_.close_all();
  return r;
}

}  // namespace

Report run_idle(const Options& options) {
  Idle idle(options);
  return idle.run();
}

}  // namespace parley::bench
