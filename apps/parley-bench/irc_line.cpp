#include "irc_line.h"

#include <algorithm>

namespace parley::bench {
namespace {

// Removes and returns the word at the front of `rest`, and the spaces after it.
std::string_view take_word(std::string_view& rest) {
  const auto space = rest.find(' ');
  const std::string_view word = rest.substr(0, space);
  rest.remove_prefix(space == std::string_view::npos ? rest.size() : space);
  const auto next = rest.find_first_not_of(' ');
  rest.remove_prefix(next == std::string_view::npos ? rest.size() : next);
  return word;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string_view IrcLine::nick() const { return source.substr(0, source.find_first_of("!@")); }

std::optional<IrcLine> parse_irc_line(std::string_view rest) {
  IrcLine m;
  if (rest.starts_with('@')) take_word(rest);  // tags: the bench needs none
  if (rest.starts_with(':')) {
    rest.remove_prefix(1);
    m.source = take_word(rest);
  }
  m.command = take_word(rest);
  if (m.command.empty()) return std::nullopt;
  while (!rest.empty() && m.param_count < IrcLine::kMaxParams) {
    if (rest.front() == ':' || m.param_count == IrcLine::kMaxParams - 1) {
      if (rest.front() == ':') rest.remove_prefix(1);
      m.params[m.param_count++] = rest;
      break;
    }
    m.params[m.param_count++] = take_word(rest);
  }
  return m;
}

std::optional<std::string_view> privmsg_text(std::string_view line, std::string_view target) {
  constexpr std::string_view kPrivmsg = "PRIVMSG ";
  if (line.starts_with('@')) take_word(line);
  if (line.starts_with(':')) take_word(line);
  if (!line.starts_with(kPrivmsg)) return std::nullopt;
  line.remove_prefix(kPrivmsg.size());
  if (line.size() < target.size() + 2 || !irc_same(line.substr(0, target.size()), target) ||
      !line.substr(target.size()).starts_with(" :"))
    return std::nullopt;
  return line.substr(target.size() + 2);
}

bool irc_same(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace parley::bench
