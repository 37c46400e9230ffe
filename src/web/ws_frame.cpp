#include "web/ws_frame.h"

#include <cstdint>
#include <cstring>

#include "core/unicode.h"
#include "web/handshake_policy.h"

namespace parley::web {

FrameHeader::FrameHeader(bool binary, std::size_t payload_bytes) {
  bytes_[0] = static_cast<char>(0x80 | (binary ? 0x2 : 0x1));  // FIN, opcode
  if (payload_bytes < 126) {
    bytes_[1] = static_cast<char>(payload_bytes);
    size_ = 2;
  } else if (payload_bytes <= 0xffff) {
    bytes_[1] = 126;
    bytes_[2] = static_cast<char>(payload_bytes >> 8);
    bytes_[3] = static_cast<char>(payload_bytes & 0xff);
    size_ = 4;
  } else {
    bytes_[1] = 127;
    const auto n = static_cast<std::uint64_t>(payload_bytes);
    for (int i = 0; i < 8; ++i) bytes_[2 + i] = static_cast<char>((n >> (8 * (7 - i))) & 0xff);
    size_ = 10;
  }
}

namespace {
bool is_ascii(std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t seen = 0;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    seen |= word;
  }
  for (; n > 0; ++p, --n) seen |= static_cast<unsigned char>(*p);
  return (seen & 0x8080808080808080ULL) == 0;
}
}  // namespace

std::string_view text_payload(std::string_view line, std::string& repaired) {
  if (is_ascii(line) || core::is_valid_utf8(line)) return line;
  repaired = to_valid_utf8(line);
  return repaired;
}

}  // namespace parley::web
