// core/names: what a user name and a room name may be, and their keys.
#include "core/names.h"

#include <gtest/gtest.h>

#include <string>

namespace parley::core {
namespace {

using namespace std::string_literals;

constexpr std::size_t kNameChars = 32;
constexpr std::size_t kRoomChars = 50;

std::string repeat(std::string_view unit, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += unit;
  return s;
}

// "display|key", or the refusal's number: one value to compare exactly.
std::string user(std::string_view raw, std::size_t max = kNameChars) {
  auto r = check_user_name(raw, max);
  if (!r.ok()) return "refused " + std::to_string(static_cast<int>(r.refusal()));
  return r.value().display + "|" + r.value().key;
}
std::string room(std::string_view raw, std::size_t max = kRoomChars) {
  auto r = check_room_name(raw, max);
  if (!r.ok()) return "refused " + std::to_string(static_cast<int>(r.refusal()));
  return r.value().display + "|" + r.value().key;
}
std::string refused(Refusal r) { return "refused " + std::to_string(static_cast<int>(r)); }

// --- user names ----------------------------------------------------------------

TEST(CheckUserName, AcceptsNamesInAnyScriptWithSpaces) {
  EXPECT_EQ(user("Raj Ingle"), "Raj Ingle|raj ingle");
  EXPECT_EQ(user("Keerthi Reddy Kandi"), "Keerthi Reddy Kandi|keerthi reddy kandi");
  EXPECT_EQ(user("Zo\xC3\xAB"), "Zo\xC3\xAB|zo\xC3\xAB");
  EXPECT_EQ(user("\xE6\x9D\x8E\xE9\x9B\xB7"), "\xE6\x9D\x8E\xE9\x9B\xB7|\xE6\x9D\x8E\xE9\x9B\xB7");  // 李雷
  EXPECT_EQ(user("a/b#c"), "a/b#c|a/b#c");  // '/' and '#' are fine after the start
  EXPECT_EQ(user("x"), "x|x");
}

TEST(CheckUserName, TrimsSurroundingWhiteSpaceIncludingUnicodeSpaces) {
  EXPECT_EQ(user("  Raj Ingle \t"), "Raj Ingle|raj ingle");
  EXPECT_EQ(user("\xE3\x80\x80\xE6\x9D\x8E\xE9\x9B\xB7\xC2\xA0"), "\xE6\x9D\x8E\xE9\x9B\xB7|\xE6\x9D\x8E\xE9\x9B\xB7");
  EXPECT_EQ(user("Raj  Ingle"), "Raj  Ingle|raj  ingle");  // inner spaces are kept
}

TEST(CheckUserName, NormalizesToNfcSoKeysMatch) {
  const auto composed = check_user_name("Zo\xC3\xAB", kNameChars);
  const auto decomposed = check_user_name("Zoe\xCC\x88", kNameChars);
  const auto upper = check_user_name("ZOE\xCC\x88", kNameChars);
  ASSERT_TRUE(composed.ok());
  ASSERT_TRUE(decomposed.ok());
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(decomposed.value().display, "Zo\xC3\xAB");
  EXPECT_EQ(composed.value().key, "zo\xC3\xAB");
  EXPECT_EQ(decomposed.value().key, "zo\xC3\xAB");
  EXPECT_EQ(upper.value().key, "zo\xC3\xAB");
  EXPECT_EQ(upper.value().display, "ZO\xC3\x8B");
  EXPECT_EQ(user("Stra\xC3\x9F" "e"), "Stra\xC3\x9F" "e|strasse");
  EXPECT_EQ(user("STRASSE"), "STRASSE|strasse");
}

TEST(CheckUserName, RefusesEmpty) {
  EXPECT_EQ(user(""), refused(Refusal::name_empty));
  EXPECT_EQ(user("   "), refused(Refusal::name_empty));
  EXPECT_EQ(user("\t\r\n"), refused(Refusal::name_empty));
  EXPECT_EQ(user("\xE3\x80\x80\xC2\xA0"), refused(Refusal::name_empty));  // U+3000 and NBSP only
}

TEST(CheckUserName, LengthLimitCountsCodePointsAfterNfc) {
  EXPECT_EQ(user(repeat("a", 32)), repeat("a", 32) + "|" + repeat("a", 32));
  EXPECT_EQ(user(repeat("a", 33)), refused(Refusal::name_too_long));
  // 32 'é' are 64 bytes and still 32 characters.
  EXPECT_EQ(user(repeat("\xC3\xA9", 32)), repeat("\xC3\xA9", 32) + "|" + repeat("\xC3\xA9", 32));
  EXPECT_EQ(user(repeat("\xC3\xA9", 33)), refused(Refusal::name_too_long));
  // Typed decomposed (e + U+0301: 64 code points), they compose to 32.
  EXPECT_EQ(user(repeat("e\xCC\x81", 32)), repeat("\xC3\xA9", 32) + "|" + repeat("\xC3\xA9", 32));
  EXPECT_EQ(user(repeat("e\xCC\x81", 33)), refused(Refusal::name_too_long));
  // Surrounding space does not count.
  EXPECT_EQ(user("  " + repeat("b", 32) + "  "), repeat("b", 32) + "|" + repeat("b", 32));
  // 32 four-byte characters.
  const std::string emoji32 = repeat("\xF0\x9F\x98\x80", 32);
  EXPECT_EQ(user(emoji32), emoji32 + "|" + emoji32);
  EXPECT_EQ(user(repeat("\xF0\x9F\x98\x80", 33)), refused(Refusal::name_too_long));
  // The limit is the caller's.
  EXPECT_EQ(user("abc", 3), "abc|abc");
  EXPECT_EQ(user("abcd", 3), refused(Refusal::name_too_long));
}

TEST(CheckUserName, RefusesInvalidUtf8) {
  EXPECT_EQ(user("caf\xE9"), refused(Refusal::name_not_utf8));
  EXPECT_EQ(user("\xC0\xAF"), refused(Refusal::name_not_utf8));
  EXPECT_EQ(user("\xED\xA0\x80"), refused(Refusal::name_not_utf8));
  EXPECT_EQ(user("Zo\xC3"), refused(Refusal::name_not_utf8));
}

TEST(CheckUserName, RefusesControlAndFormattingCharacters) {
  EXPECT_EQ(user("a\tb"), refused(Refusal::name_control_character));
  EXPECT_EQ(user("a\x1B[31mb"), refused(Refusal::name_control_character));
  EXPECT_EQ(user("a\x7F"), refused(Refusal::name_control_character));
  EXPECT_EQ(user("a\0b"s), refused(Refusal::name_control_character));
  EXPECT_EQ(user("a\xC2\x85" "b"), refused(Refusal::name_control_character));  // U+0085
  EXPECT_EQ(user("evil\xE2\x80\xAE" "txt"), refused(Refusal::name_control_character));  // U+202E
  EXPECT_EQ(user("\xE2\x81\xA6" "x"), refused(Refusal::name_control_character));  // U+2066
  EXPECT_EQ(user("\x02" "bold"), refused(Refusal::name_control_character));
}

TEST(CheckUserName, RefusesColon) {
  EXPECT_EQ(user("a:b"), refused(Refusal::name_colon));
  EXPECT_EQ(user(":"), refused(Refusal::name_colon));
  EXPECT_EQ(user("Message from User - X: hi"), refused(Refusal::name_colon));
}

TEST(CheckUserName, RefusesReservedStart) {
  EXPECT_EQ(user("/nick"), refused(Refusal::name_reserved_start));
  EXPECT_EQ(user("#lobby"), refused(Refusal::name_reserved_start));
  EXPECT_EQ(user("  #lobby"), refused(Refusal::name_reserved_start));  // after trimming
  EXPECT_EQ(user("/"), refused(Refusal::name_reserved_start));
}

// --- room names --------------------------------------------------------------

TEST(CheckRoomName, AcceptsWithAndWithoutHash) {
  EXPECT_EQ(room("games"), "games|games");
  EXPECT_EQ(room("#games"), "games|games");
  EXPECT_EQ(room("  #games \t"), "games|games");
  EXPECT_EQ(room("#Games"), "Games|games");  // keeps its spelling; the key folds it
  EXPECT_EQ(room("GAMES"), "GAMES|games");
  EXPECT_EQ(room("caf\xC3\xA9-bar_1.2"), "caf\xC3\xA9-bar_1.2|caf\xC3\xA9-bar_1.2");
  EXPECT_EQ(room("Cafe\xCC\x81"), "Caf\xC3\xA9|caf\xC3\xA9");  // NFC
  EXPECT_EQ(room("x"), "x|x");
}

TEST(CheckRoomName, LengthLimitExcludesTheHash) {
  EXPECT_EQ(room(repeat("r", 50)), repeat("r", 50) + "|" + repeat("r", 50));
  EXPECT_EQ(room("#" + repeat("r", 50)), repeat("r", 50) + "|" + repeat("r", 50));
  EXPECT_EQ(room(repeat("r", 51)), refused(Refusal::room_name_too_long));
  EXPECT_EQ(room("#" + repeat("r", 51)), refused(Refusal::room_name_too_long));
  EXPECT_EQ(room(repeat("\xC3\xA9", 50)), repeat("\xC3\xA9", 50) + "|" + repeat("\xC3\xA9", 50));
  EXPECT_EQ(room(repeat("\xC3\xA9", 51)), refused(Refusal::room_name_too_long));
}

TEST(CheckRoomName, RefusesEmpty) {
  EXPECT_EQ(room(""), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room("#"), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room("   "), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room(" # "), refused(Refusal::room_name_invalid));
}

TEST(CheckRoomName, RefusesSpacesCommasColonsAndMoreHashes) {
  EXPECT_EQ(room("my room"), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room("# games"), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room("#\xE3\x80\x80games"), refused(Refusal::room_name_invalid));  // U+3000 after '#'
  EXPECT_EQ(room("a,b"), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room("a:b"), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room("##games"), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room("a#b"), refused(Refusal::room_name_invalid));
}

// Every ASCII byte inside a name, at its start and at its end (names on
// every message are mostly ASCII, checked in one pass: the answer is the
// same as the general path's): printable characters but the separators are
// kept as they are and fold A-Z alone; white space is trimmed from either
// end of the whole (not between the '#' and the name); anything else is
// refused.
TEST(CheckRoomName, EveryAsciiCharacterAnywhereInAName) {
  for (int c = 0; c < 0x80; ++c) {
    const std::string ch(1, static_cast<char>(c));
    const std::string folded(1, static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    const bool space = c == ' ' || (c >= '\t' && c <= '\r');
    const bool allowed = c > 0x20 && c < 0x7F && ch != "," && ch != ":" && ch != "#";
    SCOPED_TRACE("character " + std::to_string(c));
    EXPECT_EQ(room("#aB" + ch + "c"), allowed ? "aB" + ch + "c|ab" + folded + "c" : refused(Refusal::room_name_invalid));
    EXPECT_EQ(room("#" + ch + "Ab"), allowed ? ch + "Ab|" + folded + "ab" : refused(Refusal::room_name_invalid));
    EXPECT_EQ(room(ch + "Ab"), allowed               ? ch + "Ab|" + folded + "ab"
                               : space || ch == "#" ? "Ab|ab"  // the name's own '#'
                                                    : refused(Refusal::room_name_invalid));
    EXPECT_EQ(room("Ab" + ch), allowed ? "Ab" + ch + "|ab" + folded
                               : space ? "Ab|ab" : refused(Refusal::room_name_invalid));
  }
  EXPECT_EQ(room(" Ab"), "Ab|ab") << "white space before the '#' too";
  EXPECT_EQ(room("#" + repeat("R", 50), 50), repeat("R", 50) + "|" + repeat("r", 50));
  EXPECT_EQ(room("#" + repeat("R", 51), 50), refused(Refusal::room_name_too_long));
}

TEST(CheckRoomName, RefusesControlsAndInvalidUtf8) {
  EXPECT_EQ(room("a\x07" "b"), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room("a\x1B" "b"), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room("a\xC2\x85" "b"), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room("a\xE2\x80\xAE" "b"), refused(Refusal::room_name_invalid));
  EXPECT_EQ(room("caf\xE9"), refused(Refusal::room_name_invalid));
}

}  // namespace
}  // namespace parley::core
