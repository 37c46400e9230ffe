#include "irc/message.h"

#include <boost/container/small_vector.hpp>

#include "core/unicode.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

namespace parley::irc {
namespace {

std::string_view skip_spaces(std::string_view s) {
  const auto i = s.find_first_not_of(' ');
  return i == std::string_view::npos ? std::string_view{} : s.substr(i);
}

// The word up to the next space, and what follows it (spaces not skipped).
std::pair<std::string_view, std::string_view> take_word(std::string_view s) {
  const auto sp = s.find(' ');
  if (sp == std::string_view::npos) return {s, {}};
  return {s.substr(0, sp), s.substr(sp)};
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// command ::= letter* / 3digit. Letters are upper-cased; numerics kept as they are.
bool set_command(std::string& out, std::string_view word) {
  if (word.size() == 3 && std::all_of(word.begin(), word.end(), is_ascii_digit)) {
    out.assign(word);
    return true;
  }
  if (!std::all_of(word.begin(), word.end(), is_ascii_letter)) return false;
  out.resize(word.size());
  std::transform(word.begin(), word.end(), out.begin(), [](char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  });
  return true;
}

void unescape_into(std::string& out, std::string_view v) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i == v.size()) break;  // a lone '\' at the end: no output character
    switch (v[i]) {
      case ':': out.push_back(';'); break;
      case 's': out.push_back(' '); break;
      case 'r': out.push_back('\r'); break;
      case 'n': out.push_back('\n'); break;
      default: out.push_back(v[i]); break;  // "\\" -> '\'; an invalid "\b" -> 'b'
    }
  }
}

void escape_into(std::string& out, std::string_view v) {
  // Most values (ids, times, accounts) need no escape: appended whole.
  if (v.find_first_of(std::string_view("; \\\r\n\0", 6)) == std::string_view::npos) {
    out.append(v);
    return;
  }
  for (const char c : v) {
    switch (c) {
      case ';': out.append("\\:"); break;
      case ' ': out.append("\\s"); break;
      case '\\': out.append("\\\\"); break;
      case '\r': out.append("\\r"); break;
      case '\n': out.append("\\n"); break;
      case '\0': break;  // no escape exists for NUL, and a line must not carry one: dropped
      default: out.push_back(c); break;
    }
  }
}

struct TagView {
  std::string_view key;
  std::string_view value;  // still escaped
  bool dropped = false;    // a later tag has the same key
};
// A line's tags as views: a client's usual few (a label, a time, a reply-to)
// without an allocation.
using TagViews = boost::container::small_vector<TagView, 8>;

// Splits the tag data (between '@' and the space) into views. False on "" or
// on a tag with an empty key. Keys are otherwise opaque, as the spec requires.
bool split_tags(std::string_view data, TagViews& out) {
  if (data.empty()) return false;
  out.reserve(static_cast<std::size_t>(std::count(data.begin(), data.end(), ';')) + 1);
  while (true) {
    const auto semi = data.find(';');
    const auto item = data.substr(0, semi);
    const auto eq = item.find('=');
    TagView t;
    t.key = item.substr(0, eq);
    if (eq != std::string_view::npos) t.value = item.substr(eq + 1);
    if (t.key.empty()) return false;
    out.push_back(t);
    if (semi == std::string_view::npos) return true;
    data.remove_prefix(semi + 1);
  }
}

// Marks all but the last occurrence of each key as dropped. Quadratic for the
// usual handful of tags; sorting beyond that, so 2000 tags in 4094 bytes stay cheap.
void drop_duplicates(TagViews& tags) {
  constexpr std::size_t kSmall = 16;
  const std::size_t n = tags.size();
  if (n <= kSmall) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n && !tags[i].dropped; ++j)
        if (tags[j].key == tags[i].key) tags[i].dropped = true;
    return;
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return tags[a].key < tags[b].key; });
  for (std::size_t i = 0; i + 1 < n; ++i)
    if (tags[order[i]].key == tags[order[i + 1]].key) tags[order[i]].dropped = true;
}

bool is_line_breaker(char c) {
  // One compare for nearly every byte: all three are at most '\r'.
  return static_cast<unsigned char>(c) <= '\r' && (c == '\r' || c == '\n' || c == '\0');
}

