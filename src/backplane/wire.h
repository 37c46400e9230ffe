#pragma once
// How a shared room event travels between nodes (in Redis's stream and its
// pub/sub messages): a version, then length-prefixed fields, so any byte may
// appear in a text. Pure: no I/O.
#include <optional>
#include <string>
#include <string_view>

#include "core/events.h"

namespace parley::backplane {

// The event as another node rebuilds it: its actor is nobody here
// (SessionRef{}), its sequence the cluster's. Only what Backplane shares
// (RoomEvent::Said to every member) is encoded.
std::string encode_event(const core::RoomEvent& event, std::string_view node);

struct DecodedEvent {
  std::string node;  // the node it was decided on
  std::shared_ptr<core::RoomEvent> event;
};
// nullopt when `bytes` is not an event this version reads.
std::optional<DecodedEvent> decode_event(std::string_view bytes);

}  // namespace parley::backplane
