#pragma once
// The HTTP port's policy: where it listens, who may open a WebSocket, and the
// bounds each connection keeps ([http] in the configuration).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "net/network_set.h"

namespace parley::web {

struct WebSettings {
  std::string bind;         // empty: the server's bind address
  std::uint16_t port = 8080;  // 0 in a test picks a free one; `enabled` false turns the port off
  bool enabled = true;
  // Origins (scheme://host[:port]) whose pages may open a WebSocket, besides
  // the page's own (same-origin is always allowed). "*" allows any.
  std::vector<std::string> allowed_origins;
  // A WebSocket message longer than max_message_bytes (the IRC port's line
  // limit; parleyd sets it) is one IRC line too long: the session answers
  // with an error and the connection stays. Longer than max_frame_bytes, the
  // connection is closed (1009) without reading it whole.
  std::size_t max_message_bytes = 4606;
  std::size_t max_frame_bytes = 64 * 1024;
  std::size_t outbox_bytes = 1 << 20;
  std::chrono::seconds handshake_timeout{10};  // the HTTP request, and the WebSocket upgrade
  std::size_t connections_per_address = 10;     // 0: unlimited
  net::NetworkSet exempt_networks = net::NetworkSet::loopback();  // parleyd passes [limits] exempt_networks
};

}  // namespace parley::web
