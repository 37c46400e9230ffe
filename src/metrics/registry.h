#pragma once
// Counters and gauges for /metrics (issue 12). No I/O and no locks on the
// path that updates them (DESIGN.md: no lock on the message path): each event
// loop writes only its own slot, a cache line apart from the others, with
// relaxed atomic loads and stores (one writer, so no read-modify-write
// instruction is needed); prometheus_text() (render.h) sums the slots from
// any thread.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "session/close_reason.h"
#include "session/rejection.h"

namespace parley::metrics {

// A value written by one thread, read by any.
class Counter {
 public:
  void add(std::int64_t n = 1) { value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  void set(std::int64_t v) { value_.store(v, std::memory_order_relaxed); }
  std::int64_t get() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Each listener kind (protocol, plain or TLS) has a slot; a few suffice.
inline constexpr std::size_t kMaxListenerKinds = 8;
inline constexpr std::size_t kCloseReasons = static_cast<std::size_t>(session::CloseReason::silent_too_long) + 1;


// What one listener kind's connections on one loop did.
struct KindCounters {
  Counter accepted;       // connections accepted (refused ones included)
  Counter open;           // gauge: connections open now
  Counter registrations;  // connections that completed registration
  Counter lines_in;       // lines handed to the codec
  Counter sends_out;      // replies and deliveries queued for clients (one send() each)
  Counter bytes_out;      // bytes written to sockets (before TLS)
  Counter tls_handshake_failures;
};

// One loop's slot. Only that loop writes it.
struct alignas(64) LoopCounters {
  std::array<KindCounters, kMaxListenerKinds> kinds;
  std::array<Counter, kCloseReasons> disconnects;
  std::array<Counter, session::kRejections> rejected;  // by session::Rejection
  Counter outbox_bytes;       // gauge: bytes queued in this loop's outboxes
  Counter lag_microseconds;   // gauge: how late the loop's last sweep timer ran
  Counter lag_max_microseconds;  // the largest lag since start
  Counter write_hold_microseconds;  // gauge: how long others' room messages may wait now (net/write_hold.h)
  Counter held_writes;              // writes put off by that hold
};

// A value read at render time from elsewhere (storage queue, ...): called
// from the rendering thread, so it must be safe there.
struct Sampled {
  std::string name;  // without the parley_ prefix
  std::string help;
  bool counter = false;  // else a gauge
  std::function<double()> value;
};

class Registry {
 public:
  explicit Registry(std::size_t loops);

  LoopCounters& loop(std::size_t index) { return *loops_[index]; }
  const LoopCounters& loop(std::size_t index) const { return *loops_[index]; }
  std::size_t loop_count() const { return loops_.size(); }

  // The slot for a listener kind ("irc" over TLS): the same slot for the same
  // kind. Before the loops run (listeners open first); throws
  // std::length_error past kMaxListenerKinds.
  std::size_t kind(std::string_view protocol, bool tls);
  struct Kind {
    std::string protocol;
    bool tls = false;
  };
  const std::vector<Kind>& kinds() const { return kinds_; }

  // Before rendering starts.
  void add_sampled(Sampled sampled) { sampled_.push_back(std::move(sampled)); }
  const std::vector<Sampled>& sampled() const { return sampled_; }

 private:
  std::vector<std::unique_ptr<LoopCounters>> loops_;
  std::vector<Kind> kinds_;
  std::vector<Sampled> sampled_;
};

// The label a disconnect reason has in the exposition ("sendq", "ping_timeout").
std::string_view reason_label(session::CloseReason reason);

}  // namespace parley::metrics
