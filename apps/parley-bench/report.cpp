#include "report.h"

#include <fmt/format.h>

#include <iterator>

namespace parley::bench {
namespace {

std::string num(std::optional<double> v) { return v ? fmt::format("{:.6g}", *v) : "null"; }
std::string num(double v) { return fmt::format("{:.6g}", v); }
std::string num(std::optional<std::int64_t> v) { return v ? fmt::format("{}", *v) : "null"; }

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
    } else {
      out += ch;
    }
  }
  return out + '"';
}

std::string percentiles_json(const std::optional<Percentiles>& p) {
  if (!p) return "null";
  return fmt::format(R"({{"p50":{},"p90":{},"p99":{},"p99_9":{},"max":{},"samples":{}}})", num(p->p50),
                     num(p->p90), num(p->p99), num(p->p999), num(p->max), p->samples);
}

double rate_of(std::uint64_t count, double seconds) { return seconds > 0 ? static_cast<double>(count) / seconds : 0; }

}  // namespace

Percentiles percentiles_ms(const Histogram& h) {
  auto ms = [&](double p) { return static_cast<double>(h.percentile(p)) / 1e6; };
  return {ms(50), ms(90), ms(99), ms(99.9), static_cast<double>(h.max()) / 1e6, h.count()};
}

double Report::sent_per_sec() const { return rate_of(sent, measured_seconds); }
double Report::deliveries_per_sec() const { return rate_of(delivered, measured_seconds); }

std::optional<double> Report::deliveries_per_server_cpu_second() const {
  if (!server_cpu_seconds || *server_cpu_seconds <= 0) return std::nullopt;
  return static_cast<double>(delivered) / *server_cpu_seconds;
}

std::optional<double> Report::rss_bytes_per_connection() const {
  if (!memory_before || !memory_after || registered == 0) return std::nullopt;
  return static_cast<double>(memory_after->total - memory_before->total) / static_cast<double>(registered);
}

std::optional<double> Report::anon_rss_bytes_per_connection() const {
  if (!memory_before || !memory_after || registered == 0) return std::nullopt;
  return static_cast<double>(memory_after->anonymous - memory_before->anonymous) / static_cast<double>(registered);
}

bool Report::ok() const {
  return lost == 0 && out_of_order == 0 && registration_failures == 0 && disconnected == 0 && !time_limit_hit;
}

std::string summary_line(const Report& r) {
  std::string s = fmt::format("{} {}: {} clients registered ({:.0f}/s", r.proto, r.scenario, r.registered, r.registrations_per_sec);
  if (r.registration) s += fmt::format(", p99 {:.2f} ms", r.registration->p99);
  s += ")";
  if (r.scenario == "fanout") {
    s += fmt::format(", {} senders, {} B, {}: sent {:.0f}/s, delivered {:.0f}/s", r.senders, r.size,
                     r.window > 0 ? fmt::format("window {}", r.window) : fmt::format("{:g} msg/s each", r.rate),
                     r.sent_per_sec(), r.deliveries_per_sec());
    if (const auto per_cpu = r.deliveries_per_server_cpu_second())
      s += fmt::format(" ({:.0f} per server CPU-s)", *per_cpu);
    if (r.latency)
      s += fmt::format(", latency ms p50 {:.3f} p90 {:.3f} p99 {:.3f} p99.9 {:.3f} max {:.3f}", r.latency->p50,
                       r.latency->p90, r.latency->p99, r.latency->p999, r.latency->max);
    s += fmt::format(", lost {}, out-of-order {}", r.lost, r.out_of_order);
  } else {
    if (r.rooms > 1) s += fmt::format(" in {} rooms", r.rooms);
    if (const auto per_conn = r.rss_bytes_per_connection())
      s += fmt::format(", server RSS {:.0f} B per connection (anonymous {:.0f} B)", *per_conn,
                       r.anon_rss_bytes_per_connection().value_or(0));
  }
  if (r.server_cpu_seconds) s += fmt::format(", server CPU {:.2f} s", *r.server_cpu_seconds);
  s += fmt::format(", bench CPU {:.2f} s", r.bench_cpu_seconds);
  if (r.machine_cpu_busy) s += fmt::format(", machine {:.0f}% busy ({} CPUs)", *r.machine_cpu_busy * 100, r.cpus);
  if (!r.quickack) s += ", no quick ACKs";
  if (r.tls) s += ", TLS";
  if (r.registration_failures) s += fmt::format(", {} registrations FAILED", r.registration_failures);
  if (r.disconnected) s += fmt::format(", {} DISCONNECTED", r.disconnected);
  if (!r.settled) s += ", join lines did not settle";
  if (!r.drained) s += ", drain timed out";
  if (r.time_limit_hit) s += ", TIME LIMIT HIT";
  return s;
}

