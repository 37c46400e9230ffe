// History (issue 11): what was said in a room is kept in DATA_DIR/parley.db,
// shown to text users and older IRC clients when they join, read with
// draft/chathistory, and still there after a restart, a SIGKILL included.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <set>

#include "irc_itest_util.hpp"
#include "itest_util.hpp"
#include "metrics_util.hpp"
#include "system_util.hpp"

namespace parley::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

ServerOptions with_history(std::string data_dir = {}, std::string config = unlimited_config()) {
  ServerOptions options{.threads = kThreads, .config_toml = std::move(config)};
  options.replay_history = true;
  options.data_dir = std::move(data_dir);
  return options;
}

// The history block a text user reads after joining, without the times: its
// next line, or with `skip_to_it`, after other lines (greeting, others' joins).
std::vector<std::string> read_history_block(LineClient& client, std::string_view room, bool skip_to_it = false) {
  std::vector<std::string> said;
  const std::string heading = "Earlier in #" + std::string(room) + " (times in UTC):";
  const std::string end = "End of earlier messages in #" + std::string(room) + ".";
  if (skip_to_it) {
    const auto deadline = Clock::now() + default_timeout();
    for (;;) {
      auto line = client.read_line(remaining(deadline));
      if (!line) return {"(no heading)"};
      if (*line == heading) break;
    }
  } else if (!client.expect_line(heading)) {
    return {"(no heading)"};
  }
  for (;;) {
    auto line = client.read_line();
    if (!line) return said;
    if (*line == end) return said;
    // "[2026-12-02 16:20] Message from User - Ann: hi"
    said.push_back(line->size() > 19 && (*line)[0] == '[' ? line->substr(19) : *line);
  }
}

TEST(History, ATextUserJoiningSeesWhatWasSaidBefore) {
  ServerProcess server(with_history());
  auto ann = connect(server, "ann");
  ASSERT_TRUE(ann->register_as("Ann"));
  ASSERT_TRUE(say(*ann, "Ann", "hello there", {ann.get()}));
  ann->send_line("/me waves");
  ASSERT_TRUE(ann->expect_line("* Ann waves"));
  auto bo = connect(server, "bo");
  ASSERT_TRUE(bo->register_as("Bo"));
  EXPECT_THAT(read_history_block(*bo, "lobby"),
              ::testing::ElementsAre("Message from User - Ann: hello there", "* Ann waves"));
  // And then the room goes on as before.
  ASSERT_TRUE(ann->expect_line(joined_line("Bo")));
  ASSERT_TRUE(say(*ann, "Ann", "welcome Bo", {ann.get(), bo.get()}));
}

TEST(History, NothingIsShownInARoomWithNoHistory) {
  ServerProcess server(with_history());
  auto ann = connect(server, "ann");
  ASSERT_TRUE(ann->register_as("Ann"));
  ann->send_line("/join #quiet");
  ASSERT_TRUE(ann->expect_line_prefix("You joined #quiet"));
  ASSERT_TRUE(say(*ann, "Ann", "first words", {ann.get()}));
}

TEST(History, ReplayCanBeTurnedOff) {
  ServerProcess server(with_history({}, unlimited_config() + "[history]\nreplay_lines = 0\n"));
  auto ann = connect(server, "ann");
  ASSERT_TRUE(ann->register_as("Ann"));
  ASSERT_TRUE(say(*ann, "Ann", "not replayed", {ann.get()}));
  auto bo = connect(server, "bo");
  ASSERT_TRUE(bo->register_as("Bo"));
  ASSERT_TRUE(ann->expect_line(joined_line("Bo")));
  ASSERT_TRUE(say(*ann, "Ann", "next", {ann.get(), bo.get()}));  // Bo's next line: no history block
}

