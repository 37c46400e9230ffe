#pragma once
// The seed server's output, read from a byte stream. The seed frames
// nothing: every send is a bare string and several may arrive in one read,
// or one may arrive in pieces. The only way to split the stream is to
// recognise the seed's exact strings, the names (PREFIX + digits) and the
// bench payload (its header says nothing of its length, but the bench knows
// the size it pads to).

#include <cstddef>
#include <string>
#include <string_view>

namespace parley::bench {

enum class SeedKind {
  greeting,  // "Welcome to Chat room. To join enter your Name and begin chatting."
  welcome,   // "Welcome NAME to chatroom! Enter LEAVE to exit the chatroom "
  joined,    // "NAME has joined the chat room! "
  left,      // "NAME left the chat room."
  message,   // "Message from User - NAME: PAYLOAD"
  leave,     // "LEAVE", the answer to LEAVE before the seed closes
  garbage,   // bytes that are none of these, skipped up to the next message
};

struct SeedRecord {
  SeedKind kind = SeedKind::garbage;
  std::string_view name;  // welcome, joined, left, message
  std::string_view text;  // message: the payload; garbage: the bytes skipped
};

class SeedStream {
 public:
  static constexpr std::size_t kMaxPending = 1 << 20;

  // Names are `name_prefix` followed by digits; bench payloads are padded to
  // `payload_size` bytes (see payload.h).
  SeedStream(std::string name_prefix, std::size_t payload_size);

  // Calls on_record(const SeedRecord&) -> bool for each whole record; stops
  // early when it returns false. Returns false when it stopped early or an
  // unfinished record grew past kMaxPending.
  template <class OnRecord>
  bool feed(std::string_view data, OnRecord&& on_record) {
    if (pending_.empty()) {
      const std::size_t used = drain(data, on_record);
      if (used == kStopped) return false;
      pending_.assign(data.substr(used));
    } else {
      pending_.append(data);
      const std::size_t used = drain(pending_, on_record);
      if (used == kStopped) return false;
      pending_.erase(0, used);
    }
    return pending_.size() <= kMaxPending;
  }

  void clear() { std::string{}.swap(pending_); }

  enum class Match { yes, need_more, no };
  // Recognises the record at the start of `data` (exposed for tests).
  Match match(std::string_view data, SeedRecord& record, std::size_t& used) const;

 private:
  static constexpr std::size_t kStopped = static_cast<std::size_t>(-1);

  template <class OnRecord>
  std::size_t drain(std::string_view data, OnRecord& on_record) {
    std::size_t offset = 0;
    SeedRecord record;
    while (offset < data.size()) {
      std::size_t used = 0;
      const Match m = match(data.substr(offset), record, used);
      if (m == Match::need_more) break;
      if (m == Match::no) {
        used = skip_garbage(data.substr(offset));
        if (used == 0) break;  // wait: a message marker may be starting
        record = {SeedKind::garbage, {}, data.substr(offset, used)};
      }
      offset += used;
      if (!on_record(record)) return kStopped;
    }
    return offset;
  }

  // How many bytes to skip to reach the next message marker (keeping a tail
  // that may be the start of one).
  static std::size_t skip_garbage(std::string_view data);

  Match match_name(std::string_view data, std::size_t& pos, std::string_view& name) const;
  Match match_payload(std::string_view data, std::size_t& pos, std::string_view& payload) const;

  std::string name_prefix_;
  std::size_t payload_size_;
  std::string pending_;
};

}  // namespace parley::bench
