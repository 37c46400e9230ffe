// The IRC parser and serializer: any line parses or is refused without harm;
// what parses, serialized, parses back to the same message; relayed
// client-only tags never carry a byte that could end or split a line.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "irc/message.h"

using namespace parley::irc;

namespace {

bool same(const Message& a, const Message& b) {
  if (a.command != b.command || a.params != b.params || a.source != b.source) return false;
  if (a.tags.size() != b.tags.size()) return false;
  for (std::size_t i = 0; i < a.tags.size(); ++i) {
    if (a.tags[i].key != b.tags[i].key || a.tags[i].value != b.tags[i].value) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const ParseResult parsed = parse_message(line);
  if (!parsed.message) return 0;
  const Message& m = *parsed.message;

  const std::string relayed = client_only_tags(m);
  if (relayed.find_first_of(std::string_view("\r\n\0 ", 4)) != std::string::npos) std::abort();
  if (!relayed.empty()) {
    const auto again = parse_message("@" + relayed + " TAGMSG #x");
    if (!again.message) std::abort();
    for (const Tag& t : again.message->tags) {
      if (!is_valid_tag_key(t.key)) std::abort();
    }
  }

  const std::string wire = to_line(m);
  if (wire.size() < 2 || wire.substr(wire.size() - 2) != "\r\n") std::abort();
  const std::string_view body(wire.data(), wire.size() - 2);
  if (body.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) std::abort();
  // The serializer writes CR, LF and NUL as spaces, so only lines free of
  // them come back as they were; an empty tag value is the same as none.
  if (line.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) return 0;
  for (const Tag& t : m.tags) {
    if (t.key.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) return 0;
  }
  const auto back = parse_message(body, 1 << 20, 1 << 20);
  if (!back.message || !same(*back.message, m)) std::abort();
  return 0;
}
