#pragma once
// Where Redis listens, from a "redis://host:port" URL ([cluster] redis).
#include <cstdint>
#include <optional>
#include <string>

namespace parley::backplane {

struct RedisAddress {
  std::string host;
  std::uint16_t port = 6379;
};

// nullopt for anything but redis://HOST[:PORT][/] (HOST a name, an IPv4
// address or an IPv6 address in brackets).
std::optional<RedisAddress> parse_redis_url(const std::string& url);

}  // namespace parley::backplane