TEST(History, OnlyTheLastReplayLinesAreShown) {
  ServerProcess server(with_history({}, unlimited_config() + "[history]\nreplay_lines = 3\n"));
  auto ann = connect(server, "ann");
  ASSERT_TRUE(ann->register_as("Ann"));
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(say(*ann, "Ann", "m" + std::to_string(i), {ann.get()}));
  auto bo = connect(server, "bo");
  ASSERT_TRUE(bo->register_as("Bo"));
  EXPECT_THAT(read_history_block(*bo, "lobby"),
              ::testing::ElementsAre("Message from User - Ann: m3", "Message from User - Ann: m4",
                                     "Message from User - Ann: m5"));
}

TEST(History, HistorySurvivesARestart) {
  TempDir data;
  {
    ServerProcess first(with_history(data.path().string()));
    auto ann = connect(first, "ann");
    ASSERT_TRUE(ann->register_as("Ann"));
    ASSERT_TRUE(say(*ann, "Ann", "before the restart", {ann.get()}));
    auto status = first.terminate_and_wait();
    ASSERT_TRUE(status.exited()) << status.describe();
    EXPECT_TRUE(first.wait_for_log("History saved."));
  }
  ServerProcess second(with_history(data.path().string()));
  auto bo = connect(second, "bo");
  ASSERT_TRUE(bo->register_as("Bo"));
  EXPECT_THAT(read_history_block(*bo, "lobby"), ::testing::ElementsAre("Message from User - Ann: before the restart"));
}

// A room new to the server (after a restart) and many joining it at once:
// each sees the lines said before, and history is read once for all of them
// (the room keeps what was said lately: core/recent_speech.h); a join after
// that reads nothing either.
TEST(History, ManyJoiningAtOnceReadTheRoomsHistoryOnce) {
  constexpr int kJoiners = 12;
  TempDir data;
  {
    ServerProcess first(with_history(data.path().string()));
    auto ann = connect(first, "ann");
    ASSERT_TRUE(ann->register_as("Ann"));
    for (int i = 1; i <= 3; ++i) ASSERT_TRUE(say(*ann, "Ann", "m" + std::to_string(i), {ann.get()}));
    auto status = first.terminate_and_wait();
    ASSERT_TRUE(status.exited()) << status.describe();
  }
  ServerProcess second(with_history(data.path().string()));
  ASSERT_TRUE(metric_reaches(second.http_port(), "parley_storage_reads_total", 0));
  std::vector<std::unique_ptr<LineClient>> joiners;
  for (int i = 0; i < kJoiners; ++i) {
    joiners.push_back(connect(second, "joiner " + std::to_string(i)));
    joiners.back()->send_line("J" + std::to_string(i));  // all names sent before any history block is read
  }
  const std::vector<std::string> said = {"Message from User - Ann: m1", "Message from User - Ann: m2",
                                         "Message from User - Ann: m3"};
  for (auto& joiner : joiners) EXPECT_EQ(read_history_block(*joiner, "lobby", true), said) << joiner->label();
  EXPECT_TRUE(metric_reaches(second.http_port(), "parley_storage_reads_total", 1));
  auto late = connect(second, "late");
  ASSERT_TRUE(late->register_as("Late"));
  EXPECT_EQ(read_history_block(*late, "lobby"), said);
  EXPECT_TRUE(metric_reaches(second.http_port(), "parley_storage_reads_total", 1)) << "nothing read for a later join";
}

