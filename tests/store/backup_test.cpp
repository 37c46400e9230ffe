// parleyd backup: a consistent copy while the server writes, that a server
// can start from.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "store/backup.h"
#include "store/sqlite_history.h"
#include "store/store_error.h"
#include "store_fixture.h"

namespace parley::store {
namespace {

using testing::TempFolder;

TEST(Backup, CopiesWhatIsWrittenAndTheCopyOpens) {
  TempFolder folder;
  const std::string live = folder.file("parley.db"), copy = folder.file("backup.db");
  {
    SqliteHistory history(testing::settings(live));
    for (int i = 0; i < 500; ++i) history.record(testing::said("lobby", "Ann", std::to_string(i), i, "i" + std::to_string(i)));
    history.flush();
    int last_total = 0;
    backup_database(live, copy, [&](int copied, int total) {
      EXPECT_LE(copied, total);
      last_total = total;
    });
    EXPECT_GT(last_total, 0);
    // The server goes on writing after the backup: the copy does not change.
    history.record(testing::said("lobby", "Ann", "after", 1000, "after"));
  }
  EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
  SqliteHistory restored(testing::settings(copy));
  std::promise<core::Result<std::vector<core::HistoryLine>>> answer;
  restored.fetch(testing::latest("lobby", 1000), [&](auto lines) { answer.set_value(std::move(lines)); });
  auto lines = answer.get_future().get();
  ASSERT_TRUE(lines.ok());
  EXPECT_EQ(lines.value().size(), 500u);
}

TEST(Backup, NoDatabaseIsAClearError) {
  TempFolder folder;
  EXPECT_THROW(backup_database(folder.file("missing.db"), folder.file("backup.db")), StoreError);
  EXPECT_FALSE(std::filesystem::exists(folder.file("backup.db")));
}

}  // namespace
}  // namespace parley::store
