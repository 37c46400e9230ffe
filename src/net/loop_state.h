#pragma once
// What the network layer keeps per loop. Touched only on its own loop.
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>

#include <cstdint>
#include <functional>
#include <string>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/loop_owned.h"
#include "core/session_ref.h"
#include "metrics/registry.h"
#include "net/block_pool.h"
#include "net/heap_trim.h"
#include "net/readiness_set.h"
#include "net/write_hold.h"

namespace parley::net {

class Connection;

// A timer bound to an io_context's own executor: its pending waits are
// smaller than with the polymorphic default, which idle connections feel.
using LoopTimer = boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                                    boost::asio::wait_traits<std::chrono::steady_clock>,
                                                    boost::asio::io_context::executor_type>;

struct LoopState {
  LoopState(boost::asio::io_context& io, core::LoopIndex index)
      : io(io), index(index), readiness(io, &on_socket_ready), scratch(64 * 1024), sweep_timer(io.get_executor()),
        held_timer(io.get_executor()) {}

  // Connections' deadlines (registration, idle, closing) are checked by one
  // timer per loop rather than one per connection, which would cost each idle
  // connection a timer and a pending wait. A deadline is late by at most this.
  static constexpr std::chrono::milliseconds kSweepPeriod{250};

  // Queue now, write later: connections with new output wait here until the
  // end of the loop's pass (LoopPool::on_pass_end), so a burst of messages
  // leaves in one write per connection, not one per message.
  // Asserts that the caller runs on this loop (core/loop_owned.h): every
  // connection, and this state, belong to one loop. Free outside checked builds.
  void check_owner() const { core::check_loop(index, "network loop state"); }

  void request_flush(std::shared_ptr<Connection> connection);
  // Lines nobody waits on (others joining or leaving a room) to a connection
  // written to less than this ago wait until this long after that write: a
  // member of a filling room gets one write per delay instead of one per
  // JOIN. Connection::send_unhurried; docs/performance.md.
  static constexpr std::chrono::milliseconds kUnhurriedDelay{250};
  std::chrono::microseconds unhurried_delay = kUnhurriedDelay;  // tests lengthen it
  // Their due times are rounded up to this grid, so that the connections due
  // within one step share a timer pass (a few hundred writes) rather than
  // each waking the loop: at 10,000 members of filling rooms, ~40,000 a second.
  static constexpr std::chrono::milliseconds kUnhurriedStep{10};
  core::SteadyTime unhurried_due(core::SteadyTime last_write) const;
  // Output put off until `due`: others' room messages to a connection written
  // to lately while the loop is busy (Connection::send_relayed; its last
  // write plus write_hold.hold()), and the lines above (its last write plus
  // kUnhurriedDelay). Each connection has its own time, so the loop's writes
  // stay spread out rather than coming due together.
  void request_held_flush(std::shared_ptr<Connection> connection, core::SteadyTime due);
  // Held flushes due this close together are written in one timer's pass.
  static constexpr std::chrono::microseconds kHeldSlack{500};
  // At the end of each pass: samples the loop's load now and then, then
  // writes every connection with output due.
  void run_flushes();
  // Keeps a new connection, and makes sure the sweep runs while any are kept.
  void adopt(std::shared_ptr<Connection> connection);
  void sweep();
  // Deadlines due at once (5,000 silent connections timing out together) are
  // acted on this many per task, so the loop's other work runs in between.
  static constexpr std::size_t kDeadlinesPerTurn = 64;
  void act_on_deadlines(std::shared_ptr<std::vector<std::shared_ptr<Connection>>> due, std::size_t from,
                        std::chrono::steady_clock::time_point t);
  void arm_sweep();  // once, while connections are kept
  void arm_held_timer(core::SteadyTime at);
  void on_held_timer();

  boost::asio::io_context& io;
  core::LoopIndex index;
  // The loop's client sockets (Connection::on_ready). Before the connections:
  // destroyed after them.
  ReadinessSet readiness;
  static void on_socket_ready(void* connection, std::uint32_t events);
  std::vector<char> scratch;  // every read lands here first: idle connections own no read buffer
  BlockPool blocks;           // outboxes' storage, reused pass after pass
  std::vector<std::shared_ptr<Connection>> pending_flush;
  std::vector<std::shared_ptr<Connection>> flushing;  // run_flushes' batch
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> connections;
  LoopTimer sweep_timer;
  bool sweep_armed = false;
  struct HeldFlush {
    core::SteadyTime due;
    std::shared_ptr<Connection> connection;
    bool operator>(const HeldFlush& other) const { return due > other.due; }
  };
  std::vector<HeldFlush> held;  // a heap, the soonest due on top
  LoopTimer held_timer;
  std::optional<core::SteadyTime> held_timer_at;  // when it is armed
  WriteHold write_hold;
  HeapTrim heap_trim;  // used by loop 0's sweep only: one trim serves the process
  // Told the address of each counted connection that ends (the server keeps
  // per-address counts). One per loop, not one per connection.
  std::function<void(std::string address)> on_connection_finished;
  // Told +1 when a closed connection starts lingering (net::Connection::linger)
  // and -1 when its socket is closed: a shutdown waits for those too.
  std::function<void(int delta)> on_linger;
  // This loop's counters (metrics/registry.h); the server points it at its
  // registry's slot.
  metrics::LoopCounters unregistered_metrics;
  metrics::LoopCounters* metrics = &unregistered_metrics;
};

}  // namespace parley::net
