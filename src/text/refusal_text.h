#pragma once
// Core refusals as sentences for a person at a terminal.
#include <string>
#include <string_view>

#include "core/hub.h"

namespace parley::text {

// `subject` is the name or room the refusal is about, where it has one.
std::string refusal_text(core::Refusal refusal, const core::HubLimits& limits, std::string_view subject = {});

}  // namespace parley::text
