#pragma once
// Names that look alike: "Аlice" with a Cyrillic А, "Ａlice" in fullwidth
// forms, "Alice" are different strings but one name to a reader. The key
// that makes them equal is the confusable skeleton of Unicode TR39 (computed
// by ICU's uspoof), taken of the NFKC case-folded name, so width forms and
// case fold first. Pure; safe on any thread.
#include <string>
#include <string_view>

namespace parley::core {

// The skeleton of valid UTF-8 `name`; two names with one skeleton are confusable.
std::string confusable_skeleton(std::string_view name);

}  // namespace parley::core
