#pragma once
// parleyd's /metrics text (issue 12): the network layer's counters and what
// is sampled when it is rendered (the storage queue).
#include <functional>
#include <string>

#include "store/history_counts.h"

namespace parley::net {
class Server;
}

namespace parley::daemon {

// Adds the storage samples to `server`'s registry (`counts` may be empty:
// history off) and returns the function an HTTP /metrics route calls: the
// Prometheus text exposition, callable from any thread while `server` and
// the history store live. Call before the loops start.
std::function<std::string()> metrics_source(net::Server& server, std::function<store::HistoryCounts()> counts);

}  // namespace parley::daemon
