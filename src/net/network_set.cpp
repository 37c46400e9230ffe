#include "net/network_set.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <fmt/format.h>

namespace parley::net {

namespace ip = boost::asio::ip;

namespace {

[[noreturn]] void reject(const std::string& text, std::string_view why) {
  throw std::invalid_argument(fmt::format("'{}' is not a network in CIDR form (like 10.0.0.0/8 or fd00::/8): {}", text, why));
}

}  // namespace

NetworkSet NetworkSet::loopback() { return NetworkSet({"127.0.0.0/8", "::1/128"}); }

NetworkSet::NetworkSet(const std::vector<std::string>& networks) {
  for (const std::string& text : networks) {
    const auto slash = text.find('/');
    // A bare address is that one host.
    const std::string address_part = text.substr(0, slash);
    boost::system::error_code ec;
    const ip::address address = ip::make_address(address_part, ec);
    if (ec) reject(text, fmt::format("'{}' is not an IP address", address_part));
    std::string cidr = text;
    if (slash == std::string::npos) cidr += address.is_v4() ? "/32" : "/128";
    // Asio reads the prefix with atoi: keep it to a few digits, so an absurd
    // one is an error here rather than an overflow there.
    else if (text.size() - slash - 1 > 3) reject(text, "the prefix length is out of range");

    Network n;
    if (address.is_v4()) {
      const ip::network_v4 net = ip::make_network_v4(cidr, ec);
      if (ec) reject(text, "the prefix length must be a whole number from 0 to 32");
      // 10.1.2.3/8 is most likely a typing mistake: say what it would mean.
      if (net.address() != net.network())
        reject(text, fmt::format("bits are set past the prefix (did you mean {}?)", net.canonical().to_string()));
      const auto b = net.network().to_bytes();
      std::copy(b.begin(), b.end(), n.bytes.begin());
      n.prefix = net.prefix_length();
    } else {
      const ip::network_v6 net = ip::make_network_v6(cidr, ec);
      if (ec) reject(text, "the prefix length must be a whole number from 0 to 128");
      if (net.address().scope_id() != 0) reject(text, "a scope (%interface) has no place in a network");
      if (net.address() != net.network())
        reject(text, fmt::format("bits are set past the prefix (did you mean {}?)", net.canonical().to_string()));
      n.v6 = true;
      n.bytes = net.network().to_bytes();
      n.prefix = net.prefix_length();
    }
    networks_.push_back(n);
  }
}

bool NetworkSet::contains(const ip::address& address) const {
  if (networks_.empty()) return false;
  ip::address a = address;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
  for (const Network& n : networks_) {
    if (n.v6 != a.is_v6()) continue;
    if (n.v6) {
      const ip::network_v6 net(ip::address_v6(n.bytes), n.prefix);
      // The address's own network at that prefix length is the network itself.
      if (ip::network_v6(ip::address_v6(a.to_v6().to_bytes()), n.prefix).network() == net.network()) return true;
    } else {
      ip::address_v4::bytes_type b;
      std::copy_n(n.bytes.begin(), b.size(), b.begin());
      const ip::network_v4 net(ip::address_v4(b), n.prefix);
      if (ip::network_v4(a.to_v4(), n.prefix).network() == net.network()) return true;
    }
  }
  return false;
}

bool NetworkSet::contains(std::string_view address) const {
  boost::system::error_code ec;
  const ip::address a = ip::make_address(std::string(address), ec);
  return !ec && contains(a);
}

std::vector<std::string> NetworkSet::to_strings() const {
  std::vector<std::string> out;
  for (const Network& n : networks_) {
    if (n.v6) {
      out.push_back(ip::network_v6(ip::address_v6(n.bytes), n.prefix).to_string());
    } else {
      ip::address_v4::bytes_type b;
      std::copy_n(n.bytes.begin(), b.size(), b.begin());
      out.push_back(ip::network_v4(ip::address_v4(b), n.prefix).to_string());
    }
  }
  return out;
}

}  // namespace parley::net
