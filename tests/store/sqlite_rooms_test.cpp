// Registered rooms and server bans in the database: what the hub saves comes
// back as it was (every setting, list order, the topic's setter and time),
// replaces what was kept, and survives reopening.
#include <gtest/gtest.h>

#include "store/sqlite_rooms.h"
#include "sample_records.h"

namespace parley::store {
namespace {

using testing::at_ms;
using testing::cafe;

TEST(SqliteRooms, ARoomComesBackAsItWasSaved) {
  testing::TempFolder folder;
  {
    SqliteRooms rooms(testing::settings(folder.file("parley.db")));
    EXPECT_TRUE(rooms.load_rooms().empty());
    rooms.save_room(cafe());
  }
  SqliteRooms again(testing::settings(folder.file("parley.db")));
  auto loaded = again.load_rooms();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0], cafe());
}

TEST(SqliteRooms, SavingAgainReplacesEveryList) {
  testing::TempFolder folder;
  SqliteRooms rooms(testing::settings(folder.file("parley.db")));
  rooms.save_room(cafe());
  core::RoomRecord changed = cafe();
  changed.settings.bans = {"Eve!*@*"};
  changed.settings.ban_exceptions.clear();
  changed.operators = {"ann"};
  changed.topic.clear();
  rooms.save_room(changed);
  auto loaded = rooms.load_rooms();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0], changed);
}

TEST(SqliteRooms, ARemovedRoomIsGoneWithItsLists) {
  testing::TempFolder folder;
  SqliteRooms rooms(testing::settings(folder.file("parley.db")));
  core::RoomRecord other = cafe();
  other.key = other.name = "other";
  rooms.save_room(cafe());
  rooms.save_room(other);
  rooms.remove_room("café");
  rooms.remove_room("never-there");  // nothing to remove is no error
  auto loaded = rooms.load_rooms();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0], other);
  SQLite::Database db(folder.file("parley.db"));
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM room_masks WHERE room = 'café'").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM room_operators WHERE room = 'café'").getInt(), 0);
}

TEST(SqliteRooms, BansAreKeptReplacedAndRemoved) {
  testing::TempFolder folder;
  {
    SqliteRooms bans(testing::settings(folder.file("parley.db")));
    bans.save_ban({"*!*@spam.example", "spam", "oper", at_ms(1000), {}});
    bans.save_ban({"$a:eve", "abuse", "oper", at_ms(2000), at_ms(9000)});  // temporary: its expiry is kept
    bans.save_ban({"*!*@spam.example", "spam, again", "root", at_ms(500), {}});
    bans.remove_ban("*!*@nothing.example");
  }
  SqliteRooms again(testing::settings(folder.file("parley.db")));
  auto loaded = again.load_bans();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0], (core::ServerBan{"*!*@spam.example", "spam, again", "root", at_ms(500), {}}));
  EXPECT_EQ(loaded[1], (core::ServerBan{"$a:eve", "abuse", "oper", at_ms(2000), at_ms(9000)}));
  again.remove_ban("$a:eve");
  EXPECT_EQ(again.load_bans().size(), 1u);
}

}  // namespace
}  // namespace parley::store
