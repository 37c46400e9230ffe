#pragma once
// What the first lines on the text port show about the client. People and
// `nc` get the seed's conversation; an IRC client pointed at the wrong port,
// or a browser, says so in its first line or two, and only lines that are
// plainly that protocol count: a user called "CAP" or "NICKY" is a user.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::text {

enum class FirstLines {
  text,       // the seed's conversation
  irc,        // IRC registration: `CAP LS [302]`, or `NICK n` then `USER u m h :real`
  http,       // an HTTP request line: `GET / HTTP/1.1`
  undecided,  // `NICK n` alone: the next line decides
};

// Lines so far, oldest first (at most two are ever needed).
FirstLines classify_first_lines(const std::vector<std::string>& lines);

// The whole answer to an HTTP request on the text port: a short plain-text
// response naming the web port, after which the connection is closed.
std::string http_answer_for_text_port(std::uint16_t web_port);

}  // namespace parley::text
