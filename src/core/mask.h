#pragma once
// Ban masks: nick!user@host patterns where '*' matches any run of characters
// and '?' exactly one, compared under Unicode case folding. Pure functions.
#include <optional>
#include <string>
#include <string_view>

namespace parley::core {

// Completes a partial mask the way IRC servers do: "Zoe" -> "Zoe!*@*",
// "Zoe!x" -> "Zoe!x@*", "x@host" -> "*!x@host". nullopt for a mask that is
// empty, over 200 bytes, not UTF-8, or holds spaces, control characters, ',' or more than one
// '!' or '@'.
std::optional<std::string> normalize_mask(std::string_view mask);

// Whether `mask` matches `subject` (both compared case-folded).
bool mask_matches(std::string_view mask, std::string_view subject);

// The same mask, compared case-folded.
bool same_mask(std::string_view a, std::string_view b);

}  // namespace parley::core
