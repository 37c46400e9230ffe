// The text port's input path: telnet commands out, then lines framed. The
// first byte picks the line limit, the next ones where reads split the rest.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/line_framer.h"
#include "net/telnet.h"

namespace {

struct IntoFramer final : parley::net::TelnetFilter::Sink {
  explicit IntoFramer(parley::net::LineFramer& f) : framer(f) {}
  void data(std::string_view b) override { framer.feed(b); }
  void interrupt() override { framer.drop_partial_line(); }
  void reply(std::string_view b) override {
    if (b.size() != 3 || static_cast<unsigned char>(b[0]) != 0xff) std::abort();  // IAC verb option, nothing else
  }
  parley::net::LineFramer& framer;
};

void drain(parley::net::LineFramer& framer, std::size_t limit) {
  while (auto line = framer.next()) {
    if (line->too_long && !line->text.empty()) std::abort();
    if (line->text.size() > limit) std::abort();
    if (line->text.find('\n') != std::string_view::npos) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t limit = 1 + data[0] % 64;
  const std::size_t chunk = 1 + data[1] % 16;
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  parley::net::LineFramer framer(limit);
  parley::net::TelnetFilter telnet;
  IntoFramer sink(framer);
  while (!rest.empty()) {
    const std::size_t n = std::min(chunk, rest.size());
    telnet.feed(rest.substr(0, n), sink);
    rest.remove_prefix(n);
    drain(framer, limit);
  }
  drain(framer, limit);
  framer.release_if_empty();
  return 0;
}
