#include "metrics/render.h"

#include <fmt/format.h>

#include <cctype>

namespace parley::metrics {

namespace {

// Prometheus label values escape backslash, double quote and line feed.
std::string escaped(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    name_ = fmt::format("parley_{}", name);
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name_, help, name_, type);
  }
  void sample(std::string_view labels, double value) {
    out_ += name_;
    if (!labels.empty()) out_ += fmt::format("{{{}}}", labels);
    out_ += fmt::format(" {}\n", value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  std::string name_;
};

template <class Get>
std::int64_t sum_loops(const Registry& r, Get&& get) {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < r.loop_count(); ++i) total += get(r.loop(i)).get();
  return total;
}

void per_kind(Writer& w, const Registry& r, std::string_view name, std::string_view type, std::string_view help,
              Counter KindCounters::*member) {
  w.family(name, type, help);
  for (std::size_t k = 0; k < r.kinds().size(); ++k) {
    const auto& kind = r.kinds()[k];
    const auto value = sum_loops(r, [&](const LoopCounters& l) -> const Counter& { return l.kinds[k].*member; });
    w.sample(fmt::format("protocol=\"{}\",tls=\"{}\"", escaped(lowercase(kind.protocol)), kind.tls ? "true" : "false"),
             static_cast<double>(value));
  }
}

}  // namespace

std::string prometheus_text(const Registry& r) {
  Writer w;
  per_kind(w, r, "connections", "gauge", "Client connections open now.", &KindCounters::open);
  per_kind(w, r, "connections_accepted_total", "counter", "Client connections accepted, refused ones included.",
           &KindCounters::accepted);
  per_kind(w, r, "registrations_total", "counter", "Connections that completed registration (a name, NICK/USER).",
           &KindCounters::registrations);
  per_kind(w, r, "messages_in_total", "counter", "Lines received from clients and handed to the protocol.",
           &KindCounters::lines_in);
  per_kind(w, r, "deliveries_out_total", "counter", "Replies and relayed messages queued for clients.",
           &KindCounters::sends_out);
  per_kind(w, r, "bytes_out_total", "counter", "Bytes written to clients (before TLS).", &KindCounters::bytes_out);
  per_kind(w, r, "tls_handshake_failures_total", "counter", "TLS handshakes that failed or timed out.",
           &KindCounters::tls_handshake_failures);

  w.family("disconnects_total", "counter", "Connections closed, by reason.");
  for (std::size_t i = 0; i < kCloseReasons; ++i) {
    const auto reason = static_cast<session::CloseReason>(i);
    const auto value = sum_loops(r, [&](const LoopCounters& l) -> const Counter& { return l.disconnects[i]; });
    w.sample(fmt::format("reason=\"{}\"", reason_label(reason)), static_cast<double>(value));
  }
  w.family("rejected_lines_total", "counter", "Lines refused as a whole (answered with an error), by reason.");
  for (int i = 0; i < session::kRejections; ++i) {
    const auto reason = static_cast<session::Rejection>(i);
    const auto value = sum_loops(r, [&](const LoopCounters& l) -> const Counter& { return l.rejected[i]; });
    w.sample(fmt::format("reason=\"{}\"", session::rejection_label(reason)), static_cast<double>(value));
  }

  w.family("outbox_bytes", "gauge", "Bytes queued for clients and not yet written.");
  w.sample("", static_cast<double>(sum_loops(r, [](const LoopCounters& l) -> const Counter& { return l.outbox_bytes; })));
  w.family("loop_lag_seconds", "gauge", "How late each event loop's last periodic timer ran.");
  for (std::size_t i = 0; i < r.loop_count(); ++i)
    w.sample(fmt::format("loop=\"{}\"", i), static_cast<double>(r.loop(i).lag_microseconds.get()) / 1e6);
  w.family("loop_lag_max_seconds", "gauge", "The largest lag of each event loop since start.");
  for (std::size_t i = 0; i < r.loop_count(); ++i)
    w.sample(fmt::format("loop=\"{}\"", i), static_cast<double>(r.loop(i).lag_max_microseconds.get()) / 1e6);
  w.family("loop_write_hold_seconds", "gauge",
           "How long each event loop lets others' room messages wait to share a write, from how busy it is.");
  for (std::size_t i = 0; i < r.loop_count(); ++i)
    w.sample(fmt::format("loop=\"{}\"", i), static_cast<double>(r.loop(i).write_hold_microseconds.get()) / 1e6);
  w.family("held_writes_total", "counter", "Writes to a client put off by that hold, to carry more lines.");
  w.sample("", static_cast<double>(sum_loops(r, [](const LoopCounters& l) -> const Counter& { return l.held_writes; })));

  for (const Sampled& s : r.sampled()) {
    w.family(s.name, s.counter ? "counter" : "gauge", s.help);
    w.sample("", s.value());
  }
  return w.take();
}

}  // namespace parley::metrics
