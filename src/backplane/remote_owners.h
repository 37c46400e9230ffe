#pragma once
// The cluster names ("node/loop.id", wire.h owner_name) of other nodes'
// sessions this node has heard of, by the ref each maps to here
// (ref_of_owner), so that events decided here can name them. A session that
// quit (by itself, or in its node's netsplit) is forgotten a grace period
// after its last quit was seen here: each room's quit comes on that room's
// stream, and an event decided here meanwhile still names it right. Before
// this, a node kept every remote session it had ever heard of, about 100 B
// each, for as long as it ran. No I/O; the caller gives the time.
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace parley::backplane {

class RemoteOwners {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RemoteOwners(Clock::duration grace) : grace_(grace) {}

  // `owner` is the session the ref's `id` stands for (heard in an event).
  void remember(std::uint64_t id, std::string_view owner);
  // Its owner name, or nullptr if none is known.
  const std::string* find(std::uint64_t id) const;
  // The session ended: forgotten once `grace` has passed after `now`,
  // unless it is heard of again meanwhile (its other rooms' quits, which
  // then set the time again).
  void quit(std::uint64_t id, Clock::time_point now);
  // Forgets the sessions whose grace has passed by `now`.
  void forget_due(Clock::time_point now);
  std::size_t size() const { return known_.size(); }

 private:
  struct Known {
    std::string owner;
    std::uint64_t heard = 0;  // when last remembered, in remember() calls
  };
  struct Quit {
    std::uint64_t id = 0;
    std::uint64_t heard = 0;  // Known::heard when its quit came: later news keeps it
    Clock::time_point due;
  };
  Clock::duration grace_;
  std::unordered_map<std::uint64_t, Known> known_;
  std::deque<Quit> quits_;  // oldest first, so in due order (one grace for all)
  std::uint64_t heard_ = 0;
};

}  // namespace parley::backplane
