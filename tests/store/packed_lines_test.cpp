// The blob a packed history row keeps its lines in (store/packed_lines.h):
// what goes in comes out, and a damaged blob is a StoreError, never a read
// past its end.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "store/packed_lines.h"
#include "store/store_error.h"

namespace parley::store {
namespace {

PackedLine line(std::int64_t seq, std::int64_t ms, std::string_view body, std::uint8_t kind = 0) {
  PackedLine l;
  l.seq = seq;
  l.ms = ms;
  l.kind = kind;
  l.sender = 7;
  l.msgid = "room-1.18c";
  l.body = body;
  l.object_name = "bo";
  l.client_tags = "+draft/reply=x";
  return l;
}

void expect_same(const PackedLine& a, const PackedLine& b) {
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.ms, b.ms);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.sender, b.sender);
  EXPECT_EQ(a.msgid, b.msgid);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.object_name, b.object_name);
  EXPECT_EQ(a.client_tags, b.client_tags);
}

TEST(PackedLines, LinesComeOutAsTheyWentIn) {
  // Gaps in seq (other targets' lines), a clock that stepped back, empty and long texts.
  const std::string long_body(70000, 'x');
  const std::vector<PackedLine> in = {line(5, 1'700'000'000'000, "hello"), line(9, 1'699'999'999'000, ""),
                                      line(10, 1'700'000'000'500, long_body, 9),
                                      line(std::numeric_limits<std::int64_t>::max(), -3, "last")};
  const std::string blob = pack_lines(in);
  const std::vector<PackedLine> out = unpack_lines(blob);
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) expect_same(out[i], in[i]);
}

TEST(PackedLines, ThePackerKnowsItsBounds) {
  LinePacker packer;
  EXPECT_EQ(packer.lines(), 0u);
  packer.add(line(3, 100, "a"));
  packer.add(line(4, 90, "b"));
  EXPECT_EQ(packer.lines(), 2u);
  EXPECT_EQ(packer.first_seq(), 3);
  EXPECT_EQ(packer.last_seq(), 4);
  EXPECT_EQ(packer.first_ms(), 100);
  EXPECT_EQ(packer.last_ms(), 90);
  EXPECT_EQ(packer.bytes(), packer.blob().size());
  EXPECT_THROW(packer.add(line(4, 95, "same seq")), StoreError);
  packer.clear();
  EXPECT_EQ(packer.lines(), 0u);
  EXPECT_TRUE(unpack_lines(packer.blob()).empty());
}

TEST(PackedLines, EveryTruncationIsAClearError) {
  const std::string blob = pack_lines({line(1, 1000, "one"), line(2, 1001, "two")});
  for (std::size_t size = 0; size < blob.size(); ++size) {
    SCOPED_TRACE(size);
    EXPECT_THROW(unpack_lines(std::string_view(blob).substr(0, size)), StoreError);
  }
}

TEST(PackedLines, DamagedBlobsAreClearErrors) {
  const std::string good = pack_lines({line(1, 10, "one"), line(2, 11, "two")});
  auto damaged = [&](auto&& change) {
    std::string blob = good;
    change(blob);
    return blob;
  };
  // An unknown version, with a message that says so.
  try {
    unpack_lines(damaged([](std::string& b) { b[0] = 2; }));
    ADD_FAILURE() << "version 2 was read";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("format version 2"), std::string::npos) << e.what();
  }
  // Bytes after the last line.
  EXPECT_THROW(unpack_lines(good + "x"), StoreError);
  // A count larger than the lines there, and one too large to allocate for.
  EXPECT_THROW(unpack_lines(damaged([](std::string& b) { b[1] = 3; })), StoreError);
  EXPECT_THROW(unpack_lines(damaged([](std::string& b) { b[4] = '\x7f'; })), StoreError);
  // A text length past the end (the first line's msgid length is its 5th byte: seq, ms, kind, sender).
  EXPECT_THROW(unpack_lines(damaged([](std::string& b) { b[5 + 4] = '\x7f'; })), StoreError);
  // A varint that never ends.
  EXPECT_THROW(unpack_lines(std::string("\x01\x01\x00\x00\x00", 5) + std::string(20, '\xff')), StoreError);
  // A second line with the same seq (a step of 0).
  std::string same_seq = good;
  const std::size_t second = pack_lines({line(1, 10, "one")}).size();
  same_seq[second] = 0;
  EXPECT_THROW(unpack_lines(same_seq), StoreError);
}

TEST(PackedLines, RandomBytesNeverReadPastTheEnd) {
  // A cheap fuzz: whatever the bytes, a StoreError or lines whose texts lie inside the blob.
  std::uint64_t state = 12345;
  for (int round = 0; round < 20000; ++round) {
    std::string blob(5 + (round % 40), '\0');
    for (char& c : blob) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      c = static_cast<char>(state >> 56);
    }
    blob[0] = static_cast<char>(kPackedLinesVersion);
    try {
      for (const PackedLine& l : unpack_lines(blob)) {
        for (std::string_view s : {l.msgid, l.body, l.object_name, l.client_tags}) {
          EXPECT_GE(s.data(), blob.data());
          EXPECT_LE(s.data() + s.size(), blob.data() + blob.size());
        }
      }
    } catch (const StoreError&) {
    }
  }
}

}  // namespace
}  // namespace parley::store
