// core/unicode: validation, counting, normalization, folding, trimming and
// what may reach a terminal.
#include "core/unicode.h"

#include <gtest/gtest.h>
#include <utf8proc.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace parley::core {
namespace {

using namespace std::string_literals;

// --- is_valid_utf8 ----------------------------------------------------------

TEST(IsValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("hello"));
  EXPECT_TRUE(is_valid_utf8("Zo\xC3\xAB"));                  // Zoë
  EXPECT_TRUE(is_valid_utf8("\xE6\x9D\x8E\xE9\x9B\xB7"));    // 李雷
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));                // € ends the string exactly
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));            // 😀, four bytes
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));            // U+10FFFF, the last code point
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));                // U+D7FF, just below the surrogates
  EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));                // U+E000, just above them
  EXPECT_TRUE(is_valid_utf8("a\0b"s));                       // NUL is a code point
}

// The scan takes ASCII eight bytes at a time: a bad or a multi-byte sequence
// must be seen wherever it falls, inside a word, across two, or in the tail.
TEST(IsValidUtf8, SeesEveryPositionPastTheAsciiWords) {
  for (std::size_t at = 0; at <= 24; ++at) {
    const std::string before(at, 'a');
    const std::string after(24 - at, 'b');
    EXPECT_TRUE(is_valid_utf8(before + "\xC3\xAB" + after)) << "ë at " << at;
    EXPECT_TRUE(is_valid_utf8(before + "\xF0\x9F\x98\x80" + after)) << "emoji at " << at;
    EXPECT_FALSE(is_valid_utf8(before + "\x80" + after)) << "stray byte at " << at;
    EXPECT_FALSE(is_valid_utf8(before + "\xFF" + after)) << "0xFF at " << at;
    EXPECT_FALSE(is_valid_utf8(before + "\xE2\x82")) << "truncated at the end after " << at;
    EXPECT_FALSE(is_valid_utf8(before + "\xED\xA0\x80" + after)) << "surrogate at " << at;
  }
}

TEST(IsValidUtf8, RefusesOverlongForms) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // '/' in two bytes
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // U+007F in two bytes
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // "modified UTF-8" NUL
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST(IsValidUtf8, RefusesSurrogates) {
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));                // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));                // U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));    // CESU-8 pair for U+1F600
  EXPECT_FALSE(is_valid_utf8("ok \xED\xB0\x80 ok"));
}

TEST(IsValidUtf8, RefusesTruncatedSequences) {
  EXPECT_FALSE(is_valid_utf8("\xC3"));
  EXPECT_FALSE(is_valid_utf8("Zo\xC3"));
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));
  EXPECT_FALSE(is_valid_utf8("\xE2\x82" "a"));  // a continuation byte missing mid-string
  EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x98"));
  EXPECT_FALSE(is_valid_utf8("\xF0\x9F" "ab"));
}

TEST(IsValidUtf8, RefusesStrayAndImpossibleBytes) {
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(is_valid_utf8("a\xBF" "b"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\xFE"));
  EXPECT_FALSE(is_valid_utf8("caf\xE9"));           // Latin-1 é
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000, past the last code point
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));  // old five-byte form
}

// --- count_code_points -------------------------------------------------------

TEST(CountCodePoints, CountsCodePointsNotBytes) {
  EXPECT_EQ(count_code_points(""), 0u);
  EXPECT_EQ(count_code_points("abc"), 3u);
  EXPECT_EQ(count_code_points("Zo\xC3\xAB"), 3u);                   // Zoë: 4 bytes
  EXPECT_EQ(count_code_points("Zoe\xCC\x88"), 4u);                  // Zoe + U+0308: combining mark counts
  EXPECT_EQ(count_code_points("\xE6\x9D\x8E\xE9\x9B\xB7"), 2u);     // 李雷: 6 bytes
  EXPECT_EQ(count_code_points("\xF0\x9F\x98\x80!"), 2u);            // 😀!
  EXPECT_EQ(count_code_points("a\0b"s), 3u);
}

// --- to_nfc ------------------------------------------------------------------

