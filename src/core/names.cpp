#include "core/names.h"

#include <optional>

#include "core/unicode.h"

namespace parley::core {

Result<CheckedName> check_user_name(std::string_view raw, std::size_t max_chars) {
  if (!is_valid_utf8(raw)) return Refusal::name_not_utf8;
  auto nfc = to_nfc(trim_space(raw));
  if (!nfc) return Refusal::name_not_utf8;
  const std::string& name = *nfc;
  if (name.empty()) return Refusal::name_empty;
  if (has_unsafe_code_point(name) || has_format_character(name)) return Refusal::name_control_character;
  if (name.find(':') != std::string::npos) return Refusal::name_colon;
  if (name.front() == '/' || name.front() == '#') return Refusal::name_reserved_start;
  if (count_code_points(name) > max_chars) return Refusal::name_too_long;
  auto key = fold_key(name);
  if (!key) return Refusal::name_not_utf8;
  return CheckedName{name, std::move(*key)};
}

namespace {

// A name of printable ASCII alone ("#lobby"), the common case on every
// message, in one pass: nothing to trim, nothing unsafe, its own NFC, folded
// by A-Z. Anything else (a space, a control, a byte past ASCII, a separator)
// takes the general path, which answers or refuses it.
std::optional<Result<CheckedName>> check_plain_ascii_room_name(std::string_view raw, std::size_t max_chars) {
  std::string_view name = raw;
  if (!name.empty() && name.front() == '#') name.remove_prefix(1);
  if (name.empty()) return std::nullopt;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte >= 0x7F || c == ',' || c == ':' || c == '#') return std::nullopt;
  }
  if (name.size() > max_chars) return Refusal::room_name_too_long;
  return CheckedName{std::string(name), *fold_key(name)};  // ASCII: always folds
}

}  // namespace

Result<CheckedName> check_room_name(std::string_view raw, std::size_t max_chars) {
  if (auto plain = check_plain_ascii_room_name(raw, max_chars)) return std::move(*plain);
  if (!is_valid_utf8(raw)) return Refusal::room_name_invalid;
  std::string_view name = trim_space(raw);
  if (!name.empty() && name.front() == '#') name.remove_prefix(1);
  if (name.empty() || has_unsafe_code_point(name) || has_format_character(name) || has_space(name))
    return Refusal::room_name_invalid;
  if (name.find_first_of(",:#") != std::string_view::npos) return Refusal::room_name_invalid;
  auto nfc = to_nfc(name);
  if (!nfc) return Refusal::room_name_invalid;
  if (count_code_points(*nfc) > max_chars) return Refusal::room_name_too_long;
  auto key = fold_key(*nfc);
  if (!key) return Refusal::room_name_invalid;
  return CheckedName{std::move(*nfc), std::move(*key)};
}

}  // namespace parley::core
