#include "bind_addresses.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <algorithm>
#include <memory>

namespace parley::daemon {
namespace {

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> resolve(const std::string& name) {
  in6_addr any{};
  if (::inet_pton(AF_INET, name.c_str(), &any) == 1 || ::inet_pton(AF_INET6, name.c_str(), &any) == 1) return {name};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_ADDRCONFIG;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(name.c_str(), nullptr, &hints, &found); rc != 0)
    throw std::runtime_error(fmt::format("'{}' is not an IP address, and does not resolve: {}", name, gai_strerror(rc)));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(found, ::freeaddrinfo);
  std::vector<std::string> out;
  for (const addrinfo* a = found; a; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* raw = a->ai_family == AF_INET6
                          ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(a->ai_addr)->sin6_addr)
                          : static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(a->ai_addr)->sin_addr);
    if (::inet_ntop(a->ai_family, raw, text, sizeof text)) out.emplace_back(text);
  }
  return out;
}

}  // namespace

std::vector<std::string> bind_addresses(const std::string& bind) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (;;) {
    const std::size_t comma = bind.find(',', at);
    const std::string entry = trim(bind.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    if (entry.empty()) throw std::runtime_error(fmt::format("'{}' has an empty address", bind));
    for (auto& address : resolve(entry)) {
      if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(std::move(address));
    }
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return out;
}

}  // namespace parley::daemon
