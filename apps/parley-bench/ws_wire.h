#pragma once
// IRC over WebSocket (--ws): wraps another protocol's sessions (IRC's) in the
// IRCv3 WebSocket transport of parleyd's web port. The upgrade request goes
// first; then each line the inner session writes becomes one masked text
// frame, and each message from the server is handed to it as one line.

#include <memory>
#include <string>

#include "wire.h"

namespace parley::bench {

// `host`: the Host header ("127.0.0.1:8080").
std::unique_ptr<Protocol> make_websocket_protocol(std::unique_ptr<Protocol> inner, std::string host);

}  // namespace parley::bench
