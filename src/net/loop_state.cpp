#include "net/loop_state.h"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <functional>

#include <time.h>

#include "net/connection.h"

namespace parley::net {

void LoopState::on_socket_ready(void* connection, std::uint32_t events) {
  static_cast<Connection*>(connection)->on_ready(events);
}

void LoopState::request_flush(std::shared_ptr<Connection> connection) {
  check_owner();
  pending_flush.push_back(std::move(connection));
}

void LoopState::request_held_flush(std::shared_ptr<Connection> connection, core::SteadyTime due) {
  check_owner();
  held.push_back({due, std::move(connection)});
  std::push_heap(held.begin(), held.end(), std::greater<>{});
  if (!held_timer_at || due + kHeldSlack < *held_timer_at) arm_held_timer(due);
}

core::SteadyTime LoopState::unhurried_due(core::SteadyTime last_write) const {
  const auto due = (last_write + unhurried_delay).time_since_epoch();
  const auto step = std::chrono::duration_cast<core::SteadyTime::duration>(kUnhurriedStep);
  const auto past = due % step;
  return core::SteadyTime(past.count() == 0 ? due : due - past + step);
}

void LoopState::arm_held_timer(core::SteadyTime at) {
  held_timer_at = at;
  held_timer.expires_at(at);  // a wait already pending ends with operation_aborted
  held_timer.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_held_timer();
  });
}

void LoopState::on_held_timer() {
  held_timer_at.reset();
  // Their flushes run at the end of this pass, with everything else's.
  const auto horizon = std::chrono::steady_clock::now() + kHeldSlack;
  while (!held.empty() && held.front().due <= horizon) {
    std::pop_heap(held.begin(), held.end(), std::greater<>{});
    held.back().connection->flush_held();
    held.pop_back();
  }
  if (!held.empty()) arm_held_timer(held.front().due);
}

namespace {
std::chrono::nanoseconds thread_cpu_time() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
}
}  // namespace

void LoopState::run_flushes() {
  check_owner();
  if (const auto t = std::chrono::steady_clock::now(); write_hold.time_to_sample(t)) {
    write_hold.sample(t, thread_cpu_time());
    metrics->write_hold_microseconds.set(write_hold.hold().count());
  }
  // A flush can end a connection, whose goodbye may queue output for others.
  // Both vectors keep their storage from pass to pass.
  while (!pending_flush.empty()) {
    flushing.swap(pending_flush);
    for (auto& c : flushing) c->flush();
    flushing.clear();
  }
}

void LoopState::adopt(std::shared_ptr<Connection> connection) {
  check_owner();
  connections.emplace(connection->id(), std::move(connection));
  arm_sweep();
}

void LoopState::arm_sweep() {
  if (sweep_armed) return;
  sweep_armed = true;
  sweep_timer.expires_after(kSweepPeriod);
  sweep_timer.async_wait([this](boost::system::error_code ec) {
    sweep_armed = false;
    if (!ec) sweep();
  });
}

void LoopState::sweep() {
  check_owner();
  const auto t = std::chrono::steady_clock::now();
  // How late the timer ran: the loop was busy (or starved of CPU) that long.
  const auto lag = std::chrono::duration_cast<std::chrono::microseconds>(t - sweep_timer.expiry()).count();
  metrics->lag_microseconds.set(lag);
  if (lag > metrics->lag_max_microseconds.get()) metrics->lag_max_microseconds.set(lag);
  if (index == 0) heap_trim.maybe_trim(t);
  // Outbox storage no connection has used since the last sweep goes back to the kernel.
  blocks.trim();
  // Acting on a deadline may close a connection (and remove it from the map).
  std::vector<std::shared_ptr<Connection>> due;
  for (auto& [id, c] : connections) {
    if (c->deadline_passed(t)) due.push_back(c);
  }
  act_on_deadlines(std::make_shared<std::vector<std::shared_ptr<Connection>>>(std::move(due)), 0, t);
}

void LoopState::act_on_deadlines(std::shared_ptr<std::vector<std::shared_ptr<Connection>>> due, std::size_t from,
                                 std::chrono::steady_clock::time_point t) {
  const std::size_t end = std::min(due->size(), from + kDeadlinesPerTurn);
  for (std::size_t i = from; i < end; ++i) (*due)[i]->on_deadline(t);
  if (end < due->size()) {
    // The rest from a task of its own: what others send waits for one batch, not for all.
    boost::asio::post(io, [this, due = std::move(due), end, t] { act_on_deadlines(due, end, t); });
    return;
  }
  if (!connections.empty()) arm_sweep();  // not before: a connection is acted on once a sweep
}

}  // namespace parley::net