// `parleyd backup FILE` while the server runs; a server started on a copy of
// that file (the documented restore) has the history.
TEST(History, ABackupTakenWhileRunningRestores) {
  TempDir data, restored;
  const std::string backup = (data.path() / "backup.db").string();
  {
    ServerProcess server(with_history((data.path() / "live").string()));
    auto ann = connect(server, "ann");
    ASSERT_TRUE(ann->register_as("Ann"));
    ASSERT_TRUE(say(*ann, "Ann", "worth keeping", {ann.get()}));
    // A backup holds what was committed when it ran; under sync = "batch" a
    // line is committed a few milliseconds after it is heard. Lines are
    // written in order: Ann's join, then her line.
    ASSERT_TRUE(metric_sum_reaches(server.http_port(), "parley_storage_written_lines_total", 2));
    auto cy = connect(server, "cy");
    ASSERT_TRUE(cy->register_as("Cy"));
    ASSERT_THAT(read_history_block(*cy, "lobby"), ::testing::ElementsAre("Message from User - Ann: worth keeping"));
    ASSERT_TRUE(ann->expect_line("Cy has joined the chat room!"));
    ServerOptions command;
    command.default_args = false;
    command.wait_until_ready = false;
    command.extra_args = {"backup", backup, "--data-dir", (data.path() / "live").string()};
    ServerProcess run_backup(command);
    auto status = run_backup.wait_exit(scaled(30s));
    ASSERT_TRUE(status && status->exited() && status->code() == 0) << run_backup.log_text();
    EXPECT_TRUE(run_backup.wait_for_log("Backed up"));
    // Said after the backup: not in it.
    ASSERT_TRUE(say(*ann, "Ann", "after the backup", {ann.get()}));
  }
  std::filesystem::copy_file(backup, restored.path() / "parley.db");
  ServerProcess server(with_history(restored.path().string()));
  auto bo = connect(server, "bo");
  ASSERT_TRUE(bo->register_as("Bo"));
  EXPECT_THAT(read_history_block(*bo, "lobby"), ::testing::ElementsAre("Message from User - Ann: worth keeping"));
}

TEST(History, CheckConfigSaysWhetherTheDatabaseIsUsable) {
  TempDir data;
  {
    ServerProcess first(with_history(data.path().string()));
  }
  ServerOptions check;
  check.default_args = false;
  check.wait_until_ready = false;
  check.extra_args = {"--check-config", "--data-dir", data.path().string()};
  ServerProcess ok(check);
  auto status = ok.wait_exit(scaled(30s));
  ASSERT_TRUE(status && status->exited());
  EXPECT_EQ(status->code(), 0) << ok.log_text();
  EXPECT_TRUE(ok.wait_for_log("Configuration OK."));

}

// --- IRC ---------------------------------------------------------------------

std::unique_ptr<IrcClient> irc_user(ServerProcess& server, const std::string& nick, std::string caps = {}) {
  auto c = std::make_unique<IrcClient>(server.irc_port(), nick);
  IrcRegisterOptions options;
  options.caps = std::move(caps);
  EXPECT_TRUE(c->register_as(nick, options));
  return c;
}

constexpr const char* kHistoryCaps = "batch server-time message-tags draft/chathistory";

// Reads one chathistory batch; the PRIVMSG texts in it.
::testing::AssertionResult read_batch(IrcClient& c, std::vector<std::string>& texts,
                                      std::vector<IrcMessage>* lines = nullptr) {
  IrcMessage start;
  if (auto r = c.wait_for_command("BATCH", &start); !r) return r;
  if (start.params.size() < 2 || (start.param(1) != "chathistory" && start.param(1) != "soju.im/search"))
    return ::testing::AssertionFailure() << "not a chathistory or search batch: " << start.raw;
  const std::string id = start.param(0).substr(1);
  for (;;) {
    auto m = c.next();
    if (!m) return ::testing::AssertionFailure() << "the batch did not end";
    if (m->is("BATCH")) return m->param(0) == "-" + id ? ::testing::AssertionSuccess()
                                                       : ::testing::AssertionFailure() << "wrong end: " << m->raw;
    const std::string* batch = m->tag("batch");
    if (!batch || *batch != id) return ::testing::AssertionFailure() << "a line outside the batch: " << m->raw;
    if (!m->tag("time") || !m->tag("msgid")) return ::testing::AssertionFailure() << "no time or msgid: " << m->raw;
    if (m->is("PRIVMSG")) texts.push_back(m->last());
    if (lines) lines->push_back(*m);
  }
}

