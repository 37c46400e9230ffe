#pragma once
// IRC messages: parsing one client line, and writing the server's own lines.
//
// The wire format is the modern IRC client protocol's (modern.ircdocs.horse,
// "Message format") with IRCv3 message tags (ircv3.net/specs/extensions/message-tags):
//
//   ['@' <tags> SPACE] [':' <source> SPACE] <command> <parameters>
//
// where SPACE is one or more ' ' characters. The parser works on string_views
// of the line and allocates only the strings of the Message it fills.
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irc/line_split.h"

namespace parley::irc {

struct Tag {
  std::string key;    // as sent, with any '+' (client-only) and "vendor/" prefix
  std::string value;  // unescaped; "" when absent ("a" and "a=" mean the same, per spec)
};

struct Message {
  std::vector<Tag> tags;
  std::string source;               // the prefix without ':' ("" if none)
  std::string command;              // upper-cased ASCII for words; numerics as-is ("001")
  std::vector<std::string> params;  // the trailing parameter (after " :") is the last one

  // The value of the tag `key` (exact, case-sensitive match), or nullptr if it
  // is absent. Parsed messages hold each key once; if a hand-built message
  // holds a key twice, the last one wins, as it does on the wire.
  const std::string* tag(std::string_view key) const;
};

enum class ParseError {
  empty_line,      // nothing but spaces: ignore it silently, as the spec says
  tags_too_long,   // tag data over the limit: 417 ERR_INPUTTOOLONG, never truncate
  body_too_long,   // source + command + params over the limit: 417 ERR_INPUTTOOLONG
  malformed_tags,  // "@" with no tags, or a tag with an empty key ("@;a", "@=v")
  no_command,      // only tags and/or a source
  bad_command,     // neither letters only nor three digits
};

struct ParseResult {
  std::optional<Message> message;
  ParseError error{};  // meaningful only when message is empty
};

// The IRCv3 limit on tag data a client may send (between the '@' and the space).
inline constexpr std::size_t kMaxClientTagBytes = 4094;
// A whole line less its CR LF: what is left for source, command and parameters.
inline constexpr std::size_t kMaxBodyBytes = kLineBytes - 2;
// From RFC 1459/2812: after 14 middle parameters, the rest of the line
// (spaces included, one leading ':' stripped) is the 15th and last.
inline constexpr std::size_t kMaxParams = 15;

// Parses one line without its line end.
//
// Limits: the tag data (after '@', before the space) at most max_tag_bytes; the
// body (source, command and parameters, from the first non-space after the tag
// section to the end of the line) at most max_body_bytes.
//
// Accepts one or more spaces between parts (and before the first) and ignores
// spaces at the end of a line without a trailing parameter. Duplicate tag keys keep only the last
// occurrence. Tag keys are opaque: anything but an empty key is accepted. The
// source is not checked (servers ignore a client's source anyway). Bytes such
// as NUL or a lone CR inside the line are passed through: the codec above
// decides what text it accepts, and the serializers below never emit them.
ParseResult parse_message(std::string_view line, std::size_t max_tag_bytes = kMaxClientTagBytes,
                          std::size_t max_body_bytes = kMaxBodyBytes);
// The same into `m`, whose strings and vectors keep their room: a session
// that parses into one Message line after line allocates nothing once its
// lines have been seen. Everything in `m` is overwritten; after an error its
// content is unspecified.
std::optional<ParseError> parse_message_into(Message& m, std::string_view line,
                                             std::size_t max_tag_bytes = kMaxClientTagBytes,
                                             std::size_t max_body_bytes = kMaxBodyBytes);

// IRCv3 tag value escaping: ';' -> "\:", ' ' -> "\s", '\' -> "\\", CR -> "\r", LF -> "\n";
// NUL, which has no escape, is left out.
std::string escape_tag_value(std::string_view v);
// The same, appended to `out`.
void append_escaped_tag_value(std::string& out, std::string_view v);
// The reverse. A lone '\' at the end is dropped; a '\' before any other
// character is dropped and the character kept ("\b" -> "b").
std::string unescape_tag_value(std::string_view v);

// Whether `key` is a tag key by the message-tags grammar:
// ['+'] [vendor '/'] key_name, key_name being ASCII letters, digits and '-',
// vendor a host name (letters, digits, '-' and '.').
bool is_valid_tag_key(std::string_view key);

// The client-only tags of a message ("+key[=value]"), in wire form joined by
// ';' ("+a=b;+c"), to be relayed (message-tags); "" if none. A tag whose key
// breaks the grammar, or whose value holds what no escape can carry (NUL, or
// bytes that are not UTF-8), is dropped: a sender cannot split or corrupt the
// line its recipients read.
std::string client_only_tags(const Message& m);

// Serializing, for the server's own lines: appends to `out`, ends with "\r\n".
// "@tags " (values escaped; an empty value is written as a bare key) when
// there are tags, ":source " when there is one, the command, then the params.
// The last param gets a ':' prefix when it is empty, contains a space, or
// starts with ':'. Every other param must be non-empty, free of spaces and not
// start with ':' (the caller's duty; it is not checked).
//
// Defence in depth against line injection: any CR, LF or NUL in the source,
// command or params is written as a space. No length limit is applied: fit
// long text with split_utf8 (line_split.h) before building the message.
void append_message(std::string& out, const Message& m);
std::string to_line(const Message& m);

// A fast path used on the fan-out hot path, without building a Message:
//   ":source COMMAND m1 m2 :trailing\r\n"
// The source part is left out when `source` is empty. `trailing` is always
// written as a trailing parameter (with ':'), even when empty, so that a text
// which is empty or starts with ':' survives. CR, LF and NUL become spaces, as
// in append_message.
std::string format_line(std::string_view source, std::string_view command,
                        std::initializer_list<std::string_view> middle, std::string_view trailing);
// The same line, appended to `out` (which the caller may have reserved).
void append_line(std::string& out, std::string_view source, std::string_view command,
                 std::initializer_list<std::string_view> middle, std::string_view trailing);
// The bytes append_line appends.
std::size_t line_size(std::string_view source, std::string_view command,
                      std::initializer_list<std::string_view> middle, std::string_view trailing);

}  // namespace parley::irc
