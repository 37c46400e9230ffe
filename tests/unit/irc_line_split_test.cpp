// irc/line_split: fitting a long text into 512-byte IRC lines without cutting
// a UTF-8 character.
//
//   [modern] the modern IRC client protocol (modern.ircdocs.horse), "Message format"
#include "irc/line_split.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/unicode.h"

namespace parley::irc {
namespace {

using Pieces = std::vector<std::string>;

Pieces split(std::string_view text, std::size_t max_bytes) {
  Pieces out;
  for (const auto piece : split_utf8(text, max_bytes)) out.emplace_back(piece);
  return out;
}

// The invariants every split keeps: pieces are views into the text, in order,
// at most max_bytes long (unless a single character is longer), and what lies
// between two pieces (or after the last) is nothing or exactly one space.
void expect_well_formed(std::string_view text, std::size_t max_bytes) {
  const auto pieces = split_utf8(text, max_bytes);
  if (text.empty()) {
    EXPECT_TRUE(pieces.empty());
    return;
  }
  ASSERT_FALSE(pieces.empty());
  const char* pos = text.data();
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const auto p = pieces[i];
    ASSERT_FALSE(p.empty()) << "piece " << i;
    EXPECT_LE(p.size(), max_bytes) << "piece " << i;
    if (i == 0) {
      EXPECT_EQ(p.data(), pos);
    } else {
      const auto gap = p.data() - pos;
      ASSERT_TRUE(gap == 0 || (gap == 1 && *pos == ' ')) << "piece " << i << " gap " << gap;
    }
    pos = p.data() + p.size();
  }
  // A cut at a space just before the end leaves that one space out.
  const auto rest = text.data() + text.size() - pos;
  EXPECT_TRUE(rest == 0 || (rest == 1 && *pos == ' ')) << "unsplit rest " << rest;
}

// "never cutting a UTF-8 sequence": from valid input, every piece is valid.
void expect_valid_pieces(std::string_view text, std::size_t max_bytes) {
  ASSERT_TRUE(core::is_valid_utf8(text));
  for (const auto p : split_utf8(text, max_bytes))
    EXPECT_TRUE(core::is_valid_utf8(p)) << "max " << max_bytes << " piece \"" << p << "\"";
  expect_well_formed(text, max_bytes);
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kE = "\xC3\xA9";              // é, 2 bytes
const std::string kEuro = "\xE2\x82\xAC";       // €, 3 bytes
const std::string kGrin = "\xF0\x9F\x98\x80";   // 😀, 4 bytes

TEST(IrcSplitUtf8, EmptyTextGivesNoPieces) { EXPECT_TRUE(split_utf8("", 10).empty()); }

TEST(IrcSplitUtf8, TextThatFitsIsOnePiece) {
  const std::string_view text = "hello world";
  const auto pieces = split_utf8(text, text.size());
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].data(), text.data());  // a view, not a copy
  EXPECT_EQ(pieces[0], text);
  EXPECT_EQ(split("hello world", 100), (Pieces{"hello world"}));
}

TEST(IrcSplitUtf8, AsciiWithoutSpacesCutsAtTheLimit) {
  EXPECT_EQ(split("abcdefghij", 4), (Pieces{"abcd", "efgh", "ij"}));
  EXPECT_EQ(split("abcdefgh", 4), (Pieces{"abcd", "efgh"}));
  EXPECT_EQ(split("abcde", 4), (Pieces{"abcd", "e"}));
}

TEST(IrcSplitUtf8, TwoByteCharacters) {
  const std::string text = repeat(kE, 5);  // 10 bytes
  EXPECT_EQ(split(text, 4), (Pieces{kE + kE, kE + kE, kE}));  // exact boundary
  EXPECT_EQ(split(text, 5), (Pieces{kE + kE, kE + kE, kE}));  // limit inside a character
  EXPECT_EQ(split("a" + text, 4), (Pieces{"a" + kE, kE + kE, kE + kE}));
  for (std::size_t max = 2; max <= 11; ++max) expect_valid_pieces(text, max);
}