TEST(History, ChathistoryReadsAChannel) {
  ServerProcess server(with_history());
  auto ann = irc_user(server, "ann", kHistoryCaps);
  ASSERT_TRUE(ann->join("#talk"));
  // "If the server supports chathistory, it MUST advertise CHATHISTORY" (ISUPPORT): checked in the welcome below.
  for (int i = 1; i <= 5; ++i) ann->send("PRIVMSG #talk :line " + std::to_string(i));
  ASSERT_TRUE(ann->sync());

  ann->send("CHATHISTORY LATEST #talk * 3");
  std::vector<std::string> texts;
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(read_batch(*ann, texts, &lines));
  EXPECT_THAT(texts, ::testing::ElementsAre("line 3", "line 4", "line 5"));

  // BEFORE the oldest of those, by msgid: the two before it.
  const std::string first_id = *lines.front().tag("msgid");
  ann->send("CHATHISTORY BEFORE #talk msgid=" + first_id + " 10");
  texts.clear();
  ASSERT_TRUE(read_batch(*ann, texts));
  EXPECT_THAT(texts, ::testing::ElementsAre("line 1", "line 2"));
  // AROUND and AFTER one by msgid (ids carry their time, by which the store
  // finds their line: core/message_id.h).
  const std::string middle_id = *lines[1].tag("msgid");
  ann->send("CHATHISTORY AROUND #talk msgid=" + middle_id + " 3");
  texts.clear();
  ASSERT_TRUE(read_batch(*ann, texts));
  EXPECT_THAT(texts, ::testing::ElementsAre("line 3", "line 4", "line 5"));
  ann->send("CHATHISTORY AFTER #talk msgid=" + first_id + " 10");
  texts.clear();
  ASSERT_TRUE(read_batch(*ann, texts));
  EXPECT_THAT(texts, ::testing::ElementsAre("line 4", "line 5"));

  // AFTER a timestamp before everything: the oldest first.
  ann->send("CHATHISTORY AFTER #talk timestamp=2000-01-01T00:00:00.000Z 2");
  texts.clear();
  ASSERT_TRUE(read_batch(*ann, texts));
  EXPECT_THAT(texts, ::testing::ElementsAre("line 1", "line 2"));
}

TEST(History, ChathistoryIsAdvertisedAndRefusesWhatItCannotDo) {
  ServerProcess server(with_history());
  auto ann = std::make_unique<IrcClient>(server.irc_port(), "ann");
  IrcRegisterOptions options;
  options.caps = kHistoryCaps;
  std::vector<IrcMessage> welcome;
  ASSERT_TRUE(ann->register_as("ann", options, &welcome));
  bool advertised = false;
  for (const auto& m : welcome) advertised = advertised || (m.is("005") && m.raw.find(" CHATHISTORY=100 ") != std::string::npos);
  EXPECT_TRUE(advertised) << "no CHATHISTORY=100 in ISUPPORT";

  // "If the client is not joined to the target... the server MAY reply with INVALID_TARGET."
  ann->send("CHATHISTORY LATEST #elsewhere * 10");
  IrcMessage fail;
  ASSERT_TRUE(ann->expect_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("CHATHISTORY INVALID_TARGET"));

  ASSERT_TRUE(ann->join("#talk"));
  ann->send("CHATHISTORY BEFORE #talk notaref 10");
  ASSERT_TRUE(ann->expect_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("CHATHISTORY INVALID_PARAMS"));
  ann->send("CHATHISTORY LATEST #talk * many");
  ASSERT_TRUE(ann->expect_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("CHATHISTORY INVALID_PARAMS"));
  ann->send("CHATHISTORY LATEST #talk");
  ASSERT_TRUE(ann->expect_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("CHATHISTORY NEED_MORE_PARAMS"));
  // An unknown msgid: an empty batch.
  ann->send("CHATHISTORY BEFORE #talk msgid=nosuchid 10");
  std::vector<std::string> texts;
  ASSERT_TRUE(read_batch(*ann, texts));
  EXPECT_TRUE(texts.empty());
}

