#pragma once
// parleyd's registered rooms, server bans, read markers and redactions: kept in
// DATA_DIR/parley.db (store::SqliteRooms), or in PostgreSQL when [storage] url
// is set (store::PgRooms), loaded into the hub before the loops run, and
// written afterwards by a thread of their own, never by a loop.
#include <memory>

#include "config/config.h"
#include "core/hub.h"

namespace parley::daemon {

class KeptRecords;

// Loads what was kept into `hub` and has it write there from now on; throws
// store::StoreError. The result must outlive the loops; destroying it writes
// whatever is still queued.
std::shared_ptr<KeptRecords> start_kept_records(core::Hub& hub, const config::Config& cfg);

}  // namespace parley::daemon
