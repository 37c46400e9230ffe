#pragma once
// parleyd's /metrics text (issue 12): the network layer's counters and what
// is sampled when it is rendered (the storage queue).
#include <functional>
#include <string>

namespace parley::net {
class Server;
}
namespace parley::store {
class SqliteHistory;
}

namespace parley::daemon {

// Adds the storage samples to `server`'s registry (`history` may be null:
// history off) and returns the function an HTTP /metrics route calls: the
// Prometheus text exposition, callable from any thread while `server` and
// `history` live. Call before the loops start.
std::function<std::string()> metrics_source(net::Server& server, const store::SqliteHistory* history);

}  // namespace parley::daemon
