#include "painter.hpp"

#include <array>
#include <cstdint>

namespace parley::client {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kRed = "\x1b[31m";

// Readable on dark and light backgrounds; red is kept for errors.
constexpr std::array<std::string_view, 9> kPalette = {
    "\x1b[32m", "\x1b[33m", "\x1b[35m", "\x1b[36m", "\x1b[92m",
    "\x1b[93m", "\x1b[94m", "\x1b[95m", "\x1b[96m",
};

// FNV-1a: fixed, so a name's colour does not change between runs.
std::uint32_t fnv1a(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (const char c : s) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 16777619u;
  }
  return h;
}

}  // namespace

std::string_view name_color(std::string_view name) { return kPalette[fnv1a(name) % kPalette.size()]; }

std::string Painter::paint(std::string_view line) {
  std::string out;
  if (line.starts_with("Error: ") || line.starts_with("Disconnected: ")) {
    out.append(kRed).append(line).append(kReset);
    return out;
  }
  std::size_t done = 0;
  for (const auto& span : names_.find(line)) {
    const auto name = line.substr(span.pos, span.len);
    out.append(line.substr(done, span.pos - done)).append(name_color(name)).append(name).append(kReset);
    done = span.pos + span.len;
  }
  out.append(line.substr(done));
  return out;
}

}  // namespace parley::client
