#include "store/history_counts.h"

#include <spdlog/spdlog.h>

namespace parley::store {

bool accept_another(HistoryCounts& counts, std::uint64_t queue_lines, std::string_view store) {
  const std::uint64_t waiting = counts.waiting();
  // Caught up once half the backlog is written, not at the first line under
  // the limit: a writer just keeping up at the limit would log every flip.
  if (counts.behind && waiting < queue_lines / 2) {
    counts.behind = false;
    spdlog::info("History ({}): the writer has caught up; messages are taken again ({} refused in all since start).",
                 store, counts.turned_away);
  }
  if (waiting < queue_lines) return true;
  ++counts.turned_away;
  if (!counts.behind) {
    counts.behind = true;
    spdlog::warn("History ({}): the writer is {} lines behind ([storage] queue_lines); new messages are refused "
                 "(\"busy saving messages\") until it catches up. Is the disk slow or full?",
                 store, waiting);
  }
  return false;
}

bool room_for_another(HistoryCounts& counts, std::uint64_t queue_lines, std::string_view store) {
  if (counts.waiting() < 2 * queue_lines) return true;
  if (counts.refused++ % 1000 == 0)
    spdlog::error("History ({}): {} line(s) could not be kept: the writer is {} lines behind.", store, counts.refused,
                  2 * queue_lines);
  return false;
}

}  // namespace parley::store
