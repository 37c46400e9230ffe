#pragma once
// A room's earlier lines as text users read them (on joining a room): the
// same sentences as live ones, each after the time it was said, between a
// heading and an end line so nobody mistakes them for what is said now.
#include <string>
#include <vector>

#include "core/history.h"

namespace parley::text {

// Lines ending in "\n"; empty when `lines` is.
std::string render_history(const std::vector<core::HistoryLine>& lines);

}  // namespace parley::text
