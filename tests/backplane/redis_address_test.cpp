#include <gtest/gtest.h>

#include "backplane/redis_address.h"

namespace parley::backplane {
namespace {

TEST(RedisUrl, HostAndPort) {
  auto a = parse_redis_url("redis://127.0.0.1:6380");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 6380);
  a = parse_redis_url("redis://cache.example/");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "cache.example");
  EXPECT_EQ(a->port, 6379);
  a = parse_redis_url("redis://[::1]:7000");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 7000);
  a = parse_redis_url("redis://[::1]");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->port, 6379);
}

TEST(RedisUrl, PortAtAndPastItsEdges) {
  EXPECT_TRUE(parse_redis_url("redis://h:1"));
  EXPECT_TRUE(parse_redis_url("redis://h:65535"));
  EXPECT_FALSE(parse_redis_url("redis://h:0"));
  EXPECT_FALSE(parse_redis_url("redis://h:65536"));
  EXPECT_FALSE(parse_redis_url("redis://h:"));
  EXPECT_FALSE(parse_redis_url("redis://h:12x"));
}

TEST(RedisUrl, WhatIsNotARedisUrl) {
  EXPECT_FALSE(parse_redis_url("127.0.0.1:6379"));
  EXPECT_FALSE(parse_redis_url("rediss://h:6379"));  // TLS: not supported yet
  EXPECT_FALSE(parse_redis_url("redis://"));
  EXPECT_FALSE(parse_redis_url("redis://user:pw@h:6379"));
  EXPECT_FALSE(parse_redis_url("redis://h:6379/0"));
  EXPECT_FALSE(parse_redis_url("redis://[::1"));
}

}  // namespace
}  // namespace parley::backplane