TEST(ToNfc, ComposesCombiningSequences) {
  EXPECT_EQ(to_nfc("Zoe\xCC\x88"), std::optional<std::string>("Zo\xC3\xAB"));  // Zoe + U+0308 -> Zoë
  EXPECT_EQ(to_nfc("e\xCC\x81"), std::optional<std::string>("\xC3\xA9"));       // e + U+0301 -> é
  // Hangul jamo L + V compose to one syllable: U+1100 U+1161 -> U+AC00.
  EXPECT_EQ(to_nfc("\xE1\x84\x80\xE1\x85\xA1"), std::optional<std::string>("\xEA\xB0\x80"));
  // A canonical singleton: ANGSTROM SIGN U+212B -> U+00C5.
  EXPECT_EQ(to_nfc("\xE2\x84\xAB"), std::optional<std::string>("\xC3\x85"));
}

TEST(ToNfc, LeavesComposedAndCompatibilityFormsAlone) {
  EXPECT_EQ(to_nfc(""), std::optional<std::string>(""));
  EXPECT_EQ(to_nfc("Zo\xC3\xAB"), std::optional<std::string>("Zo\xC3\xAB"));
  EXPECT_EQ(to_nfc("Raj Ingle"), std::optional<std::string>("Raj Ingle"));
  // NFC, not NFKC: the ligature U+FB01 and full-width A U+FF21 stay.
  EXPECT_EQ(to_nfc("\xEF\xAC\x81"), std::optional<std::string>("\xEF\xAC\x81"));
  EXPECT_EQ(to_nfc("\xEF\xBC\xA1"), std::optional<std::string>("\xEF\xBC\xA1"));
}

TEST(ToNfc, RefusesInvalidUtf8) {
  EXPECT_EQ(to_nfc("caf\xE9"), std::nullopt);
  EXPECT_EQ(to_nfc("\xED\xA0\x80"), std::nullopt);
  EXPECT_EQ(to_nfc("\xC0\xAF"), std::nullopt);
}

// --- fold_key ----------------------------------------------------------------

TEST(FoldKey, FoldsAsciiCase) {
  EXPECT_EQ(fold_key("Raj Ingle"), std::optional<std::string>("raj ingle"));
  EXPECT_EQ(fold_key("RAJ INGLE"), std::optional<std::string>("raj ingle"));
  EXPECT_EQ(fold_key("lobby"), std::optional<std::string>("lobby"));
}

// ASCII skips utf8proc; it must give what utf8proc gives, character by character.
TEST(FoldKey, AsciiFastPathAgreesWithUtf8proc) {
  for (int c = 0; c < 128; ++c) {
    const std::string one(1, static_cast<char>(c));
    for (const auto options : {UTF8PROC_COMPOSE, static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD)}) {
      utf8proc_uint8_t* out = nullptr;
      const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(one.data()), 1, &out,
                                  static_cast<utf8proc_option_t>(options | UTF8PROC_STABLE));
      ASSERT_GE(n, 0);
      const std::string expected(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
      std::free(out);
      const auto ours = options == UTF8PROC_COMPOSE ? to_nfc(one) : fold_key(one);
      EXPECT_EQ(ours, std::optional<std::string>(expected)) << "character " << c;
    }
  }
}

TEST(FoldKey, FoldsNonAsciiCaseAndNormalizes) {
  const std::optional<std::string> zoe("zo\xC3\xAB");  // zoë
  EXPECT_EQ(fold_key("ZO\xC3\x8B"), zoe);              // ZOË
  EXPECT_EQ(fold_key("zo\xC3\xAB"), zoe);              // zoë
  EXPECT_EQ(fold_key("Zoe\xCC\x88"), zoe);             // Zoe + U+0308
  EXPECT_EQ(fold_key("ZOE\xCC\x88"), zoe);             // ZOE + U+0308
}

TEST(FoldKey, FullCaseFoldingOfSharpS) {
  EXPECT_EQ(fold_key("Stra\xC3\x9F" "e"), std::optional<std::string>("strasse"));  // Straße
  EXPECT_EQ(fold_key("STRASSE"), std::optional<std::string>("strasse"));
  EXPECT_EQ(fold_key("Stra\xC3\x9F" "e"), fold_key("STRASSE"));
}

