#include "text/history_render.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "core/unicode.h"

namespace parley::text {
namespace {

// As live lines are cleaned (render.cpp): control characters would let a
// stored line pretend to be another one.
std::string clean(std::string_view s) { return core::sanitize_for_display(s); }

std::string sentence(const core::HistoryLine& line) {
  using Kind = core::HistoryLine::Kind;
  const std::string who = clean(line.sender.display);
  switch (line.kind) {
    case Kind::action: return fmt::format("* {} {}", who, clean(line.text));
    case Kind::notice: return fmt::format("Notice from User - {}: {}", who, clean(line.text));
    case Kind::message:
    default: return fmt::format("Message from User - {}: {}", who, clean(line.text));
  }
}

}  // namespace

std::string render_history(const std::vector<core::HistoryLine>& lines) {
  if (lines.empty()) return {};
  const std::string room = clean(lines.front().room);
  std::string out = fmt::format("Earlier in #{} (times in UTC):\n", room);
  for (const auto& line : lines) {
    const std::time_t t = std::chrono::system_clock::to_time_t(line.time);
    out += fmt::format("[{:%Y-%m-%d %H:%M}] {}\n", fmt::gmtime(t), sentence(line));
  }
  out += fmt::format("End of earlier messages in #{}.\n", room);
  return out;
}

}  // namespace parley::text
