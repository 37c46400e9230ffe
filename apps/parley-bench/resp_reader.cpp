#include "resp_reader.h"

#include <charconv>

#include <fmt/format.h>

namespace parley::bench {
namespace {

constexpr int kMaxDepth = 8;
constexpr std::int64_t kMaxBulk = 512 << 20;  // Redis' own proto-max-bulk-len
constexpr std::size_t kMaxLineDigits = 24;

// The text between `pos` and the next "\r\n"; advances `pos` past it.
RespParse read_line(std::string_view data, std::size_t& pos, std::string_view& line) {
  const auto cr = data.find("\r\n", pos);
  if (cr == std::string_view::npos) return RespParse::need_more;
  line = data.substr(pos, cr - pos);
  pos = cr + 2;
  return RespParse::complete;
}

bool to_integer(std::string_view s, std::int64_t& value) {
  if (s.empty() || s.size() > kMaxLineDigits) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc{} && ptr == s.data() + s.size();
}

// Parses one element at `pos`; arrays recurse (their items are not kept).
RespParse parse_element(std::string_view data, std::size_t& pos, RespItem& item, int depth) {
  if (pos >= data.size()) return RespParse::need_more;
  const char type = data[pos++];
  std::string_view line;
  if (const auto r = read_line(data, pos, line); r != RespParse::complete) return r;
  switch (type) {
    case '+':
      item = {RespType::simple, line, 0};
      return RespParse::complete;
    case '-':
      item = {RespType::error, line, 0};
      return RespParse::complete;
    case ':':
      item = {RespType::integer, {}, 0};
      return to_integer(line, item.integer) ? RespParse::complete : RespParse::invalid;
    case '$': {
      std::int64_t length = 0;
      if (!to_integer(line, length) || length < -1 || length > kMaxBulk) return RespParse::invalid;
      if (length == -1) {
        item = {RespType::null, {}, 0};
        return RespParse::complete;
      }
      const auto n = static_cast<std::size_t>(length);
      if (data.size() - pos < n + 2) return RespParse::need_more;
      if (data.substr(pos + n, 2) != "\r\n") return RespParse::invalid;
      item = {RespType::bulk, data.substr(pos, n), 0};
      pos += n + 2;
      return RespParse::complete;
    }
    case '*': {
      std::int64_t count = 0;
      if (!to_integer(line, count) || count < -1 || depth >= kMaxDepth) return RespParse::invalid;
      if (count == -1) {
        item = {RespType::null, {}, 0};
        return RespParse::complete;
      }
      item = {RespType::array, {}, count};
      RespItem inner;
      for (std::int64_t i = 0; i < count; ++i)
        if (const auto r = parse_element(data, pos, inner, depth + 1); r != RespParse::complete) return r;
      return RespParse::complete;
    }
    default:
      return RespParse::invalid;
  }
}

}  // namespace

RespParse parse_resp(std::string_view data, RespValue& out, std::size_t& used) {
  out.items.clear();
  std::size_t pos = 0;
  if (data.empty()) return RespParse::need_more;
  if (data.front() != '*') {
    const auto r = parse_element(data, pos, out.head, 0);
    if (r == RespParse::complete) used = pos;
    return r;
  }
  // A top-level array: keep its elements.
  ++pos;
  std::string_view line;
  if (const auto r = read_line(data, pos, line); r != RespParse::complete) return r;
  std::int64_t count = 0;
  if (!to_integer(line, count) || count < -1) return RespParse::invalid;
  if (count == -1) {
    out.head = {RespType::null, {}, 0};
    used = pos;
    return RespParse::complete;
  }
  out.head = {RespType::array, {}, count};
  for (std::int64_t i = 0; i < count; ++i) {
    RespItem& item = out.items.emplace_back();
    if (const auto r = parse_element(data, pos, item, 1); r != RespParse::complete) return r;
  }
  used = pos;
  return RespParse::complete;
}

void append_resp_command(std::string& out, std::initializer_list<std::string_view> words) {
  fmt::format_to(std::back_inserter(out), "*{}\r\n", words.size());
  for (const std::string_view w : words) {
    fmt::format_to(std::back_inserter(out), "${}\r\n", w.size());
    out.append(w);
    out.append("\r\n");
  }
}

}  // namespace parley::bench