TEST(FoldKey, FoldsGreekSigmas) {
  // Σ, σ and final ς are one letter under folding.
  EXPECT_EQ(fold_key("\xCE\xA3"), std::optional<std::string>("\xCF\x83"));
  EXPECT_EQ(fold_key("\xCF\x82"), std::optional<std::string>("\xCF\x83"));
}

TEST(FoldKey, RefusesInvalidUtf8) {
  EXPECT_EQ(fold_key("ZO\xC3"), std::nullopt);
  EXPECT_EQ(fold_key("\xFF"), std::nullopt);
}

// --- trim_space --------------------------------------------------------------

TEST(TrimSpace, TrimsAsciiWhiteSpace) {
  EXPECT_EQ(trim_space("  Raj Ingle  "), "Raj Ingle");
  EXPECT_EQ(trim_space("\t\r\n\v\f x \n"), "x");
  EXPECT_EQ(trim_space("x"), "x");
  EXPECT_EQ(trim_space(""), "");
  EXPECT_EQ(trim_space(" \t \r\n"), "");
}

TEST(TrimSpace, KeepsInnerSpace) {
  EXPECT_EQ(trim_space(" a  b "), "a  b");
  EXPECT_EQ(trim_space("a\xE3\x80\x80" "b"), "a\xE3\x80\x80" "b");  // inner U+3000 stays
}

TEST(TrimSpace, TrimsUnicodeSpaceSeparators) {
  // U+3000 IDEOGRAPHIC SPACE, U+00A0 NO-BREAK SPACE (both Zs), U+2003 EM SPACE.
  EXPECT_EQ(trim_space("\xE3\x80\x80\xE6\x9D\x8E\xE9\x9B\xB7\xE3\x80\x80"), "\xE6\x9D\x8E\xE9\x9B\xB7");
  EXPECT_EQ(trim_space("\xC2\xA0Zo\xC3\xAB\xC2\xA0"), "Zo\xC3\xAB");
  EXPECT_EQ(trim_space("\xE2\x80\x83 x\xE2\x80\x83"), "x");
  EXPECT_EQ(trim_space("\xC2\xA0\xE3\x80\x80"), "");
}

TEST(TrimSpace, KeepsCharactersThatAreNotSpaceSeparators) {
  // U+200B ZERO WIDTH SPACE is Cf, U+0085 NEXT LINE is Cc: neither is trimmed.
  EXPECT_EQ(trim_space("\xE2\x80\x8Bx"), "\xE2\x80\x8Bx");
  EXPECT_EQ(trim_space("x\xC2\x85"), "x\xC2\x85");
}

TEST(TrimSpace, ReturnsAViewIntoTheInput) {
  const std::string s = "  abc  ";
  const std::string_view t = trim_space(s);
  EXPECT_EQ(t.data(), s.data() + 2);
  EXPECT_EQ(t.size(), 3u);
}

// --- has_unsafe_code_point / is_unsafe_code_point ---------------------------

TEST(UnsafeCodePoint, ControlAndBidiCodePoints) {
  for (char32_t cp : {U'\x00', U'\x01', U'\t', U'\n', U'\x1B', U'\x1F', U'\x7F', U'\x80', U'\x85', U'\x9F',
                      U'\u061C', U'\u200E', U'\u200F', U'\u202A', U'\u202E', U'\u2066', U'\u2069', U'\u2028',
                      U'\u2029'}) {
    EXPECT_TRUE(is_unsafe_code_point(cp)) << std::hex << static_cast<unsigned>(cp);
  }
  for (char32_t cp : {U' ', U'a', U'~', U'\u00A0', U'\u00EB', U'\u2027', U'\u2065', U'\u206A', U'\u2030',
                      U'\u202F', U'\u3000', U'\U0001F600'}) {
    EXPECT_FALSE(is_unsafe_code_point(cp)) << std::hex << static_cast<unsigned>(cp);
  }
}

TEST(HasUnsafeCodePoint, FindsC0DelAndC1) {
  EXPECT_TRUE(has_unsafe_code_point("a\x01" "b"));
  EXPECT_TRUE(has_unsafe_code_point("\x1B[31m"));
  EXPECT_TRUE(has_unsafe_code_point("tab\there"));
  EXPECT_TRUE(has_unsafe_code_point("nul\0"s));
  EXPECT_TRUE(has_unsafe_code_point("del\x7F"));
  EXPECT_TRUE(has_unsafe_code_point("next\xC2\x85line"));  // U+0085 NEL (C1)
  EXPECT_TRUE(has_unsafe_code_point("\xC2\x9B" "31m"));   // U+009B CSI (C1)
}