TEST(History, EventPlaybackIncludesJoinsAndTopics) {
  ServerProcess server(with_history());
  auto ann = irc_user(server, "ann", std::string(kHistoryCaps) + " draft/event-playback");
  ASSERT_TRUE(ann->join("#talk"));
  ann->send("TOPIC #talk :news");
  ann->send("PRIVMSG #talk :hi");
  ASSERT_TRUE(ann->sync());
  ann->send("CHATHISTORY LATEST #talk * 10");
  std::vector<std::string> texts;
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(read_batch(*ann, texts, &lines));
  std::vector<std::string> commands;
  for (const auto& m : lines) commands.push_back(m.command);
  EXPECT_THAT(commands, ::testing::ElementsAre("JOIN", "TOPIC", "PRIVMSG"));
}

// irctest's testChathistoryEventPlayback: each line seen live (echo-message)
// and read again with draft/event-playback is the same line, with the same
// msgid and time; the TOPIC, JOIN, NICK, KICK and PART seen live had none.
TEST(History, EventPlaybackLinesCarryTheIdsTheyHadLive) {
  ServerProcess server(with_history());
  auto ann = irc_user(server, "ann", std::string(kHistoryCaps) + " echo-message draft/event-playback");
  std::vector<IrcMessage> live;
  ASSERT_TRUE(ann->join("#talk", &live));
  ann->send("TOPIC #talk :news");
  ann->send("PRIVMSG #talk :hi");
  ASSERT_TRUE(ann->sync(&live));
  auto bo = irc_user(server, "bo");
  ASSERT_TRUE(bo->join("#talk"));
  bo->send("NICK bob");
  IrcMessage matched;
  ASSERT_TRUE(ann->wait_for_command("NICK", &matched, &live));
  live.push_back(matched);
  ann->send("KICK #talk bob :out");
  ASSERT_TRUE(ann->sync(&live));
  auto cy = irc_user(server, "cy");
  ASSERT_TRUE(cy->join("#talk"));
  cy->send("PART #talk :bye");
  ASSERT_TRUE(ann->wait_for_command("PART", &matched, &live));
  live.push_back(matched);
  ASSERT_TRUE(cy->sync());
  ASSERT_TRUE(ann->sync(&live));

  const std::set<std::string> kept = {"JOIN", "TOPIC", "PRIVMSG", "NICK", "KICK", "PART"};
  std::vector<std::string> seen;  // "COMMAND msgid time" of each kept line, as seen live
  for (const auto& m : live) {
    if (!kept.count(m.command)) continue;
    ASSERT_NE(m.tag("msgid"), nullptr) << "no msgid live: " << m.raw;
    seen.push_back(m.command + " " + *m.tag("msgid") + " " + *m.tag("time"));
  }
  ann->send("CHATHISTORY LATEST #talk * 20");
  std::vector<std::string> texts;
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(read_batch(*ann, texts, &lines));
  std::vector<std::string> replayed;
  for (const auto& m : lines) replayed.push_back(m.command + " " + *m.tag("msgid") + " " + *m.tag("time"));
  EXPECT_EQ(replayed, seen);
  EXPECT_EQ(seen.size(), 8u) << describe_lines(live);  // 3 JOINs, TOPIC, PRIVMSG, NICK, KICK, PART
}

TEST(History, AnIrcClientWithoutChathistoryGetsTheLastLinesOnJoin) {
  ServerProcess server(with_history());
  auto text = connect(server, "ann");
  ASSERT_TRUE(text->register_as("Ann"));
  ASSERT_TRUE(say(*text, "Ann", "said on the text port", {text.get()}));
  auto bo = irc_user(server, "bo", "batch server-time message-tags");
  bo->send("JOIN #lobby");
  std::vector<std::string> texts;
  ASSERT_TRUE(read_batch(*bo, texts));
  EXPECT_THAT(texts, ::testing::ElementsAre("said on the text port"));
  // A plain client (no batch): the lines alone.
  auto cy = irc_user(server, "cy");
  cy->send("JOIN #lobby");
  IrcMessage said;
  ASSERT_TRUE(cy->wait_for_command("PRIVMSG", &said));
  EXPECT_EQ(said.last(), "said on the text port");
}

