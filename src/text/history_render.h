#pragma once
// A room's earlier lines as text users read them (on joining a room): the
// same sentences as live ones, each after the time it was said, between a
// heading and an end line so nobody mistakes them for what is said now.
#include <string>
#include <string_view>
#include <vector>

#include "core/history.h"

namespace parley::text {

// Lines ending in "\n"; empty when `lines` is.
std::string render_history(const std::vector<core::HistoryLine>& lines);
// /search's answer: a heading, the lines (room and time first) in the order
// the heading says, an end line; or one sentence when nothing was found.
enum class SearchOrder { newest_first, best_first };
std::string render_search_results(std::string_view words, const std::vector<core::HistoryLine>& lines,
                                  SearchOrder order);

}  // namespace parley::text
