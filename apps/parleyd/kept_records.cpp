#include "kept_records.h"

#include <spdlog/spdlog.h>

#include <future>

#include "auth/worker.h"
#include "store/pg_history.h"
#include "store/pg_records.h"
#include "store/sqlite_account_data.h"
#include "store/sqlite_rooms.h"

namespace parley::daemon {

class KeptRecords {
 public:
  explicit KeptRecords(const config::Config& cfg) {
    if (cfg.storage.url.empty()) {
      auto rooms = std::make_unique<store::SqliteRooms>(cfg.storage);
      bans_ = rooms.get();
      rooms_ = std::move(rooms);
      markers_ = std::make_unique<store::SqliteReadMarkers>(cfg.storage);
      edits_ = std::make_unique<store::SqliteHistoryEdits>(cfg.storage);
    } else {
      auto rooms = std::make_unique<store::PgRooms>(cfg.storage.url);
      bans_ = rooms.get();
      rooms_ = std::move(rooms);
      markers_ = std::make_unique<store::PgReadMarkers>(cfg.storage.url);
      edits_ = std::make_unique<store::PgHistoryEdits>(cfg.storage.url);
    }
  }
  ~KeptRecords() {
    // The worker drops jobs it has not run when stopped: let it finish them first.
    std::promise<void> drained;
    writer_.post([&drained] { drained.set_value(); });
    drained.get_future().wait();
  }
  core::RoomRecords& rooms() { return *rooms_; }
  core::BanRecords& bans() { return *bans_; }
  core::ReadMarkerRecords& markers() { return *markers_; }
  core::HistoryEdits& edits() { return *edits_; }
  void post(std::function<void()> job) { writer_.post(std::move(job)); }

 private:
  // In PostgreSQL when [storage] url is set, so that every node shares them.
  std::unique_ptr<core::RoomRecords> rooms_;
  core::BanRecords* bans_ = nullptr;  // the same object as rooms_
  std::unique_ptr<core::ReadMarkerRecords> markers_;  // IRCv3 read markers
  std::unique_ptr<core::HistoryEdits> edits_;  // redaction, where history is kept
  auth::Worker writer_{"records"};  // last: stopped first
};

std::shared_ptr<KeptRecords> start_kept_records(core::Hub& hub, const config::Config& cfg) {
  auto kept = std::make_shared<KeptRecords>(cfg);
  hub.set_log([](const std::string& line) { spdlog::info("{}", line); });
  // With [storage] url, every node of a cluster keeps its records in the same PostgreSQL.
  hub.set_records(
      &kept->rooms(), &kept->bans(), [raw = kept.get()](std::function<void()> job) { raw->post(std::move(job)); },
      !cfg.storage.url.empty());
  hub.set_account_data(&kept->markers(), cfg.history_enabled ? &kept->edits() : nullptr);
  return kept;
}

}  // namespace parley::daemon
