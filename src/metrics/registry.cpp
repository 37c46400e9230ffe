#include "metrics/registry.h"

#include <stdexcept>

namespace parley::metrics {

Registry::Registry(std::size_t loops) {
  for (std::size_t i = 0; i < loops; ++i) loops_.push_back(std::make_unique<LoopCounters>());
}

std::size_t Registry::kind(std::string_view protocol, bool tls) {
  for (std::size_t i = 0; i < kinds_.size(); ++i) {
    if (kinds_[i].protocol == protocol && kinds_[i].tls == tls) return i;
  }
  if (kinds_.size() == kMaxListenerKinds) throw std::length_error("too many listener kinds for the metrics");
  kinds_.push_back(Kind{std::string(protocol), tls});
  return kinds_.size() - 1;
}

std::string_view reason_label(session::CloseReason reason) {
  using R = session::CloseReason;
  switch (reason) {
    case R::client_left: return "quit";
    case R::peer_closed: return "peer_closed";
    case R::too_slow: return "sendq";
    case R::shutdown: return "shutdown";
    case R::registration_timeout: return "registration_timeout";
    case R::too_many_from_address: return "too_many_from_address";
    case R::server_full: return "server_full";
    case R::ping_timeout: return "ping_timeout";
    case R::removed: return "kill";
    case R::silent_too_long: return "silent_too_long";
  }
  return "other";
}

}  // namespace parley::metrics
