#include "irc/line_split.h"

namespace parley::irc {
namespace {

constexpr std::size_t kLineEndBytes = 2;

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// How many bytes the sequence starting with b claims to span; 0 for a byte
// that cannot start one (a continuation byte, or 0xF8-0xFF).
std::size_t announced_length(unsigned char b) {
  if (b < 0x80) return 1;
  if (b >= 0xC0 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF7) return 4;
  return 0;
}

// True if text[lead] announces a sequence whose continuation bytes are all
// there, i.e. one that must not be cut.
bool is_whole_sequence(std::string_view text, std::size_t lead, std::size_t len) {
  if (len < 2 || lead + len > text.size()) return false;
  for (std::size_t i = lead + 1; i < lead + len; ++i)
    if (!is_continuation(static_cast<unsigned char>(text[i]))) return false;
  return true;
}

// The last place at or before `limit` (start < limit < text.size()) where a
// cut splits no sequence; `start` itself if a single sequence spans past limit.
std::size_t boundary_at_or_before(std::string_view text, std::size_t start, std::size_t limit) {
  if (!is_continuation(static_cast<unsigned char>(text[limit]))) return limit;
  // limit is inside a sequence only if its lead byte is at most 3 bytes back.
  for (std::size_t back = 1; back <= 3 && back <= limit - start; ++back) {
    const std::size_t p = limit - back;
    const auto b = static_cast<unsigned char>(text[p]);
    if (is_continuation(b)) continue;
    const std::size_t len = announced_length(b);
    if (len > back && is_whole_sequence(text, p, len)) return p;
    return limit;  // the bytes before limit are complete or invalid: cut byte-wise
  }
  return limit;  // a run of stray continuation bytes: cut byte-wise
}

}  // namespace

std::vector<std::string_view> split_utf8(std::string_view text, std::size_t max_bytes) {
  if (max_bytes == 0) max_bytes = 1;
  std::vector<std::string_view> pieces;
  if (text.empty()) return pieces;
  pieces.reserve(text.size() / max_bytes + 1);

  std::size_t start = 0;
  while (text.size() - start > max_bytes) {
    const std::size_t limit = start + max_bytes;
    std::size_t cut = boundary_at_or_before(text, start, limit);
    if (cut == start) {  // one character longer than max_bytes: keep it whole
      cut = start + announced_length(static_cast<unsigned char>(text[start]));
      pieces.push_back(text.substr(start, cut - start));
      start = cut;
      continue;
    }
    // Prefer the last space in the last quarter of the piece, or just after it.
    const std::size_t earliest = limit - max_bytes / 4;
    if (earliest <= cut) {
      const auto space = text.substr(earliest, cut - earliest + 1).rfind(' ');
      if (space != std::string_view::npos) {
        const std::size_t at = earliest + space;
        pieces.push_back(text.substr(start, at - start));
        start = at + 1;  // the one space at the cut belongs to neither piece
        continue;
      }
    }
    pieces.push_back(text.substr(start, cut - start));
    start = cut;
  }
  if (start < text.size()) pieces.push_back(text.substr(start));
  return pieces;
}

std::size_t text_room(std::size_t prefix_bytes) {
  constexpr std::size_t kRoom = kLineBytes - kLineEndBytes;
  return prefix_bytes >= kRoom ? 0 : kRoom - prefix_bytes;
}

}  // namespace parley::irc
