#pragma once
// A set of IP networks written in CIDR form ("127.0.0.0/8", "::1/128"), and
// whether an address falls in one of them. The server exempts the networks of
// [limits] exempt_networks from connections_per_address with it.
//
// Parsing and matching use Boost.Asio's ip::network_v4/v6 inside the .cpp;
// this header stays free of Asio, so src/config can include it.
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace boost::asio::ip {
class address;
}

namespace parley::net {

class NetworkSet {
 public:
  // Loopback: 127.0.0.0/8 and ::1/128, the default exemption.
  static NetworkSet loopback();

  NetworkSet() = default;  // empty: contains nothing
  // Each string is "address/prefix" (10.0.0.0/8, fd00::/8), or a bare address
  // for that one host. Throws std::invalid_argument, saying which string is
  // wrong and why.
  explicit NetworkSet(const std::vector<std::string>& networks);

  // Whether `address` lies in one of the networks. An IPv4-mapped IPv6
  // address (::ffff:127.0.0.1, what a dual-stack listener sees) is matched
  // as the IPv4 address it carries.
  bool contains(const boost::asio::ip::address& address) const;
  // The same for an address in text ("127.0.0.1", "::1"); false if it is
  // not an address.
  bool contains(std::string_view address) const;

  bool empty() const { return networks_.empty(); }
  // The networks in canonical form ("127.0.0.0/8"), in the order given.
  std::vector<std::string> to_strings() const;

 private:
  struct Network {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4
    unsigned short prefix = 0;
  };
  std::vector<Network> networks_;
};

}  // namespace parley::net
