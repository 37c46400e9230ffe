#include "payload.h"

#include <cstdint>
#include <limits>

#include <fmt/format.h>

namespace parley::bench {
namespace {

constexpr std::string_view kTag = "pb.";

// Decimal digits then '.'; plain loop rather than from_chars: the bench
// decodes every delivery, millions a second.
template <class T>
bool read_field(std::string_view& rest, T& value) {
  std::uint64_t v = 0;  // 19 digits always fit
  std::size_t i = 0;
  for (; i < rest.size() && i < 19 && rest[i] >= '0' && rest[i] <= '9'; ++i) v = v * 10 + static_cast<unsigned>(rest[i] - '0');
  if (i == 0 || i >= rest.size() || rest[i] != '.' || v > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
    return false;
  value = static_cast<T>(v);
  rest.remove_prefix(i + 1);
  return true;
}

}  // namespace

void encode_payload(const Stamp& stamp, std::size_t size, std::string& out) {
  out.clear();
  fmt::format_to(std::back_inserter(out), "{}{}.{}.{}.", kTag, stamp.sender, stamp.seq, stamp.sent_ns);
  if (out.size() < size) out.append(size - out.size(), 'x');
}

std::optional<Stamp> decode_payload(std::string_view text) {
  if (!text.starts_with(kTag)) return std::nullopt;
  text.remove_prefix(kTag.size());
  Stamp s;
  if (!read_field(text, s.sender) || !read_field(text, s.seq) || !read_field(text, s.sent_ns))
    return std::nullopt;
  return s;
}

}  // namespace parley::bench