// Registers an account named after the nick (REGISTER) and stays logged in.
// IRCv3 bot mode: a bot's lines carry the `bot` tag when replayed, as they
// did live (CHATHISTORY, the lines given on JOIN, private conversations);
// a line said before it turned bot mode on, or after it turned it off, does not.
TEST(History, ABotsLinesAreReplayedWithTheBotTag) {
  ServerProcess server(with_history());
  const std::string caps = std::string(kHistoryCaps) + " draft/account-registration";
  auto robo = irc_user(server, "robo", caps);
  auto ann = irc_user(server, "ann", caps);
  ASSERT_TRUE(robo->join("#talk"));
  ASSERT_TRUE(ann->join("#talk"));
  robo->send("PRIVMSG #talk :human at first");
  robo->send("MODE robo +B");
  ASSERT_TRUE(robo->wait_for_command("MODE"));
  robo->send("PRIVMSG #talk :beep");
  robo->send("MODE robo -B");
  ASSERT_TRUE(robo->wait_for_command("MODE"));
  robo->send("PRIVMSG #talk :human again");
  ASSERT_TRUE(robo->sync());
  ASSERT_TRUE(ann->sync());

  auto tagged = [](const std::vector<IrcMessage>& lines) {
    std::vector<std::string> out;
    for (const auto& m : lines) {
      if (m.is("PRIVMSG")) out.push_back(m.last() + (m.tag("bot") ? " (bot)" : ""));
    }
    return out;
  };
  ann->send("CHATHISTORY LATEST #talk * 10");
  std::vector<std::string> texts;
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(read_batch(*ann, texts, &lines));
  EXPECT_THAT(tagged(lines), ::testing::ElementsAre("human at first", "beep (bot)", "human again"));
  // Replay on JOIN, to a client without draft/chathistory.
  auto cy = irc_user(server, "cy", "batch server-time message-tags");
  cy->send("JOIN #talk");
  texts.clear();
  lines.clear();
  ASSERT_TRUE(read_batch(*cy, texts, &lines));
  EXPECT_THAT(tagged(lines), ::testing::ElementsAre("human at first", "beep (bot)", "human again"));

  // A private conversation between accounts: a bot's line there too.
  robo->send("REGISTER * * sesame!!");
  ASSERT_TRUE(robo->wait_for_command("900"));
  ann->send("REGISTER * * sesame!!");
  ASSERT_TRUE(ann->wait_for_command("900"));
  robo->send("MODE robo +B");
  ASSERT_TRUE(robo->wait_for_command("MODE"));
  robo->send("PRIVMSG ann :boop");
  IrcMessage live;
  ASSERT_TRUE(ann->wait_for_command("PRIVMSG", &live));
  EXPECT_TRUE(live.tag("bot")) << live.raw;
  ann->send("CHATHISTORY LATEST robo * 10");
  texts.clear();
  lines.clear();
  ASSERT_TRUE(read_batch(*ann, texts, &lines));
  EXPECT_THAT(tagged(lines), ::testing::ElementsAre("boop (bot)"));
}

void register_account(IrcClient& c) {
  c.send("REGISTER * * sesame!!");
  ASSERT_TRUE(c.expect_command("REGISTER"));
}

