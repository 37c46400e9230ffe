#pragma once
// What the irc/message unit tests share: parsing a line that must parse, or
// must not, and reading tags.
//
// Each test quotes the sentence of the reference it checks:
//   [modern]  the modern IRC client protocol, "Message format" (modern.ircdocs.horse)
//   [tags]    IRCv3 message-tags (ircv3.net/specs/extensions/message-tags)
//   [rfc2812] RFC 2812, section 2.3.1, where the others are silent
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "irc/message.h"

namespace parley::irc {

// Readable failures for the error enum.
inline void PrintTo(ParseError e, std::ostream* os) {
  switch (e) {
    case ParseError::empty_line: *os << "empty_line"; return;
    case ParseError::tags_too_long: *os << "tags_too_long"; return;
    case ParseError::body_too_long: *os << "body_too_long"; return;
    case ParseError::malformed_tags: *os << "malformed_tags"; return;
    case ParseError::no_command: *os << "no_command"; return;
    case ParseError::bad_command: *os << "bad_command"; return;
  }
  *os << "ParseError(" << static_cast<int>(e) << ")";
}

namespace message_testing {

using namespace std::string_literals;
using Params = std::vector<std::string>;

// Parses a line that must parse; the test fails (and an empty Message is
// returned) if it does not.
inline Message ok(std::string_view line) {
  ParseResult r = parse_message(line);
  EXPECT_TRUE(r.message.has_value()) << "line: \"" << line << "\" failed: "
                                     << testing::PrintToString(r.error);
  return r.message.value_or(Message{});
}

// The error a line that must not parse gives.
inline ParseError error_of(std::string_view line, std::size_t max_tags = kMaxClientTagBytes,
                    std::size_t max_body = kMaxBodyBytes) {
  ParseResult r = parse_message(line, max_tags, max_body);
  EXPECT_FALSE(r.message.has_value()) << "line: \"" << line << "\" parsed";
  return r.error;
}

inline std::string tag_or(const Message& m, std::string_view key, std::string fallback = "<absent>") {
  const std::string* v = m.tag(key);
  return v ? *v : fallback;
}

}  // namespace message_testing
}  // namespace parley::irc
