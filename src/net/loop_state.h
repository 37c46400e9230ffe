#pragma once
// What the network layer keeps per loop. Touched only on its own loop.
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/session_ref.h"

namespace parley::net {

class Connection;

struct LoopState {
  LoopState(boost::asio::io_context& io, core::LoopIndex index) : io(io), index(index), scratch(64 * 1024) {}

  // Queue now, write later: connections with new output wait here for one
  // flush pass after the work already queued on the loop, so a burst of
  // messages leaves in one write per connection, not one per message.
  void request_flush(std::shared_ptr<Connection> connection);
  void run_flushes();

  boost::asio::io_context& io;
  core::LoopIndex index;
  std::vector<char> scratch;  // every read lands here first: idle connections own no read buffer
  std::vector<std::shared_ptr<Connection>> pending_flush;
  bool flush_posted = false;
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> connections;
};

}  // namespace parley::net
