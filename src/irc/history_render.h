#pragma once
// Remembered room lines as IRC lines (draft/chathistory, and the lines
// replayed on JOIN to clients without it). Pure functions.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/history.h"

namespace parley::irc {

// One history line as `caps` shape it, each line tagged batch=`batch_id`
// when that is not empty. Empty for a line these caps do not show (only
// speech without draft/event-playback).
std::string render_history_line(const core::HistoryLine& line, std::uint32_t caps, std::string_view batch_id);

// "timestamp=2026-12-02T16:20:00.123Z" or "msgid=..." (a chathistory
// reference); nullopt when it is neither.
std::optional<core::HistoryPoint> parse_history_point(std::string_view reference);

}  // namespace parley::irc
