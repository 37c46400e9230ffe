#include "fanout.h"

#include <fmt/core.h>

#include <optional>
#include <string>
#include <vector>

#include "client_pool.h"
#include "clock.h"
#include "delivery_ledger.h"
#include "diag.h"
#include "payload.h"
#include "phase_loop.h"
#include "protocol.h"
#include "rate_schedule.h"
#include "scenario_common.h"
#include "window_tracker.h"

namespace parley::bench {
namespace {

constexpr std::size_t kMaxQueuedBytes = 64 * 1024;  // rate mode: a sender's unsent bytes before it waits
constexpr std::size_t kSendsPerStep = 50'000;
constexpr std::int64_t kBlockedRetryNs = kNsPerMs;
constexpr std::uint64_t kErrorLinesShown = 5;

class Fanout final : public LineSink {
 public:
  explicit Fanout(const Options& o)
      : opt_(o),
        clients_(o.clients),
        senders_(o.senders),
        pool_(pool_config(o), *this),
        ledger_(o.clients, o.senders),
        sent_per_sender_(o.senders),
        is_ready_(o.senders, 0),
        progress_(now_ns()),
        hard_deadline_(now_ns() + seconds_to_ns(o.time_limit)) {}

  Report run();
  void on_line(std::size_t client, std::string_view line, std::int64_t now) override;

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
  std::int64_t step(std::int64_t now);
  bool send(std::uint32_t sender, std::int64_t stamp_ns);
  void mark_ready(std::uint32_t sender);
  bool sending_finished() const { return !schedule_ || schedule_->finished(); }
  std::uint64_t lost() const;

  const Options& opt_;
  std::size_t clients_;
  std::size_t senders_;
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
  bool time_limit_hit_ = false;
  std::uint64_t joins_ = 0, sent_total_ = 0, delivered_total_ = 0, expected_total_ = 0;
  std::uint64_t sent_in_window_ = 0, delivered_in_window_ = 0, foreign_ = 0, errors_ = 0;
};

void Fanout::on_line(std::size_t client, std::string_view line, std::int64_t now) {
  const ParsedLine p = classify_line(line);
  switch (p.kind) {
    case LineKind::message: {
      const auto st = decode_payload(p.text);
      if (!st || st->sender >= senders_) {
        ++foreign_;
        return;
      }
      ledger_.record(client, st->sender, st->seq);
      ++delivered_total_;
      if (now >= measure_start_ && now < measure_end_) ++delivered_in_window_;
      if (st->sent_ns >= measure_start_ && st->sent_ns < measure_end_) latency_.record(now - st->sent_ns);
      // A message is in flight until every other member has it (with one
      // client, until its own echo is back). Sender s is client s.
      if (window_ && (client != st->sender || clients_ == 1) && window_->on_received(st->sender, st->seq))
        mark_ready(st->sender);
      return;
    }
    case LineKind::joined:
      ++joins_;
      return;
    case LineKind::error:
      if (++errors_ <= kErrorLinesShown) diag("{} got: {}", pool_.name(client), line);
      return;
    default:
      return;
  }
}

void Fanout::mark_ready(std::uint32_t sender) {
  if (is_ready_[sender]) return;
  is_ready_[sender] = 1;
  ready_.push_back(sender);
}

bool Fanout::send(std::uint32_t sender, std::int64_t stamp_ns) {
  const std::uint32_t seq = sent_per_sender_[sender] + 1;
  encode_payload({sender, seq, stamp_ns}, opt_.size, payload_);
  if (!pool_.send_line(sender, payload_)) return false;
  sent_per_sender_[sender] = seq;
  ++sent_total_;
  expected_total_ += pool_.connected();
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
    if (pool_.joined(r)) lost += ledger_.lost_for(r, sent_per_sender_);
  return lost;
}

bool Fanout::run_phases(Report& r) {
  pool_.start(now_ns());
  const bool go_on = phase("register", hard_deadline_, [this] { return pool_.registration_done(); });
  fill_registration(r, pool_);
  if (!go_on || pool_.failed() > 0) return false;

  const std::uint64_t joins_expected = expected_join_lines(clients_);
  if (!phase("settle", now_ns() + seconds_to_ns(opt_.settle_timeout),
             [&] { return joins_ >= joins_expected; }, &r.settled))
    return false;
  if (!r.settled)
    diag("only {} of {} join lines arrived; sending anyway", joins_, joins_expected);

  const std::int64_t start = now_ns();
  measure_start_ = start + seconds_to_ns(opt_.warmup);
  measure_end_ = measure_start_ + seconds_to_ns(opt_.duration);
  send_stop_ = measure_end_;
  if (opt_.window > 0) {
    window_.emplace(senders_, opt_.window, clients_ > 1 ? clients_ - 1 : 1);
    for (std::uint32_t s = 0; s < senders_; ++s) mark_ready(s);
  } else {
    schedule_.emplace(senders_, opt_.rate, start, send_stop_);
  }
  auto never = [] { return false; };
  if (!phase("warmup", measure_start_, never)) return false;
  const CpuSnapshot before = cpu_snapshot(opt_.server_pid);
  const bool measured = phase("measure", measure_end_, never);
  fill_cpu(r, before, cpu_snapshot(opt_.server_pid));
  if (!measured) return false;

  return phase("drain", now_ns() + seconds_to_ns(opt_.drain_timeout),
               [this] { return sending_finished() && delivered_total_ >= expected_total_; }, &r.drained);
}

Report Fanout::run() {
  Report r;
  r.scenario = "fanout";
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
    diag("{} of {} registrations failed; not sending", pool_.failed(), clients_);
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
  pool_.close_all();
  return r;
}

}  // namespace

Report run_fanout(const Options& options) {
  Fanout fanout(options);
  return fanout.run();
}

}  // namespace parley::bench