TEST(History, PrivateMessagesBetweenAccountsAreKeptForThemOnly) {
  TempDir data;
  const std::string caps = std::string(kHistoryCaps) + " draft/account-registration";
  {
    ServerProcess server(with_history(data.path().string()));
    auto ann = irc_user(server, "ann", caps);
    auto bo = irc_user(server, "bo", caps);
    register_account(*ann);
    register_account(*bo);
    ann->send("PRIVMSG bo :meet me in the garden");
    IrcMessage heard;
    ASSERT_TRUE(bo->wait_for_command("PRIVMSG", &heard));
    // Someone not logged in: kept for ann alone (history_private_test.cpp).
    auto cy = irc_user(server, "cy", kHistoryCaps);
    cy->send("PRIVMSG ann :kept for ann: cy has no account");
    ASSERT_TRUE(ann->wait_for_command("PRIVMSG", &heard));

    bo->send("CHATHISTORY LATEST ann * 10");
    std::vector<std::string> texts;
    std::vector<IrcMessage> lines;
    ASSERT_TRUE(read_batch(*bo, texts, &lines));
    EXPECT_THAT(texts, ::testing::ElementsAre("meet me in the garden"));
    EXPECT_EQ(lines.front().param(0), "bo") << "as it was sent: to bo, from ann: " << lines.front().raw;
    EXPECT_EQ(lines.front().source_nick(), "ann");

    cy->send("CHATHISTORY LATEST ann * 10");
    IrcMessage fail;
    ASSERT_TRUE(cy->expect_command("FAIL", &fail));
    EXPECT_THAT(fail.raw, HasSubstr("INVALID_TARGET"));
    ASSERT_TRUE(server.terminate_and_wait().exited());
  }
  // After a restart, logged in again: still there, and listed by TARGETS.
  ServerProcess again(with_history(data.path().string()));
  auto ann = irc_user(again, "ann2", caps);
  ann->send("PRIVMSG NickServ :IDENTIFY ann sesame!!");
  ASSERT_TRUE(ann->wait_for_command("900"));
  ann->send("CHATHISTORY LATEST bo * 10");
  std::vector<std::string> texts;
  ASSERT_TRUE(read_batch(*ann, texts));
  EXPECT_THAT(texts, ::testing::ElementsAre("meet me in the garden"));
  ann->send("CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2100-01-01T00:00:00.000Z 10");
  IrcMessage start, target, end;
  ASSERT_TRUE(ann->wait_for_command("BATCH", &start));
  EXPECT_EQ(start.param(1), "draft/chathistory-targets");
  // bo, then the guest cy's talk with ann: oldest first, by each one's latest line.
  // Both often fall in one millisecond here: then the order they were kept in.
  ASSERT_TRUE(ann->expect_command("CHATHISTORY", &target));
  EXPECT_EQ(target.param(0), "TARGETS");
  EXPECT_EQ(target.param(1), "bo") << target.raw;
  ASSERT_TRUE(ann->expect_command("CHATHISTORY", &target));
  EXPECT_EQ(target.param(1), "cy") << "the guest cy's talk with ann: " << target.raw;
  ASSERT_TRUE(ann->expect_command("BATCH", &end));
}

TEST(History, SearchFindsWordsInTheUsersRoomsAndConversations) {
  ServerProcess server(with_history());
  auto ann = irc_user(server, "ann", std::string(kHistoryCaps) + " soju.im/search");
  ASSERT_TRUE(ann->join("#talk"));
  ann->send("PRIVMSG #talk :the garden party is on Friday");
  ann->send("PRIVMSG #talk :nothing to see");
  ASSERT_TRUE(ann->sync());
  auto bo = irc_user(server, "bo", kHistoryCaps);
  ASSERT_TRUE(bo->join("#elsewhere"));
  bo->send("PRIVMSG #elsewhere :a garden ann cannot see");
  ASSERT_TRUE(bo->sync());

  ann->send("SEARCH text=garden;in=#talk");
  std::vector<std::string> texts;
  ASSERT_TRUE(read_batch(*ann, texts));
  EXPECT_THAT(texts, ::testing::ElementsAre("the garden party is on Friday"));
  ann->send("SEARCH text=garden");
  texts.clear();
  ASSERT_TRUE(read_batch(*ann, texts));
  EXPECT_THAT(texts, ::testing::ElementsAre("the garden party is on Friday")) << "only ann's rooms";

  IrcMessage fail;
  ann->send("SEARCH in=#talk");
  ASSERT_TRUE(ann->expect_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("SEARCH INVALID_PARAMS"));
  ann->send("SEARCH text=garden;in=#elsewhere");
  ASSERT_TRUE(ann->expect_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("not in that channel"));
  ann->send("SEARCH text=garden;limit=0");
  ASSERT_TRUE(ann->expect_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("Invalid limit"));
}