std::size_t find_line_breaker(std::string_view s) {
  // Eight bytes at a time: every line sent passes here a few times (source,
  // target, text), and chat text has no control characters. Only a word
  // with a byte below 14 ('\r' + 1; a TAB too) is looked at byte by byte.
  constexpr std::uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, sizeof word);
    if (((word - kOnes * 14) & ~word & kHighs) == 0) continue;  // no byte < 14 (exact: the usual "has less" test)
    for (std::size_t j = i; j < i + 8; ++j)
      if (is_line_breaker(s[j])) return j;
  }
  for (; i < s.size(); ++i)
    if (is_line_breaker(s[i])) return i;
  return std::string_view::npos;
}

// Appends s with CR, LF and NUL written as spaces.
void append_safe(std::string& out, std::string_view s) {
  while (true) {
    const auto bad = find_line_breaker(s);
    if (bad == std::string_view::npos) break;
    out.append(s.substr(0, bad));
    out.push_back(' ');
    s.remove_prefix(bad + 1);
  }
  out.append(s);
}

bool needs_colon(std::string_view last) {
  return last.empty() || last.front() == ':' || last.find(' ') != std::string_view::npos ||
         find_line_breaker(last) != std::string_view::npos;  // they become spaces
}

}  // namespace

const std::string* Message::tag(std::string_view key) const {
  for (auto it = tags.rbegin(); it != tags.rend(); ++it)
    if (it->key == key) return &it->value;
  return nullptr;
}

void append_escaped_tag_value(std::string& out, std::string_view v) { escape_into(out, v); }

std::string escape_tag_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  escape_into(out, v);
  return out;
}

std::string unescape_tag_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  unescape_into(out, v);
  return out;
}

std::optional<ParseError> parse_message_into(Message& m, std::string_view line, std::size_t max_tag_bytes,
                                             std::size_t max_body_bytes) {
  line = skip_spaces(line);
  if (line.empty()) return ParseError::empty_line;

  // Sizes first, so an oversized line costs no more than two scans.
  std::string_view tag_data;
  const bool has_tags = line.front() == '@';
  std::string_view body = line;
  if (has_tags) {
    const auto sp = line.find(' ');
    tag_data = line.substr(1, sp == std::string_view::npos ? std::string_view::npos : sp - 1);
    if (tag_data.size() > max_tag_bytes) return ParseError::tags_too_long;
    body = sp == std::string_view::npos ? std::string_view{} : skip_spaces(line.substr(sp));
  }
  if (body.size() > max_body_bytes) return ParseError::body_too_long;

  TagViews tag_views;
  if (has_tags && !split_tags(tag_data, tag_views)) return ParseError::malformed_tags;
  if (body.empty()) return ParseError::no_command;

  std::string_view source;
  if (body.front() == ':') {
    auto [word, rest] = take_word(body.substr(1));
    source = word;
    body = skip_spaces(rest);
    if (body.empty()) return ParseError::no_command;
  }

  auto [command_word, rest] = take_word(body);
  if (!set_command(m.command, command_word)) return ParseError::bad_command;
  m.source.assign(source);

  // Each string is assigned in place, so a reused Message keeps its room.
  drop_duplicates(tag_views);
  const auto kept = static_cast<std::size_t>(
      std::count_if(tag_views.begin(), tag_views.end(), [](const TagView& t) { return !t.dropped; }));
  m.tags.resize(kept);
  std::size_t next = 0;
  for (const auto& t : tag_views) {
    if (t.dropped) continue;
    Tag& tag = m.tags[next++];
    tag.key.assign(t.key);
    tag.value.clear();
    unescape_into(tag.value, t.value);
  }

  // Params are found as views first, so the vector is sized once.
  std::array<std::string_view, kMaxParams> views;
  std::size_t count = 0;
  while (true) {
    rest = skip_spaces(rest);
    if (rest.empty()) break;
    if (rest.front() == ':') {  // trailing: the rest of the line, spaces and all
      views[count++] = rest.substr(1);
      break;
    }
    if (count + 1 == kMaxParams) {
      // RFC 2812: "14( SPACE middle ) [ SPACE [ ":" ] trailing ]". The 15th
      // param is the rest of the line; without a ':', spaces at its end are
      // dropped as they are after any other middle param.
      views[count++] = rest.substr(0, rest.find_last_not_of(' ') + 1);
      break;
    }
    auto [word, after] = take_word(rest);
    views[count++] = word;
    rest = after;
  }
  m.params.resize(count);
  for (std::size_t i = 0; i < count; ++i) m.params[i].assign(views[i]);
  return std::nullopt;
}