TEST(IrcSplitUtf8, ThreeByteCharacters) {
  const std::string text = repeat(kEuro, 3);  // 9 bytes
  EXPECT_EQ(split(text, 3), (Pieces{kEuro, kEuro, kEuro}));
  EXPECT_EQ(split(text, 4), (Pieces{kEuro, kEuro, kEuro}));
  EXPECT_EQ(split(text, 5), (Pieces{kEuro, kEuro, kEuro}));
  EXPECT_EQ(split(text, 6), (Pieces{kEuro + kEuro, kEuro}));
  EXPECT_EQ(split(text, 8), (Pieces{kEuro + kEuro, kEuro}));
  EXPECT_EQ(split("ab" + text, 4), (Pieces{"ab", kEuro, kEuro, kEuro}));
  for (std::size_t max = 3; max <= 10; ++max) expect_valid_pieces("ab" + text, max);
}

TEST(IrcSplitUtf8, FourByteCharacters) {
  const std::string text = repeat(kGrin, 3);  // 12 bytes
  EXPECT_EQ(split(text, 4), (Pieces{kGrin, kGrin, kGrin}));
  EXPECT_EQ(split(text, 7), (Pieces{kGrin, kGrin, kGrin}));
  EXPECT_EQ(split(text, 8), (Pieces{kGrin + kGrin, kGrin}));
  EXPECT_EQ(split("abc" + text, 6), (Pieces{"abc", kGrin, kGrin, kGrin}));
  EXPECT_EQ(split("abc" + text, 7), (Pieces{"abc" + kGrin, kGrin, kGrin}));
  for (std::size_t max = 4; max <= 13; ++max) expect_valid_pieces("a" + text + "b", max);
}

TEST(IrcSplitUtf8, MixedWidthsNeverBreakACharacter) {
  const std::string text = "a" + kE + kEuro + kGrin + "b" + kGrin + kEuro + kE + "cd" + kEuro;
  for (std::size_t max = 4; max <= text.size() + 1; ++max) expect_valid_pieces(text, max);
}

// A character longer than max_bytes cannot fit; it is kept whole, on its own.
TEST(IrcSplitUtf8, CharacterLongerThanTheLimitIsKeptWhole) {
  EXPECT_EQ(split(kGrin + "ab", 3), (Pieces{kGrin, "ab"}));
  EXPECT_EQ(split("a" + kEuro, 2), (Pieces{"a", kEuro}));
  EXPECT_EQ(split("ab", 0), (Pieces{"a", "b"}));  // 0 is taken as 1
}

// "preferring to cut after a space ... drop exactly one space at a cut"
TEST(IrcSplitUtf8, PrefersASpaceInTheLastQuarter) {
  // max 13: a space at index 10..13 is in the last quarter (or right after the piece).
  EXPECT_EQ(split("hello world foo", 13), (Pieces{"hello world", "foo"}));
  EXPECT_EQ(split("the quick brown fox jumps over the lazy dog", 16),
            (Pieces{"the quick brown", "fox jumps over", "the lazy dog"}));
}

TEST(IrcSplitUtf8, SpaceJustAfterAFullPieceIsDropped) {
  EXPECT_EQ(split("abcd efgh", 4), (Pieces{"abcd", "efgh"}));
  EXPECT_EQ(split("abcd efgh ijkl", 9), (Pieces{"abcd efgh", "ijkl"}));
  EXPECT_EQ(split("abcd ", 4), (Pieces{"abcd"}));
}

TEST(IrcSplitUtf8, SpaceTooEarlyIsNotUsed) {
  // max 8: the last quarter starts at index 6; the space at 2 is too early.
  EXPECT_EQ(split("ab cdefghijklmnop", 8), (Pieces{"ab cdefg", "hijklmno", "p"}));
}

TEST(IrcSplitUtf8, DropsExactlyOneSpace) {
  // Two spaces at the cut: one is dropped, the other stays with its piece.
  EXPECT_EQ(split("aaaa  bbbb", 5), (Pieces{"aaaa ", "bbbb"}));
  EXPECT_EQ(split("abcd  efgh", 4), (Pieces{"abcd", " efg", "h"}));
}

