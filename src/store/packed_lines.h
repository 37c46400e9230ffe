#pragma once
// Several history lines in one blob: the SQLite store keeps a target's lines
// a batch to a row (schema 12), so that the B-tree work of a row is paid once
// per batch rather than once per line (docs/performance.md, "History writes").
// The format is ours and versioned by its first byte:
//   version (1 byte) | line count (4 bytes, little-endian) | lines
// and a line is
//   seq (varint: the first line's as is, then the step from the previous one, at least 1)
//   time_ms (zigzag varint: the first as is, then the change from the previous line)
//   kind, sender (varints)
//   msgid, body, object_name, client_tags (each a varint length, then the bytes)
// Readers check every length against what is left: a damaged blob is a
// StoreError, never a read past its end.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::store {

inline constexpr std::uint8_t kPackedLinesVersion = 1;

// One line as a row holds it. Strings view the blob (or the line) they came from.
struct PackedLine {
  std::int64_t seq = 0;
  std::int64_t ms = 0;
  std::uint8_t kind = 0;
  std::int64_t sender = 0;  // history_senders.id
  std::string_view msgid, body, object_name, client_tags;
};

// Builds one blob, a line at a time, in seq order.
class LinePacker {
 public:
  LinePacker() { clear(); }
  // Throws StoreError if `line.seq` is not past the previous line's.
  void add(const PackedLine& line);
  std::size_t lines() const { return count_; }
  std::size_t bytes() const { return blob_.size(); }
  std::int64_t first_seq() const { return first_seq_; }
  std::int64_t last_seq() const { return last_seq_; }
  std::int64_t first_ms() const { return first_ms_; }
  std::int64_t last_ms() const { return last_ms_; }
  // The blob so far (valid until the next add() or clear()).
  const std::string& blob() const { return blob_; }
  void clear();

 private:
  std::string blob_;
  std::uint32_t count_ = 0;
  std::int64_t first_seq_ = 0, last_seq_ = 0, first_ms_ = 0, last_ms_ = 0;
};

// The lines of a blob, oldest first, viewing `blob`. Throws StoreError for an
// unknown version or a damaged blob (truncated, trailing bytes, a length past
// the end, a varint too long, seqs not rising).
std::vector<PackedLine> unpack_lines(std::string_view blob);

// A blob of `lines` (each past the previous one's seq).
std::string pack_lines(const std::vector<PackedLine>& lines);

}  // namespace parley::store
