#include "text/port_sniffing.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace parley::text {
namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < line.size()) {
    const std::size_t end = std::min(line.find(' ', at), line.size());
    if (end > at) out.push_back(line.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A nick as IRC clients send it: one word, no ':' start, no control or ',' '*' '?' '!' '@'.
bool is_nick_word(std::string_view s) {
  if (s.empty() || s.front() == ':' || s.front() == '#') return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == ',' || c == '*' || c == '?' || c == '!' || c == '@';
  });
}

// "CAP LS" or "CAP LS 302", exactly: what every modern IRC client sends first.
bool is_cap_ls(std::string_view line) {
  const auto w = words(line);
  return (w.size() == 2 || (w.size() == 3 && all_digits(w[2]))) && w[0] == "CAP" && w[1] == "LS" &&
         line.starts_with("CAP LS");
}

// "NICK zoe" (or "NICK :zoe").
bool is_nick_line(std::string_view line) {
  if (!line.starts_with("NICK ")) return false;
  const auto w = words(line);
  if (w.size() != 2) return false;
  std::string_view nick = w[1];
  if (nick.starts_with(':')) nick.remove_prefix(1);
  return is_nick_word(nick);
}

// "USER zoe 0 * :Zoe Smith": four parameters, the last one trailing or a word.
bool is_user_line(std::string_view line) {
  if (!line.starts_with("USER ")) return false;
  const std::size_t trailing = line.find(" :");
  const auto w = words(line.substr(0, trailing));
  return trailing == std::string_view::npos ? w.size() == 5 : w.size() == 4;
}

// "GET /path HTTP/1.1": a method, a target and a version, nothing else.
bool is_http_request_line(std::string_view line) {
  static constexpr std::array<std::string_view, 9> kMethods = {"GET",     "HEAD",  "POST",  "PUT",    "DELETE",
                                                               "OPTIONS", "PATCH", "TRACE", "CONNECT"};
  const auto w = words(line);
  if (w.size() != 3 || std::find(kMethods.begin(), kMethods.end(), w[0]) == kMethods.end()) return false;
  const std::string_view version = w[2];
  return version.size() == 8 && version.starts_with("HTTP/") && version[5] >= '0' && version[5] <= '9' &&
         version[6] == '.' && version[7] >= '0' && version[7] <= '9';
}

}  // namespace

FirstLines classify_first_lines(const std::vector<std::string>& lines) {
  if (lines.empty()) return FirstLines::undecided;
  const std::string& first = lines[0];
  if (is_http_request_line(first)) return FirstLines::http;
  if (is_cap_ls(first)) return FirstLines::irc;
  if (!is_nick_line(first)) return FirstLines::text;
  if (lines.size() < 2) return FirstLines::undecided;
  return is_user_line(lines[1]) ? FirstLines::irc : FirstLines::text;
}

std::string http_answer_for_text_port(std::uint16_t web_port) {
  const std::string body = fmt::format(
      "This is Parley's text chat port, for nc and the parley client. The web client is on port {}: "
      "http://HOST:{}/\n",
      web_port, web_port);
  return fmt::format(
      "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n"
      "Connection: close\r\n\r\n{}",
      body.size(), body);
}

}  // namespace parley::text
