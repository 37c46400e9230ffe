#include "kept_records.h"

#include <spdlog/spdlog.h>

#include <future>

#include "auth/worker.h"
#include "store/sqlite_account_data.h"
#include "store/sqlite_rooms.h"

namespace parley::daemon {

class KeptRecords {
 public:
  explicit KeptRecords(const config::Config& cfg)
      : records_(cfg.storage), markers_(cfg.storage), edits_(cfg.storage) {}
  ~KeptRecords() {
    // The worker drops jobs it has not run when stopped: let it finish them first.
    std::promise<void> drained;
    writer_.post([&drained] { drained.set_value(); });
    drained.get_future().wait();
  }
  store::SqliteRooms& records() { return records_; }
  store::SqliteReadMarkers& markers() { return markers_; }
  store::SqliteHistoryEdits& edits() { return edits_; }
  void post(std::function<void()> job) { writer_.post(std::move(job)); }

 private:
  store::SqliteRooms records_;
  store::SqliteReadMarkers markers_;  // IRCv3 read markers
  store::SqliteHistoryEdits edits_;   // redaction
  auth::Worker writer_;  // last: stopped first
};

std::shared_ptr<KeptRecords> start_kept_records(core::Hub& hub, const config::Config& cfg) {
  auto kept = std::make_shared<KeptRecords>(cfg);
  hub.set_log([](const std::string& line) { spdlog::info("{}", line); });
  hub.set_records(&kept->records(), &kept->records(), [raw = kept.get()](std::function<void()> job) {
    raw->post(std::move(job));
  });
  hub.set_account_data(&kept->markers(), cfg.history_enabled ? &kept->edits() : nullptr);
  return kept;
}

}  // namespace parley::daemon
