#pragma once
// What a history query reads, whichever database holds the lines: both
// stores number lines in one order across targets (`seq`) and read a range
// of it per target; this turns a chathistory direction into those ranges,
// and merges what several targets gave.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/history.h"

namespace parley::store {

inline constexpr std::int64_t kNoSeq = std::numeric_limits<std::int64_t>::max();

// Where a point falls in the targets' order of lines: lines before it have
// seq < first_at_or_after; lines after it have seq > last_at_or_before. A
// message id is one line (both bounds are its seq); a time falls between lines.
struct SeqBounds {
  std::int64_t first_at_or_after = kNoSeq;
  std::int64_t last_at_or_before = 0;
};

// The query's lines, oldest first. `lines(low, high, newest, limit)` reads
// the lines with low < seq < high, the `limit` nearest `low` (ascending) or
// nearest `high` (newest), oldest first; `from` and `to` are the query's
// points, located (nullopt: not given).
template <class Lines>
std::vector<core::HistoryLine> plan_history_read(const core::HistoryQuery& query, const std::optional<SeqBounds>& from,
                                                 const std::optional<SeqBounds>& to, Lines&& lines) {
  using Direction = core::HistoryQuery::Direction;
  switch (query.direction) {
    case Direction::latest:
      return lines(from ? from->last_at_or_before : 0, kNoSeq, true, query.limit);
    case Direction::before:
      return lines(0, from ? from->first_at_or_after : kNoSeq, true, query.limit);
    case Direction::after:
      return lines(from ? from->last_at_or_before : 0, kNoSeq, false, query.limit);
    case Direction::around: {
      if (!from) return {};
      const std::size_t before_count = query.limit / 2;
      auto found = lines(0, from->first_at_or_after, true, before_count);
      // The rest from the point on: a line named by id is included.
      auto later = lines(from->first_at_or_after - 1, kNoSeq, false, query.limit - before_count);
      found.insert(found.end(), std::make_move_iterator(later.begin()), std::make_move_iterator(later.end()));
      return found;
    }
    case Direction::between: {
      if (!from || !to) return {};
      // From `from`'s side: ascending when it is the earlier point.
      if (from->first_at_or_after <= to->first_at_or_after)
        return lines(from->last_at_or_before, to->first_at_or_after, false, query.limit);
      return lines(to->last_at_or_before, from->first_at_or_after, true, query.limit);
    }
  }
  return {};
}

// Lines read from several targets, each with its seq: the `limit` nearest
// the newest end (`newest`) or the oldest, oldest first.
inline std::vector<core::HistoryLine> merge_by_seq(std::vector<std::pair<std::int64_t, core::HistoryLine>> found,
                                                   bool newest, std::size_t limit) {
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (found.size() > limit) {
    if (newest) found.erase(found.begin(), found.end() - static_cast<std::ptrdiff_t>(limit));
    else found.resize(limit);
  }
  std::vector<core::HistoryLine> lines;
  lines.reserve(found.size());
  for (auto& [seq, line] : found) lines.push_back(std::move(line));
  return lines;
}

// Calls fn(word, prefix) for each word of a search ("word*": a prefix),
// leaving out empty ones and a lone '*'.
template <class Fn>
void for_each_search_word(std::string_view words, Fn&& fn) {
  std::size_t i = 0;
  while (i < words.size()) {
    while (i < words.size() && (words[i] == ' ' || words[i] == '\t')) ++i;
    std::size_t end = i;
    while (end < words.size() && words[end] != ' ' && words[end] != '\t') ++end;
    std::string_view word = words.substr(i, end - i);
    i = end;
    const bool prefix = word.size() > 1 && word.back() == '*';
    if (prefix) word.remove_suffix(1);
    if (word.empty() || word == "*") continue;
    fn(word, prefix);
  }
}

}  // namespace parley::store
