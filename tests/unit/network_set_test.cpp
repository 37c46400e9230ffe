// net::NetworkSet: the networks of [limits] exempt_networks, and whether an
// address falls in one.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "net/network_set.h"

namespace parley::net {
namespace {

TEST(NetworkSet, LoopbackIsTheDefault) {
  const NetworkSet loopback = NetworkSet::loopback();
  EXPECT_EQ(loopback.to_strings(), (std::vector<std::string>{"127.0.0.0/8", "::1/128"}));
  EXPECT_TRUE(loopback.contains("127.0.0.1"));
  EXPECT_TRUE(loopback.contains("127.0.0.0"));
  EXPECT_TRUE(loopback.contains("127.255.255.255"));
  EXPECT_TRUE(loopback.contains("::1"));
  EXPECT_FALSE(loopback.contains("128.0.0.0"));
  EXPECT_FALSE(loopback.contains("126.255.255.255"));
  EXPECT_FALSE(loopback.contains("::2"));
  EXPECT_FALSE(loopback.contains("::"));
  EXPECT_FALSE(loopback.contains("192.0.2.1"));
}

// A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d.
TEST(NetworkSet, MappedAddressesMatchAsIpv4) {
  const NetworkSet loopback = NetworkSet::loopback();
  EXPECT_TRUE(loopback.contains("::ffff:127.0.0.1"));
  EXPECT_FALSE(loopback.contains("::ffff:10.0.0.1"));
}

TEST(NetworkSet, EmptyContainsNothing) {
  const NetworkSet none(std::vector<std::string>{});
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.contains("127.0.0.1"));
  EXPECT_FALSE(none.contains("::1"));
  EXPECT_FALSE(NetworkSet().contains("127.0.0.1"));
}

TEST(NetworkSet, PrefixEdges) {
  const NetworkSet set({"10.0.0.0/8", "192.168.4.0/23", "fd00::/8", "2001:db8::/127"});
  EXPECT_TRUE(set.contains("10.0.0.0"));
  EXPECT_TRUE(set.contains("10.255.255.255"));
  EXPECT_FALSE(set.contains("11.0.0.0"));
  EXPECT_FALSE(set.contains("9.255.255.255"));
  EXPECT_TRUE(set.contains("192.168.4.0"));
  EXPECT_TRUE(set.contains("192.168.5.255"));
  EXPECT_FALSE(set.contains("192.168.6.0"));
  EXPECT_FALSE(set.contains("192.168.3.255"));
  EXPECT_TRUE(set.contains("fd12:3456::1"));
  EXPECT_FALSE(set.contains("fe00::1"));
  EXPECT_TRUE(set.contains("2001:db8::"));
  EXPECT_TRUE(set.contains("2001:db8::1"));
  EXPECT_FALSE(set.contains("2001:db8::2"));
  // IPv4 networks do not match IPv6 addresses, nor the other way round.
  EXPECT_FALSE(set.contains("::a00:1"));
  EXPECT_FALSE(set.contains("not an address"));
  EXPECT_FALSE(set.contains(""));
}

TEST(NetworkSet, WholeFamiliesAndSingleHosts) {
  const NetworkSet all({"0.0.0.0/0", "::/0"});
  EXPECT_TRUE(all.contains("203.0.113.9"));
  EXPECT_TRUE(all.contains("2001:db8::9"));
  // A bare address is that one host.
  const NetworkSet hosts({"192.0.2.7", "2001:db8::7"});
  EXPECT_EQ(hosts.to_strings(), (std::vector<std::string>{"192.0.2.7/32", "2001:db8::7/128"}));
  EXPECT_TRUE(hosts.contains("192.0.2.7"));
  EXPECT_FALSE(hosts.contains("192.0.2.6"));
  EXPECT_FALSE(hosts.contains("192.0.2.8"));
  EXPECT_TRUE(hosts.contains("2001:db8::7"));
  EXPECT_FALSE(hosts.contains("2001:db8::8"));
}

std::string error_of(const std::string& network) {
  try {
    NetworkSet set({network});
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(NetworkSet, RejectsWhatIsNotANetwork) {
  for (const std::string bad : {"10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/8x", "10.0.0.0/-1", "10.0.0/8",
                                "localhost", "", "/8", "10.0.0.0/8/8", "10.0.0.0 /8", "10.0.0.0/99999999999",
                                "256.0.0.0/8", "fe80::1%lo/64"}) {
    const std::string error = error_of(bad);
    EXPECT_NE(error, "(accepted)") << bad;
    EXPECT_NE(error.find("'" + bad + "' is not a network in CIDR form"), std::string::npos) << error;
  }
}

TEST(NetworkSet, RejectsBitsPastThePrefix) {
  EXPECT_NE(error_of("10.1.2.3/8").find("did you mean 10.0.0.0/8?"), std::string::npos) << error_of("10.1.2.3/8");
  EXPECT_NE(error_of("fd00::1/8").find("did you mean fd00::/8?"), std::string::npos) << error_of("fd00::1/8");
}

}  // namespace
}  // namespace parley::net
