#include "metrics.h"

#include "metrics/render.h"
#include "net/server.h"

namespace parley::daemon {

std::function<std::string()> metrics_source(net::Server& server, std::function<store::HistoryCounts()> counts) {
  metrics::Registry& registry = server.metrics();
  if (counts) {
    registry.add_sampled({"storage_queue_lines", "History lines waiting to be written.", false,
                          [counts] { return static_cast<double>(counts().waiting()); }});
    registry.add_sampled({"storage_written_lines_total", "History lines written.", true,
                          [counts] { return static_cast<double>(counts().committed); }});
    registry.add_sampled({"storage_refused_lines_total", "History lines refused because the queue was full.", true,
                          [counts] { return static_cast<double>(counts().refused); }});
    registry.add_sampled({"storage_busy_refusals_total",
                          "Messages refused (busy saving messages) while the history writer was queue_lines behind.",
                          true, [counts] { return static_cast<double>(counts().turned_away); }});
    registry.add_sampled({"storage_write_batches_total", "History write transactions.", true,
                          [counts] { return static_cast<double>(counts().batches); }});
    registry.add_sampled({"storage_write_seconds_total",
                          "Time spent in history write transactions (divided by batches: the mean write latency).", true,
                          [counts] { return static_cast<double>(counts().batch_microseconds) / 1e6; }});
    registry.add_sampled({"storage_reads_total", "History reads asked (history, conversations, searches).", true,
                          [counts] { return static_cast<double>(counts().reads); }});
  }
  return [&registry] { return metrics::prometheus_text(registry); };
}

}  // namespace parley::daemon
