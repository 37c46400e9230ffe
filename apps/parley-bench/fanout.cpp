#include "fanout.h"

#include <fmt/core.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client_pool.h"
#include "clock.h"
#include "delivery_ledger.h"
#include "diag.h"
#include "payload.h"
#include "phase_loop.h"
#include "rate_schedule.h"
#include "scenario_common.h"
#include "window_tracker.h"

namespace parley::bench {
namespace {

constexpr std::size_t kMaxQueuedBytes = 64 * 1024;  // rate mode: a sender's unsent bytes before it waits
constexpr std::size_t kSendsPerStep = 50'000;
constexpr std::int64_t kBlockedRetryNs = kNsPerMs;
constexpr std::uint64_t kErrorLinesShown = 5;
constexpr std::int64_t kQuietSettleNs = kNsPerSec;     // inexact join counts: settled after this much quiet
constexpr std::int64_t kFarewellTimeoutNs = 5 * kNsPerSec;

class Fanout final : public PoolListener {
 public:
  explicit Fanout(const Options& o)
      : opt_(o),
        protocol_(make_protocol(o)),
        echo_(protocol_->echoes_to_sender()),
        clients_(o.clients),
        senders_(o.senders),
        pool_config_(pool_config(o, *protocol_)),
        pool_(pool_config_, *protocol_, *this),
        ledger_(o.clients, o.senders),
        sent_per_sender_(o.senders),
        is_ready_(o.senders, 0),
        progress_(now_ns()),
        hard_deadline_(now_ns() + seconds_to_ns(o.time_limit)) {}

  Report run();
  void on_delivery(std::size_t client, std::string_view payload, std::int64_t now) override;
  void on_member_joined(std::size_t) override {
    ++joins_;
    last_join_ns_ = now_ns();
  }
  void on_error_line(std::size_t client, std::string_view line) override {
    if (++errors_ <= kErrorLinesShown) diag("{} got: {}", pool_.name(client), line);
  }

 private:
  // Runs one phase; false when the run must stop (time limit).
  template <class Done>
  bool phase(std::string_view name, std::int64_t deadline, Done&& done, bool* finished = nullptr) {
    const PhaseEnd end = run_phase(
        pool_, progress_, deadline, hard_deadline_, done, [this](std::int64_t now) { return step(now); },
        [this, name] {
          return ProgressSample{name, pool_.connected(), clients_, sent_total_, delivered_total_};
        });
    if (finished) *finished = end == PhaseEnd::done;
    if (end == PhaseEnd::time_limit) time_limit_hit_ = true;
    return end != PhaseEnd::time_limit;
  }
  bool run_phases(Report& r);
  bool settle(Report& r);
  void say_farewell();
  std::int64_t step(std::int64_t now);
  bool send(std::uint32_t sender, std::int64_t stamp_ns);
  void mark_ready(std::uint32_t sender);
  bool sending_finished() const { return !schedule_ || schedule_->finished(); }
  // Members that receive one message: all of them, or all but its sender.
  std::size_t recipients(std::size_t members) const { return echo_ || members == 0 ? members : members - 1; }
  std::uint64_t lost() const;

