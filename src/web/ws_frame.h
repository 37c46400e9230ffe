#pragma once
// The header of one WebSocket frame the server sends (RFC 6455, 5.2): a whole
// message (FIN), unmasked, as a server's frames are. The session builds its
// own data frames so that a loop pass's lines leave in one write (Beast writes
// one message per call); Beast still reads, and writes the control frames.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace parley::web {

class FrameHeader {
 public:
  FrameHeader(bool binary, std::size_t payload_bytes);
  std::string_view bytes() const { return {bytes_.data(), size_}; }

 private:
  std::array<char, 10> bytes_{};
  std::size_t size_ = 0;
};

// What a text frame carries for `line`: the line itself when it is valid
// UTF-8 (checked a word at a time while it is ASCII, as chat mostly is: this
// runs once per recipient), else a repaired copy kept in `repaired`.
std::string_view text_payload(std::string_view line, std::string& repaired);

}  // namespace parley::web
