#include "progress.h"

#include <fmt/core.h>

#include "clock.h"
#include "diag.h"

namespace parley::bench {

Progress::Progress(std::int64_t start_ns) : start_ns_(start_ns), next_ns_(start_ns + kNsPerSec), last_ns_(start_ns) {}

void Progress::tick(std::int64_t now, const ProgressSample& s) {
  if (now < next_ns_) return;
  const double span = ns_to_seconds(now - last_ns_);
  const auto per_sec = [span](std::uint64_t now_count, std::uint64_t before) {
    return span > 0 ? static_cast<double>(now_count - before) / span : 0.0;
  };
  stderr_line(fmt::format("[{:6.1f}s] {:<8} connections {}/{}  sent {} ({:.0f}/s)  delivered {} ({:.0f}/s)",
                          ns_to_seconds(now - start_ns_), s.phase, s.connections, s.target, s.sent,
                          per_sec(s.sent, last_sent_), s.delivered, per_sec(s.delivered, last_delivered_)));
  last_ns_ = now;
  last_sent_ = s.sent;
  last_delivered_ = s.delivered;
  while (next_ns_ <= now) next_ns_ += kNsPerSec;
}

}  // namespace parley::bench
