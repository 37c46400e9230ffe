#pragma once
// --bind / `bind`: one or several addresses, separated by commas, each an IP
// address (IPv4, IPv6, "::" for every address) or a host name ("localhost"),
// which stands for every address it resolves to.
#include <stdexcept>
#include <string>
#include <vector>

namespace parley::daemon {

// The IP addresses to listen on, in the order given, each once. Throws
// std::runtime_error naming an entry that is empty or does not resolve.
std::vector<std::string> bind_addresses(const std::string& bind);

}  // namespace parley::daemon
