#pragma once

#include <chrono>
#include <string>

#include "endpoint.hpp"
#include "unique_fd.hpp"

namespace parley::client {

struct Connected {
  UniqueFd socket;    // valid on success: non-blocking, close-on-exec, TCP_NODELAY
  std::string error;  // on failure: why, for "parley: cannot connect to HOST:PORT: ERROR"
};

// Connects to each address the host resolves to, in order, until one
// accepts; each attempt is given up after `timeout`.
Connected connect_to(const Endpoint& endpoint, std::chrono::milliseconds timeout);

}  // namespace parley::client