ParseResult parse_message(std::string_view line, std::size_t max_tag_bytes, std::size_t max_body_bytes) {
  ParseResult result;
  Message& m = result.message.emplace();
  if (auto error = parse_message_into(m, line, max_tag_bytes, max_body_bytes)) {
    result.message.reset();
    result.error = *error;
  }
  return result;
}

void append_message(std::string& out, const Message& m) {
  if (!m.tags.empty()) {
    out.push_back('@');
    bool first = true;
    for (const auto& t : m.tags) {
      if (!first) out.push_back(';');
      first = false;
      append_safe(out, t.key);
      if (!t.value.empty()) {
        out.push_back('=');
        escape_into(out, t.value);
      }
    }
    out.push_back(' ');
  }
  if (!m.source.empty()) {
    out.push_back(':');
    append_safe(out, m.source);
    out.push_back(' ');
  }
  append_safe(out, m.command);
  for (std::size_t i = 0; i < m.params.size(); ++i) {
    const std::string& p = m.params[i];
    out.push_back(' ');
    if (i + 1 == m.params.size() && needs_colon(p)) out.push_back(':');
    append_safe(out, p);
  }
  out.append("\r\n");
}

std::string to_line(const Message& m) {
  std::size_t size = m.source.size() + m.command.size() + 8;
  for (const auto& t : m.tags) size += t.key.size() + t.value.size() + 2;
  for (const auto& p : m.params) size += p.size() + 1;
  std::string out;
  out.reserve(size);
  append_message(out, m);
  return out;
}

std::size_t line_size(std::string_view source, std::string_view command,
                      std::initializer_list<std::string_view> middle, std::string_view trailing) {
  std::size_t size = (source.empty() ? 0 : source.size() + 2) + command.size() + trailing.size() + 4;
  for (const auto p : middle) size += p.size() + 1;
  return size;
}

void append_line(std::string& out, std::string_view source, std::string_view command,
                 std::initializer_list<std::string_view> middle, std::string_view trailing) {
  if (!source.empty()) {
    out.push_back(':');
    append_safe(out, source);
    out.push_back(' ');
  }
  append_safe(out, command);
  for (const auto p : middle) {
    out.push_back(' ');
    append_safe(out, p);
  }
  out.append(" :");
  append_safe(out, trailing);
  out.append("\r\n");
}

std::string format_line(std::string_view source, std::string_view command,
                        std::initializer_list<std::string_view> middle, std::string_view trailing) {
  std::string out;
  out.reserve(line_size(source, command, middle, trailing));
  append_line(out, source, command, middle, trailing);
  return out;
}

bool is_valid_tag_key(std::string_view key) {
  if (key.starts_with('+')) key.remove_prefix(1);
  const auto is_name_char = [](char c) { return is_ascii_letter(c) || is_ascii_digit(c) || c == '-'; };
  if (const auto slash = key.find('/'); slash != std::string_view::npos) {
    const std::string_view vendor = key.substr(0, slash);
    if (vendor.empty() ||
        !std::all_of(vendor.begin(), vendor.end(), [&](char c) { return is_name_char(c) || c == '.'; }))
      return false;
    key.remove_prefix(slash + 1);
  }
  return !key.empty() && std::all_of(key.begin(), key.end(), is_name_char);
}

namespace {
// A value the escapes can carry: UTF-8 without NUL (message-tags' <escaped_value>).
bool is_relayable_tag_value(std::string_view v) {
  return v.find('\0') == std::string_view::npos && core::is_valid_utf8(v);
}
}  // namespace

std::string client_only_tags(const Message& m) {
  std::string out;
  for (const Tag& t : m.tags) {
    if (!t.key.starts_with('+') || !is_valid_tag_key(t.key) || !is_relayable_tag_value(t.value)) continue;
    if (!out.empty()) out += ';';
    out += t.key;
    if (!t.value.empty()) out.append("=").append(escape_tag_value(t.value));
  }
  return out;
}

}  // namespace parley::irc