TEST(HasUnsafeCodePoint, FindsBidiControls) {
  EXPECT_TRUE(has_unsafe_code_point("abc\xE2\x80\xAE" "def"));  // U+202E RIGHT-TO-LEFT OVERRIDE
  EXPECT_TRUE(has_unsafe_code_point("\xE2\x81\xA6x"));          // U+2066 LEFT-TO-RIGHT ISOLATE
  EXPECT_TRUE(has_unsafe_code_point("x\xE2\x81\xA9"));          // U+2069 POP DIRECTIONAL ISOLATE
  EXPECT_TRUE(has_unsafe_code_point("\xE2\x80\x8F"));           // U+200F RIGHT-TO-LEFT MARK
}

TEST(HasUnsafeCodePoint, PassesOrdinaryText) {
  EXPECT_FALSE(has_unsafe_code_point(""));
  EXPECT_FALSE(has_unsafe_code_point("Raj Ingle"));
  EXPECT_FALSE(has_unsafe_code_point("Zo\xC3\xAB"));
  EXPECT_FALSE(has_unsafe_code_point("\xE6\x9D\x8E\xE9\x9B\xB7"));
  EXPECT_FALSE(has_unsafe_code_point("a\xC2\xA0" "b"));  // NBSP is a space, not a control
  EXPECT_FALSE(has_unsafe_code_point("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"));  // Hebrew letters
  EXPECT_FALSE(has_unsafe_code_point("\xF0\x9F\x98\x80"));
}

TEST(HasUnsafeCodePoint, TreatsInvalidBytesAsUnsafe) {
  EXPECT_TRUE(has_unsafe_code_point("caf\xE9"));
  EXPECT_TRUE(has_unsafe_code_point("\xC0\xAF"));
}

// --- sanitize_for_display ----------------------------------------------------

TEST(SanitizeForDisplay, LeavesPlainTextAlone) {
  EXPECT_EQ(sanitize_for_display(""), "");
  EXPECT_EQ(sanitize_for_display("hello, world"), "hello, world");
  EXPECT_EQ(sanitize_for_display("Zo\xC3\xAB \xE6\x9D\x8E\xE9\x9B\xB7 \xF0\x9F\x98\x80"),
            "Zo\xC3\xAB \xE6\x9D\x8E\xE9\x9B\xB7 \xF0\x9F\x98\x80");
  EXPECT_EQ(sanitize_for_display("3,14 and 42"), "3,14 and 42");
}

TEST(SanitizeForDisplay, EscapeSequencesLoseTheirEscapeByte) {
  EXPECT_EQ(sanitize_for_display("\x1B[31mred\x1B[0m"), "[31mred[0m");
  EXPECT_EQ(sanitize_for_display("\x1B]0;title\x07" "x"), "]0;titlex");
  EXPECT_EQ(sanitize_for_display("\xC2\x9B" "2J"), "2J");  // C1 CSI
}

TEST(SanitizeForDisplay, StripsIrcColourCodesWithTheirDigits) {
  EXPECT_EQ(sanitize_for_display("\x03" "4red"), "red");
  EXPECT_EQ(sanitize_for_display("\x03" "04red"), "red");
  EXPECT_EQ(sanitize_for_display("\x03" "04,12red on blue"), "red on blue");
  EXPECT_EQ(sanitize_for_display("\x03" "4,1x"), "x");
  EXPECT_EQ(sanitize_for_display("a\x03" "b"), "ab");      // a bare colour code (reset)
  EXPECT_EQ(sanitize_for_display("end\x03"), "end");
  // At most two digits belong to the code.
  EXPECT_EQ(sanitize_for_display("\x03" "123"), "3");
  EXPECT_EQ(sanitize_for_display("\x03" "01,023"), "3");
  // A comma with no background digit after it is text.
  EXPECT_EQ(sanitize_for_display("\x03" "04,x"), ",x");
  EXPECT_EQ(sanitize_for_display("\x03" "04,"), ",");
  EXPECT_EQ(sanitize_for_display("\x03,5"), ",5");
}

