// The UTF-8 and name rules: what they accept or produce keeps its promises.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/confusable.h"
#include "core/name_registry.h"
#include "core/names.h"
#include "core/shown_text.h"
#include "core/unicode.h"

using namespace parley::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  const bool valid = is_valid_utf8(s);
  if (is_valid_utf8(repair_utf8(s)) == false) std::abort();
  if (valid && repair_utf8(s) != s) std::abort();
  const std::string shown = sanitize_for_display(s);
  if (!is_valid_utf8(shown) || has_unsafe_code_point(shown)) std::abort();
  const std::string fit = fit_to_show(s, 20, 16);
  if (!is_fit_to_show(fit, 20) || fit.size() > 16) std::abort();
  if (valid) {
    (void)count_code_points(s);
    (void)confusable_skeleton(s);
    if (!to_nfc(s) || !fold_key(s)) std::abort();
    const std::string nick = nick_for(s, 30);
    if (!is_valid_utf8(nick) || count_code_points(nick) > 30) std::abort();
  }
  if (auto name = check_user_name(s, 32); name.ok()) {
    const std::string& display = name.value().display;
    if (!is_valid_utf8(display) || has_unsafe_code_point(display) || count_code_points(display) > 32) std::abort();
    if (fold_key(display) != name.value().key) std::abort();
  }
  if (auto room = check_room_name(s, 50); room.ok()) {
    const std::string& display = room.value().display;
    if (display.find_first_of(" ,:") != std::string::npos || count_code_points(display) > 50) std::abort();
  }
  return 0;
}
