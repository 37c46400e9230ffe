#pragma once

#include <cstdint>
#include <string>

namespace parley::client {

// Where the server is, as the user named it.
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;

  // "HOST:PORT", with an IPv6 literal in brackets ("[::1]:7000").
  std::string display() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  }
};

}  // namespace parley::client
