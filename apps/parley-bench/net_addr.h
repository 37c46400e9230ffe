#pragma once
// Loopback IPv4 addresses: the server's, and the spread of source addresses.

#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace parley::bench {

bool is_loopback_ipv4(std::string_view host);

std::optional<sockaddr_in> make_address(std::string_view host, std::uint16_t port);

// The source address of connection `index`: 127.0.0.2 .. 127.0.0.254 in turn,
// port 0, so no single address carries many connections.
sockaddr_in source_address(std::size_t index);

}  // namespace parley::bench
