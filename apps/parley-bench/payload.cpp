#include "payload.h"

#include <charconv>

#include <fmt/format.h>

namespace parley::bench {
namespace {

constexpr std::string_view kTag = "pb.";

template <class T>
bool read_field(std::string_view& rest, T& value) {
  const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (ec != std::errc{} || ptr == rest.data()) return false;
  rest.remove_prefix(static_cast<std::size_t>(ptr - rest.data()));
  if (rest.empty() || rest.front() != '.') return false;
  rest.remove_prefix(1);
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