TEST(IrcSplitUtf8, SpacesBetweenMultiByteCharacters) {
  const std::string word = repeat(kEuro, 3);  // 9 bytes
  const std::string text = word + " " + word + " " + word;
  EXPECT_EQ(split(text, 12), (Pieces{word, word, word}));
  EXPECT_EQ(split(text, 19), (Pieces{word + " " + word, word}));
  for (std::size_t max = 3; max <= text.size(); ++max) expect_valid_pieces(text, max);
}

// "Invalid UTF-8 is treated byte-wise."
TEST(IrcSplitUtf8, InvalidInputIsCutByteWise) {
  EXPECT_EQ(split("\xFF\xFF\xFF\xFF\xFF", 2), (Pieces{"\xFF\xFF", "\xFF\xFF", "\xFF"}));
  EXPECT_EQ(split("\x80\x80\x80\x80\x80", 2), (Pieces{"\x80\x80", "\x80\x80", "\x80"}));
  // A lead byte whose continuation bytes are missing is not waited for.
  EXPECT_EQ(split("ab\xE2\x82" "cd", 3), (Pieces{"ab\xE2", "\x82" "cd"}));
  EXPECT_EQ(split("abc\xE2\x82", 4), (Pieces{"abc\xE2", "\x82"}));
  // Valid characters next to invalid bytes are still kept whole.
  EXPECT_EQ(split("\xFF" + kEuro + "\xFF", 3), (Pieces{"\xFF", kEuro, "\xFF"}));
  expect_well_formed("\xC3\xC3\xC3 \x80\xE2\x82\xAC\xF0\x9F", 3);
}

// Random valid text: every invariant, for every limit from 4 to past the text.
TEST(IrcSplitUtf8, RandomValidTextKeepsEveryInvariant) {
  const std::vector<std::string> alphabet = {"a", "b", " ", " ", kE, kEuro, kGrin, "\xE6\x9D\x8E"};
  std::mt19937 rng(12345);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 80);
  for (int round = 0; round < 200; ++round) {
    std::string text;
    for (int n = length(rng); n > 0; --n) text += alphabet[pick(rng)];
    for (std::size_t max = 4; max <= text.size() + 1; ++max) {
      expect_valid_pieces(text, max);
      if (testing::Test::HasFailure()) {
        ADD_FAILURE() << "text \"" << text << "\" max " << max;
        return;
      }
    }
  }
}

// [modern] "Most IRC servers limit messages to 512 bytes in length, including the
// trailing CR-LF characters."
TEST(IrcTextRoom, WhatIsLeftOfFiveHundredTwelve) {
  EXPECT_EQ(text_room(0), 510u);
  const std::string prefix = ":nick!user@host PRIVMSG #room :";
  EXPECT_EQ(text_room(prefix.size()), 510u - prefix.size());
  EXPECT_EQ(text_room(509), 1u);
  EXPECT_EQ(text_room(510), 0u);
  EXPECT_EQ(text_room(600), 0u);
}

// [modern] "Servers SHOULD gracefully handle messages over the 512-bytes limit. They
// may: ... Truncate on the 510th byte ... or, preferably, on the last UTF-8
// character or grapheme that fits.": we split instead, so nothing is lost.
TEST(IrcTextRoom, SplitPiecesFitInLines) {
  const std::string prefix = ":somebody!someone@some.host.example PRIVMSG #a-room-with-a-long-name :";
  std::string text;
  for (int i = 0; i < 300; ++i) text += (i % 7 == 0 ? kGrin : i % 5 == 0 ? " " : kEuro);
  const auto pieces = split_utf8(text, text_room(prefix.size()));
  ASSERT_GT(pieces.size(), 1u);
  for (const auto p : pieces) {
    const std::string line = prefix + std::string(p) + "\r\n";
    EXPECT_LE(line.size(), 512u);
    EXPECT_TRUE(core::is_valid_utf8(p));
  }
}

}  // namespace
}  // namespace parley::irc
