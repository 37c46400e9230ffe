#include "text/history_render.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "core/unicode.h"
#include "text/render.h"

namespace parley::text {
namespace {

// As live lines are cleaned (render.cpp): control characters would let a
// stored line pretend to be another one.
std::string clean(std::string_view s) { return core::sanitize_for_display(s); }

core::Speech speech_of(core::HistoryLine::Kind kind) {
  using Kind = core::HistoryLine::Kind;
  return kind == Kind::action ? core::Speech::action
         : kind == Kind::notice ? core::Speech::notice
                                : core::Speech::message;
}

}  // namespace

std::string render_history(const std::vector<core::HistoryLine>& lines) {
  if (lines.empty()) return {};
  const std::string room = clean(lines.front().room);
  std::string out = fmt::format("Earlier in #{} (times in UTC):\n", room);
  for (const auto& line : lines) {
    const std::time_t t = std::chrono::system_clock::to_time_t(line.time);
    out += fmt::format("[{:%Y-%m-%d %H:%M}] {}\n", fmt::gmtime(t),
                       speech_sentence(speech_of(line.kind), clean(line.sender.display), line.text));
  }
  out += fmt::format("End of earlier messages in #{}.\n", room);
  return out;
}

std::string render_search_results(std::string_view words, const std::vector<core::HistoryLine>& lines,
                                  SearchOrder order) {
  if (lines.empty()) return fmt::format("No messages hold \"{}\".\n", clean(words));
  std::string out = fmt::format("Found {} message{} holding \"{}\", {} first (times in UTC):\n", lines.size(),
                                lines.size() == 1 ? "" : "s", clean(words),
                                order == SearchOrder::best_first ? "best match" : "newest");
  for (const auto& line : lines) {
    const std::time_t t = std::chrono::system_clock::to_time_t(line.time);
    // fmt, not "#" + string: GCC 12 at -O3 warns (-Wrestrict) on the latter, wrongly.
    const std::string where = line.room.empty() ? std::string("(private)") : fmt::format("#{}", clean(line.room));
    out += fmt::format("[{:%Y-%m-%d %H:%M}] {} {}\n", fmt::gmtime(t), where,
                       speech_sentence(speech_of(line.kind), clean(line.sender.display), line.text));
  }
  out += "End of search results.\n";
  return out;
}

}  // namespace parley::text
