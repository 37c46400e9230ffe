// Host cloaks: stable per key and address, different across keys and
// addresses, and shaped as a host an IRC prefix or ban mask can carry.
#include <gtest/gtest.h>

#include <stdexcept>

#include "auth/host_cloak.h"

namespace parley::auth {
namespace {

TEST(HostCloak, SameKeyAndAddressGiveTheSameCloak) {
  const std::string key = HostCloak::new_key();
  EXPECT_EQ(HostCloak(key).cloak("127.0.0.1"), HostCloak(key).cloak("127.0.0.1"));
}

TEST(HostCloak, HidesTheAddressAndIsAHostName) {
  const std::string cloak = HostCloak(HostCloak::new_key()).cloak("192.0.2.7");
  EXPECT_EQ(cloak.find("192"), std::string::npos);
  EXPECT_EQ(cloak.size(), 16u + std::string(".parley").size());
  EXPECT_TRUE(cloak.ends_with(".parley"));
  for (char c : cloak) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7') || c == '.') << cloak;
}

TEST(HostCloak, DiffersByAddressAndByKey) {
  const HostCloak one(HostCloak::new_key());
  EXPECT_NE(one.cloak("127.0.0.1"), one.cloak("127.0.0.2"));
  EXPECT_NE(one.cloak("::1"), one.cloak("127.0.0.1"));
  EXPECT_NE(one.cloak("127.0.0.1"), HostCloak(HostCloak::new_key()).cloak("127.0.0.1"));
}

TEST(HostCloak, RefusesAKeyOfTheWrongSize) {
  EXPECT_THROW(HostCloak(std::string(31, 'k')), std::invalid_argument);
  EXPECT_THROW(HostCloak(std::string(33, 'k')), std::invalid_argument);
  EXPECT_NO_THROW(HostCloak(std::string(32, 'k')));
}

}  // namespace
}  // namespace parley::auth
