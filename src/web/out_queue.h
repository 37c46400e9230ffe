#pragma once
// The bytes waiting to be written to one web connection, as records (one
// WebSocket frame, one HTTP response, one control frame Beast wrote). Written
// with one contiguous write per loop pass, whatever the number of records;
// dropped a record at a time, so a farewell never lands inside a frame that
// is half written (a peer would read garbage as the frame's rest). An empty
// queue holds no storage (idle connections are most connections); the next
// burst starts with room for what the last one held, up to kFirstReserve.
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::web {

class OutQueue {
 public:
  static constexpr std::size_t kFirstReserve = 64 * 1024;

  // Appends one record: `header` then `body`.
  void push(std::string_view header, std::string_view body = {});
  std::size_t bytes() const { return buffer_.size() - head_; }
  bool empty() const { return bytes() == 0; }
  // The queued bytes as one iovec; 0 if none.
  int gather(iovec* iov) const;
  // Drops `n` written bytes from the front.
  void consume(std::size_t n);
  // Drops every record not yet started; the rest of a record partly written stays.
  void drop_unstarted();
  void clear();
  std::size_t capacity() const { return buffer_.capacity(); }

 private:
  std::uint64_t head_absolute() const { return base_ + head_; }

  std::string buffer_;
  std::size_t head_ = 0;         // bytes of buffer_ already written
  std::size_t last_peak_ = 0;    // the most bytes held before the queue last emptied
  std::uint64_t base_ = 0;       // how many bytes came before buffer_[0], ever
  std::uint64_t front_start_ = 0;  // where the oldest queued record begins (absolute)
  std::vector<std::uint64_t> ends_;  // where each record ends (absolute), oldest first
  std::size_t first_end_ = 0;        // ends_[first_end_] is the front record's (the ones before are written)
};

}  // namespace parley::web