TEST(History, TextUsersSearchWithSlashSearch) {
  ServerProcess server(with_history({}, unlimited_config() + "[history]\nreplay_lines = 0\n"));
  auto ann = connect(server, "ann");
  ASSERT_TRUE(ann->register_as("Ann"));
  ASSERT_TRUE(say(*ann, "Ann", "the garden party is on Friday", {ann.get()}));
  ASSERT_TRUE(say(*ann, "Ann", "unrelated", {ann.get()}));
  ann->send_line("/search gard*");
  ASSERT_TRUE(ann->expect_line("Found 1 message holding \"gard*\", newest first (times in UTC):"));
  auto hit = ann->read_line();
  ASSERT_TRUE(hit);
  EXPECT_THAT(*hit, ::testing::EndsWith("] #lobby Message from User - Ann: the garden party is on Friday"));
  ASSERT_TRUE(ann->expect_line("End of search results."));
  ann->send_line("/search #lobby nowhere");
  ASSERT_TRUE(ann->expect_line("No messages hold \"nowhere\"."));
  ann->send_line("/search");
  ASSERT_TRUE(ann->expect_line("Usage: /search [#ROOM] [--best] WORDS"));
  ann->send_line("/search #lobby --best");
  ASSERT_TRUE(ann->expect_line("Usage: /search [#ROOM] [--best] WORDS")) << "options, but no words";
  ann->send_line("/search #elsewhere garden");
  auto refused = ann->read_line();
  ASSERT_TRUE(refused);
  EXPECT_THAT(*refused, HasSubstr("not in"));
}

// --best: the best matches first (BM25 per line), in either order with a room.
TEST(History, TextUsersSearchForTheBestMatchesFirst) {
  ServerProcess server(with_history({}, unlimited_config() + "[history]\nreplay_lines = 0\n"));
  auto ann = connect(server, "ann");
  ASSERT_TRUE(ann->register_as("Ann"));
  ASSERT_TRUE(say(*ann, "Ann", "garden", {ann.get()}));
  ASSERT_TRUE(say(*ann, "Ann", "a long line that mentions the garden only once among many other words", {ann.get()}));
  auto hits = [&](const std::string& command, const std::string& heading) -> std::vector<std::string> {
    ann->send_line(command);
    if (!ann->expect_line(heading)) return {};
    std::vector<std::string> texts;
    for (int i = 0; i < 2; ++i) {
      auto hit = ann->read_line();
      if (!hit) return {};
      texts.push_back(hit->substr(hit->find("Ann: ") + 5));
    }
    if (!ann->expect_line("End of search results.")) return {};
    return texts;
  };
  const std::string best = "Found 2 messages holding \"garden\", best match first (times in UTC):";
  const std::string newest = "Found 2 messages holding \"garden\", newest first (times in UTC):";
  EXPECT_THAT(hits("/search --best garden", best), ::testing::ElementsAre("garden", ::testing::StartsWith("a long")));
  EXPECT_THAT(hits("/search --best #lobby garden", best), ::testing::ElementsAre("garden", ::testing::StartsWith("a long")));
  EXPECT_THAT(hits("/search #lobby --best garden", best), ::testing::ElementsAre("garden", ::testing::StartsWith("a long")));
  EXPECT_THAT(hits("/search garden", newest), ::testing::ElementsAre(::testing::StartsWith("a long"), "garden"));
  ann->send_line("/search --best --best garden");
  EXPECT_TRUE(ann->expect_line("No messages hold \"--best garden\".")) << "only the first --best is an option";
}

}  // namespace
}  // namespace parley::test
