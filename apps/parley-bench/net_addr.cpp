#include "net_addr.h"

#include <arpa/inet.h>

#include <string>

namespace parley::bench {

std::optional<sockaddr_in> make_address(std::string_view host, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  const std::string h{host};
  if (inet_pton(AF_INET, h.c_str(), &a.sin_addr) != 1) return std::nullopt;
  return a;
}

bool is_loopback_ipv4(std::string_view host) {
  const auto a = make_address(host, 0);
  return a && (ntohl(a->sin_addr.s_addr) >> 24) == 127;
}

sockaddr_in source_address(std::size_t index) {
  constexpr std::size_t kFirst = 2, kCount = 253;  // 127.0.0.2 .. 127.0.0.254
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = 0;
  a.sin_addr.s_addr = htonl((127u << 24) | static_cast<std::uint32_t>(kFirst + index % kCount));
  return a;
}

}  // namespace parley::bench
