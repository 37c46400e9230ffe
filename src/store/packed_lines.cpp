#include "store/packed_lines.h"

#include <fmt/format.h>

#include <limits>

#include "store/store_error.h"

namespace parley::store {
namespace {

constexpr std::size_t kHeaderBytes = 5;  // version, then a 4-byte count

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Signed steps (a clock that stepped back) as small unsigned numbers.
std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t v) { return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1); }

void put_text(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

[[noreturn]] void damaged(const char* what) {
  throw StoreError(fmt::format("a history row is damaged ({}): restore the database from a backup", what));
}

// Reads a blob front to back, every read checked against its end.
class Reader {
 public:
  explicit Reader(std::string_view blob) : blob_(blob) {}
  bool done() const { return at_ == blob_.size(); }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ >= blob_.size()) damaged("truncated number");
      const auto byte = static_cast<std::uint8_t>(blob_[at_++]);
      // The tenth byte holds only the top bit.
      if (shift == 63 && byte > 1) damaged("number too large");
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    damaged("number too long");
  }
  std::string_view text() {
    const std::uint64_t size = varint();
    if (size > blob_.size() - at_) damaged("text past the end");
    const std::string_view s = blob_.substr(at_, static_cast<std::size_t>(size));
    at_ += static_cast<std::size_t>(size);
    return s;
  }

 private:
  std::string_view blob_;
  std::size_t at_ = kHeaderBytes;
};

}  // namespace

void LinePacker::clear() {
  blob_.assign(kHeaderBytes, '\0');
  blob_[0] = static_cast<char>(kPackedLinesVersion);
  count_ = 0;
  first_seq_ = last_seq_ = first_ms_ = last_ms_ = 0;
}

void LinePacker::add(const PackedLine& line) {
  if (count_ == 0) {
    put_varint(blob_, static_cast<std::uint64_t>(line.seq));
    put_varint(blob_, zigzag(line.ms));
    first_seq_ = line.seq;
    first_ms_ = line.ms;
  } else {
    if (line.seq <= last_seq_) throw StoreError(fmt::format("history line {} packed after {}", line.seq, last_seq_));
    put_varint(blob_, static_cast<std::uint64_t>(line.seq - last_seq_));
    // Wraps like the reader's addition: two's complement both ways.
    put_varint(blob_, zigzag(static_cast<std::int64_t>(static_cast<std::uint64_t>(line.ms) -
                                                       static_cast<std::uint64_t>(last_ms_))));
  }
  put_varint(blob_, line.kind);
  put_varint(blob_, static_cast<std::uint64_t>(line.sender));
  for (std::string_view s : {line.msgid, line.body, line.object_name, line.client_tags}) put_text(blob_, s);
  last_seq_ = line.seq;
  last_ms_ = line.ms;
  ++count_;
  for (int i = 0; i < 4; ++i) blob_[1 + i] = static_cast<char>((count_ >> (8 * i)) & 0xff);
}

std::vector<PackedLine> unpack_lines(std::string_view blob) {
  if (blob.size() < kHeaderBytes) damaged("shorter than its header");
  if (static_cast<std::uint8_t>(blob[0]) != kPackedLinesVersion)
    throw StoreError(fmt::format("a history row has format version {}, which this parleyd does not read",
                                 static_cast<unsigned>(static_cast<std::uint8_t>(blob[0]))));
  std::uint32_t count = 0;
  for (int i = 0; i < 4; ++i) count |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(blob[1 + i])) << (8 * i);
  // Each line takes at least 8 bytes: a count beyond that is damage, not a reason to allocate.
  if (count > (blob.size() - kHeaderBytes) / 8) damaged("more lines than bytes");
  std::vector<PackedLine> lines;
  lines.reserve(count);
  Reader in(blob);
  std::uint64_t seq = 0, ms = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    PackedLine line;
    const std::uint64_t seq_step = in.varint();
    const std::uint64_t ms_step = static_cast<std::uint64_t>(unzigzag(in.varint()));
    if (i == 0) {
      seq = seq_step;
      ms = ms_step;
    } else {
      if (seq_step == 0 || seq_step > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) - seq)
        damaged("seqs not rising");
      seq += seq_step;
      ms += ms_step;  // unsigned: wraps instead of overflowing
    }
    if (seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) damaged("seq out of range");
    line.seq = static_cast<std::int64_t>(seq);
    line.ms = static_cast<std::int64_t>(ms);
    const std::uint64_t kind = in.varint();
    if (kind > std::numeric_limits<std::uint8_t>::max()) damaged("kind out of range");
    line.kind = static_cast<std::uint8_t>(kind);
    const std::uint64_t sender = in.varint();
    if (sender > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) damaged("sender out of range");
    line.sender = static_cast<std::int64_t>(sender);
    line.msgid = in.text();
    line.body = in.text();
    line.object_name = in.text();
    line.client_tags = in.text();
    lines.push_back(line);
  }
  if (!in.done()) damaged("bytes after the last line");
  return lines;
}

std::string pack_lines(const std::vector<PackedLine>& lines) {
  LinePacker packer;
  for (const PackedLine& line : lines) packer.add(line);
  return packer.blob();
}

}  // namespace parley::store
