#pragma once
// A Redis reply as our code sees it, copied out of hiredis's, so nothing
// outside redis_connection.cpp touches hiredis.
#include <cstdint>
#include <string>
#include <vector>

namespace parley::backplane {

struct RedisReply {
  enum class Type { nil, integer, string, status, error, array, lost };
  Type type = Type::nil;
  std::int64_t integer = 0;
  std::string str;  // string, status, error; lost: why
  std::vector<RedisReply> elements;

  bool ok() const { return type != Type::error && type != Type::lost; }
  // Some text for the log when !ok().
  const std::string& why() const { return str; }
};

}  // namespace parley::backplane