std::string to_json(const Report& r) {
  std::string problems = "[";
  for (std::size_t i = 0; i < r.problems.size(); ++i) problems += (i ? "," : "") + quoted(r.problems[i]);
  problems += "]";
  std::string j = "{";
  auto field = [&j](std::string_view key, const std::string& value) {
    if (j.size() > 1) j += ',';
    j += fmt::format("\"{}\":{}", key, value);
  };
  const bool fanout = r.scenario == "fanout";
  field("scenario", quoted(r.scenario));
  field("proto", quoted(r.proto));
  field("ok", r.ok() ? "true" : "false");
  field("quickack", r.quickack ? "true" : "false");
  field("tls", r.tls ? "true" : "false");
  field("clients", fmt::format("{}", r.clients));
  field("senders", fanout ? fmt::format("{}", r.senders) : "null");
  field("size", fanout ? fmt::format("{}", r.size) : "null");
  field("mode", fanout ? quoted(r.window > 0 ? "window" : "rate") : "null");
  field("rate", fanout && r.window == 0 ? num(r.rate) : "null");
  field("window", fanout && r.window > 0 ? fmt::format("{}", r.window) : "null");
  field("room", r.room.empty() ? "null" : quoted(r.room));
  field("rooms", fmt::format("{}", r.rooms));
  field("warmup_s", fanout ? num(r.warmup) : "null");
  field("duration_s", num(r.duration));
  field("measured_s", num(r.measured_seconds));
  field("registered", fmt::format("{}", r.registered));
  field("registration_failures", fmt::format("{}", r.registration_failures));
  field("disconnected", fmt::format("{}", r.disconnected));
  field("registrations_per_sec", num(r.registrations_per_sec));
  field("registration_ms", percentiles_json(r.registration));
  field("registration_p99_ms", r.registration ? num(r.registration->p99) : "null");
  field("sent", fmt::format("{}", r.sent));
  field("delivered", fmt::format("{}", r.delivered));
  field("sent_per_sec", num(r.sent_per_sec()));
  field("deliveries_per_sec", num(r.deliveries_per_sec()));
  field("server_cpu_seconds", num(r.server_cpu_seconds));
  field("deliveries_per_server_cpu_second", num(r.deliveries_per_server_cpu_second()));
  field("bench_cpu_seconds", num(r.bench_cpu_seconds));
  field("cpus", fmt::format("{}", r.cpus));
  field("machine_cpu_busy", num(r.machine_cpu_busy));
  field("latency_ms", percentiles_json(r.latency));
  field("lost", fmt::format("{}", r.lost));
  field("out_of_order", fmt::format("{}", r.out_of_order));
  field("sent_total", fmt::format("{}", r.sent_total));
  field("delivered_total", fmt::format("{}", r.delivered_total));
  field("expected_total", fmt::format("{}", r.expected_total));
  field("foreign_lines", fmt::format("{}", r.foreign_lines));
  field("error_lines", fmt::format("{}", r.error_lines));
  auto total = [](const std::optional<ResidentMemory>& m) { return m ? std::optional(m->total) : std::nullopt; };
  auto anonymous = [](const std::optional<ResidentMemory>& m) {
    return m ? std::optional(m->anonymous) : std::nullopt;
  };
  field("rss_before_bytes", num(total(r.memory_before)));
  field("rss_after_bytes", num(total(r.memory_after)));
  field("rss_bytes_per_connection", num(r.rss_bytes_per_connection()));
  field("anon_rss_before_bytes", num(anonymous(r.memory_before)));
  field("anon_rss_after_bytes", num(anonymous(r.memory_after)));
  field("anon_rss_bytes_per_connection", num(r.anon_rss_bytes_per_connection()));
  field("settled", r.settled ? "true" : "false");
  field("drained", r.drained ? "true" : "false");
  field("time_limit_hit", r.time_limit_hit ? "true" : "false");
  field("problems", problems);
  return j + "}";
}

}  // namespace parley::bench
