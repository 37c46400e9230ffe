#include "net/loop_state.h"

#include "net/connection.h"

namespace parley::net {

void LoopState::request_flush(std::shared_ptr<Connection> connection) {
  check_owner();
  pending_flush.push_back(std::move(connection));
}

void LoopState::run_flushes() {
  check_owner();
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
  // Acting on a deadline may close a connection (and remove it from the map).
  std::vector<std::shared_ptr<Connection>> due;
  for (auto& [id, c] : connections) {
    if (c->deadline_passed(t)) due.push_back(c);
  }
  for (auto& c : due) c->on_deadline(t);
  if (!connections.empty()) arm_sweep();
}

}  // namespace parley::net
