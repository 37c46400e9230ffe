#pragma once
// What the WebSocket upgrade decides from the request's headers, kept free of
// I/O so unit tests can check it: whether the page's Origin may connect, and
// which IRCv3 subprotocol the connection speaks.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::web {

// True if a page from `origin` may open a WebSocket on a server reached as
// `host` (the request's Host header): no Origin (not a browser), the page's
// own origin, or one listed ("*" lists all). Compared without case.
bool origin_allowed(std::string_view origin, std::string_view host, const std::vector<std::string>& allowed);

enum class Framing { text, binary };

struct Subprotocol {
  std::string name;  // "" when the client asked for none
  Framing framing = Framing::text;
};

// The first of the client's Sec-WebSocket-Protocol entries that is
// binary.ircv3.net or text.ircv3.net; text framing with no name if it offered
// none; nullopt if it offered only others (the upgrade is refused).
std::optional<Subprotocol> choose_subprotocol(std::string_view offered);

// Valid UTF-8 for a text frame: each invalid byte becomes U+FFFD (IRC lines
// from other clients may be in any encoding).
std::string to_valid_utf8(std::string_view bytes);

}  // namespace parley::web
