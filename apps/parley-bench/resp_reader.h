#pragma once
// RESP2 (the Redis protocol) replies, read from a byte stream. Bulk strings
// are taken by their declared length, so a payload may hold any bytes,
// "\r\n" included.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace parley::bench {

enum class RespType : std::uint8_t { simple, error, integer, bulk, null, array };

struct RespItem {
  RespType type = RespType::null;
  std::string_view text;      // simple, error, bulk
  std::int64_t integer = 0;   // integer; array: its element count
};

// A top-level reply. An array keeps its elements (a nested array is one item
// of type array; its contents are checked and skipped).
struct RespValue {
  RespItem head;
  std::vector<RespItem> items;
};

enum class RespParse : std::uint8_t { complete, need_more, invalid };

// Parses one reply at the start of `data`; on `complete`, `used` is its size.
// The views in `out` point into `data`.
RespParse parse_resp(std::string_view data, RespValue& out, std::size_t& used);

// Splits a stream into replies, keeping an unfinished one between reads.
class RespStream {
 public:
  static constexpr std::size_t kMaxPending = 64 << 20;

  // Calls on_value(const RespValue&) -> bool for each complete reply; stops
  // early when it returns false. Returns false when it stopped early, the
  // stream is not RESP, or an unfinished reply grew past kMaxPending.
  template <class OnValue>
  bool feed(std::string_view data, OnValue&& on_value) {
    if (pending_.empty()) {
      const std::size_t used = drain(data, on_value);
      if (used == kStopped) return false;
      pending_.assign(data.substr(used));
    } else {
      pending_.append(data);
      const std::size_t used = drain(pending_, on_value);
      if (used == kStopped) return false;
      pending_.erase(0, used);
    }
    return pending_.size() <= kMaxPending;
  }

  void clear() { std::string{}.swap(pending_); }

 private:
  static constexpr std::size_t kStopped = static_cast<std::size_t>(-1);

  template <class OnValue>
  std::size_t drain(std::string_view data, OnValue& on_value) {
    std::size_t offset = 0;
    for (;;) {
      std::size_t used = 0;
      switch (parse_resp(data.substr(offset), value_, used)) {
        case RespParse::need_more:
          return offset;
        case RespParse::invalid:
          return kStopped;
        case RespParse::complete:
          offset += used;
          if (!on_value(value_)) return kStopped;
      }
    }
  }

  std::string pending_;
  RespValue value_;
};

// PUBLISH / SUBSCRIBE / any command, as a RESP array of bulk strings.
void append_resp_command(std::string& out, std::initializer_list<std::string_view> words);

}  // namespace parley::bench