  const Options& opt_;
  std::unique_ptr<Protocol> protocol_;
  bool echo_;
  std::size_t clients_;
  std::size_t senders_;
  PoolConfig pool_config_;
  ClientPool pool_;
  DeliveryLedger ledger_;
  std::vector<std::uint32_t> sent_per_sender_;
  std::optional<RateSchedule> schedule_;
  std::optional<WindowTracker> window_;
  std::vector<std::uint32_t> ready_;   // window mode: senders with a free slot
  std::vector<std::uint32_t> batch_;   // the ready senders being served
  std::vector<char> is_ready_;
  Histogram latency_;
  std::string payload_;
  Progress progress_;
  std::int64_t hard_deadline_;
  std::int64_t measure_start_ = kNever;
  std::int64_t measure_end_ = kNever;
  std::int64_t send_stop_ = kNever;
  std::int64_t last_join_ns_ = 0;
  bool time_limit_hit_ = false;
  std::uint64_t joins_ = 0, sent_total_ = 0, delivered_total_ = 0, expected_total_ = 0;
  std::uint64_t sent_in_window_ = 0, delivered_in_window_ = 0, foreign_ = 0, errors_ = 0;
};

void Fanout::on_delivery(std::size_t client, std::string_view payload, std::int64_t now) {
  const auto st = decode_payload(payload);
  if (!st || st->sender >= senders_) {
    ++foreign_;
    return;
  }
  ledger_.record(client, st->sender, st->seq);
  ++delivered_total_;
  if (now >= measure_start_ && now < measure_end_) ++delivered_in_window_;
  if (st->sent_ns >= measure_start_ && st->sent_ns < measure_end_) latency_.record(now - st->sent_ns);
  // A message is in flight until every member that receives it has it.
  if (window_ && window_->on_received(st->sender, st->seq)) mark_ready(st->sender);
}

void Fanout::mark_ready(std::uint32_t sender) {
  if (is_ready_[sender]) return;
  is_ready_[sender] = 1;
  ready_.push_back(sender);
}

bool Fanout::send(std::uint32_t sender, std::int64_t stamp_ns) {
  const std::uint32_t seq = sent_per_sender_[sender] + 1;
  encode_payload({sender, seq, stamp_ns}, opt_.size, payload_);
  if (!pool_.send_message(sender, payload_)) return false;
  sent_per_sender_[sender] = seq;
  ++sent_total_;
  expected_total_ += recipients(pool_.connected());
  if (stamp_ns >= measure_start_ && stamp_ns < measure_end_) ++sent_in_window_;
  if (window_) window_->on_sent(sender, seq);
  return true;
}

std::int64_t Fanout::step(std::int64_t now) {
  if (schedule_) {
    return schedule_->run_due(now, kSendsPerStep, kBlockedRetryNs, [this](std::uint32_t s, std::int64_t scheduled) {
      if (pool_.queued_bytes(s) > kMaxQueuedBytes) return false;  // wait; the scheduled time stays
      send(s, scheduled);  // a closed sender just skips its turn
      return true;
    });
  }
  if (!window_ || now >= send_stop_) return kNever;
  batch_.clear();
  batch_.swap(ready_);
  for (const std::uint32_t s : batch_) {
    is_ready_[s] = 0;
    while (window_->can_send(s) && send(s, now_ns())) {
    }
  }
  return send_stop_;
}

std::uint64_t Fanout::lost() const {
  // Recipients the server disconnected are reported as such, not as losses.
  std::uint64_t lost = 0;
  for (std::size_t r = 0; r < clients_; ++r)
    if (pool_.in_room(r)) lost += ledger_.lost_for(r, sent_per_sender_, !echo_);
  return lost;
}

// Waits until the join announcements have arrived, so that none are in
// flight while measuring.
bool Fanout::settle(Report& r) {
  const std::uint64_t expected = protocol_->announces_joins() ? expected_join_lines(clients_) : 0;
  const bool exact = protocol_->exact_join_count();
  last_join_ns_ = now_ns();
  if (!phase("settle", now_ns() + seconds_to_ns(opt_.settle_timeout),
             [&] { return joins_ >= expected || (!exact && now_ns() - last_join_ns_ >= kQuietSettleNs); },
             &r.settled))
    return false;
  if (joins_ < expected) {
    if (exact) diag("only {} of {} join lines arrived; sending anyway", joins_, expected);
    else diag("{} of {} join lines arrived (the {} server may not send them all)", joins_, expected, protocol_->name());
  }
  return true;
}

bool Fanout::run_phases(Report& r) {
  pool_.start(now_ns());
  const bool go_on = phase("register", hard_deadline_, [this] { return pool_.setup_done(); });
  fill_registration(r, pool_);
  if (!go_on || pool_.failed() > 0) return false;
  if (!settle(r)) return false;

  const std::int64_t start = now_ns();
  measure_start_ = start + seconds_to_ns(opt_.warmup);
  measure_end_ = measure_start_ + seconds_to_ns(opt_.duration);
  send_stop_ = measure_end_;
  if (opt_.window > 0) {
    const std::size_t needed = recipients(clients_);
    window_.emplace(senders_, opt_.window, static_cast<std::uint32_t>(needed));
    for (std::uint32_t s = 0; s < senders_; ++s) mark_ready(s);
  } else {
    schedule_.emplace(senders_, opt_.rate, start, send_stop_);
  }
  auto never = [] { return false; };
  if (!phase("warmup", measure_start_, never)) return false;
  const CpuSnapshot before = cpu_snapshot(opt_.server_pids);
  const bool measured = phase("measure", measure_end_, never);
  fill_cpu(r, before, cpu_snapshot(opt_.server_pids));
  if (!measured) return false;

  return phase("drain", now_ns() + seconds_to_ns(opt_.drain_timeout),
               [this] { return sending_finished() && delivered_total_ >= expected_total_; }, &r.drained);
}

// Protocols whose server wants a goodbye (the seed) get it, and the bench
// waits a little for the server to close.
void Fanout::say_farewell() {
  pool_.say_farewell();
  phase("leave", now_ns() + kFarewellTimeoutNs, [this] { return pool_.leaving() == 0; });
}

Report Fanout::run() {
  Report r;
  r.scenario = "fanout";
  fill_setup(r, opt_, pool_config_);
  r.clients = clients_;
  r.senders = senders_;
  r.size = opt_.size;
  r.rate = opt_.rate;
  r.window = opt_.window;
  r.warmup = opt_.warmup;
  r.duration = opt_.duration;
  r.measured_seconds = opt_.duration;

  const bool completed = run_phases(r);
  if (!completed && !time_limit_hit_ && pool_.failed() > 0)
    diag("{} of {} connections failed to register; not sending", pool_.failed(), pool_.connections());
  r.time_limit_hit = time_limit_hit_;
  r.sent = sent_in_window_;
  r.delivered = delivered_in_window_;
  if (latency_.count() > 0) r.latency = percentiles_ms(latency_);
  r.sent_total = sent_total_;
  r.delivered_total = delivered_total_;
  r.expected_total = expected_total_;
  r.lost = lost();
  r.out_of_order = ledger_.out_of_order();
  r.foreign_lines = foreign_;
  r.error_lines = errors_;
  fill_problems(r, pool_);
  if (!time_limit_hit_) say_farewell();
  pool_.close_all();
  return r;
}

}  // namespace

Report run_fanout(const Options& options) {
  Fanout fanout(options);
  return fanout.run();
}

}  // namespace parley::bench