TEST(SanitizeForDisplay, StripsHexColourCodes) {
  EXPECT_EQ(sanitize_for_display("\x04" "FF0000red"), "red");
  EXPECT_EQ(sanitize_for_display("\x04" "ff0000,00ff00x"), "x");
}

TEST(SanitizeForDisplay, StripsIrcFormattingCodes) {
  EXPECT_EQ(sanitize_for_display("\x02" "bold\x02"), "bold");
  EXPECT_EQ(sanitize_for_display("\x1D" "it\x1F" "ul\x16" "rev\x11" "mono\x1E" "st\x0F" "reset"),
            "itulrevmonostreset");
}

TEST(SanitizeForDisplay, TurnsTabsIntoSpaces) {
  EXPECT_EQ(sanitize_for_display("a\tb"), "a b");
  EXPECT_EQ(sanitize_for_display("\t\t"), "  ");
}

TEST(SanitizeForDisplay, RemovesOtherControlsAndBidi) {
  EXPECT_EQ(sanitize_for_display("line\r\nbreak"), "linebreak");
  EXPECT_EQ(sanitize_for_display("bell\x07"), "bell");
  EXPECT_EQ(sanitize_for_display("del\x7F"), "del");
  EXPECT_EQ(sanitize_for_display("nul\0!"s), "nul!");
  EXPECT_EQ(sanitize_for_display("a\xC2\x85" "b"), "ab");                       // U+0085
  EXPECT_EQ(sanitize_for_display("abc\xE2\x80\xAE" "fed"), "abcfed");           // U+202E
  EXPECT_EQ(sanitize_for_display("\xE2\x81\xA6" "x\xE2\x81\xA9"), "x");        // U+2066 .. U+2069
}

// Printable ASCII passes in runs, the rest one code point at a time: every
// ASCII byte, at the start, in the middle and at the end of a line (next to
// letters that are no colour code's digits).
TEST(SanitizeForDisplay, EveryAsciiByteAnywhereInALine) {
  for (int b = 0; b < 0x80; ++b) {
    const char c = static_cast<char>(b);
    const std::string expected = b == '\t' ? " " : (b >= 0x20 && b < 0x7F) ? std::string(1, c) : "";
    SCOPED_TRACE(b);
    EXPECT_EQ(sanitize_for_display(std::string(1, c) + "xy"), expected + "xy");
    EXPECT_EQ(sanitize_for_display("xy" + std::string(1, c) + "zq"), "xy" + expected + "zq");
    EXPECT_EQ(sanitize_for_display("xy" + std::string(1, c)), "xy" + expected);
  }
}

TEST(SanitizeForDisplay, ReplacesInvalidBytes) {
  EXPECT_EQ(sanitize_for_display("caf\xE9!"), "caf\xEF\xBF\xBD!");
  EXPECT_EQ(sanitize_for_display("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitize_for_display("\xFF\xFE"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_for_display("\xED\xA0\x80").substr(0, 3), "\xEF\xBF\xBD");  // a surrogate
  EXPECT_TRUE(is_valid_utf8(sanitize_for_display("\xC0\xAF\xE2\x82 \xF0\x9F")));
}

TEST(SanitizeForDisplay, EverythingTogether) {
  EXPECT_EQ(sanitize_for_display("\x1B[1m\x02" "Hi\x02\t\x03" "04,12there\x03\xE2\x80\xAE!"), "[1mHi there!");
}

// ASCII takes a shortcut (no ASCII character is a format character); the
// rest is still looked up.
TEST(HasFormatCharacter, NoneInAsciiAndFoundBeyondIt) {
  std::string ascii;
  for (int c = 0; c < 0x80; ++c) ascii.push_back(static_cast<char>(c));
  EXPECT_FALSE(has_format_character(ascii));
  EXPECT_TRUE(has_format_character("ro\xC2\xADom"));      // U+00AD SOFT HYPHEN
  EXPECT_TRUE(has_format_character("room\xE2\x80\x8B"));  // U+200B ZERO WIDTH SPACE
  EXPECT_FALSE(has_format_character("r\xC3\xB6\xC3\xB6m"));  // rööm
}

}  // namespace
}  // namespace parley::core
