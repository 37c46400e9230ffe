#include "store/history_rows.h"

#include <fmt/format.h>

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

#include "core/message_id.h"
#include "core/unicode.h"
#include "store/history_plan.h"
#include "store/time_ms.h"

namespace parley::store {
namespace {

using core::HistoryLine;
using core::HistoryPoint;
using core::HistoryQuery;

// The targets a query reads (one, or two for a private conversation read with
// its guest side), those with lines.
std::vector<std::int64_t> target_ids(SQLite::Database& db, const HistoryQuery& query) {
  std::vector<std::int64_t> ids;
  for (const std::string* key : {&query.target, &query.also_target}) {
    if (key->empty()) continue;
    if (auto id = target_id(db, *key)) ids.push_back(*id);
  }
  return ids;
}

// Finds a target's lines by time on its primary key (target, seq). Lines are
// numbered as they are decided, so a target's times follow its seq, and no
// index by time is kept: it cost the writer about a third of its time per
// line (docs/performance.md, "History writes"). Where the clock stepped back,
// a time falls at one of the places where the lines' times cross it.
class TimeSearch {
 public:
  explicit TimeSearch(SQLite::Database& db)
      : next_(db, "SELECT seq, time_ms FROM history WHERE target = ? AND seq >= ? ORDER BY seq LIMIT 1"),
        newest_(db, "SELECT seq, time_ms FROM history WHERE target = ? ORDER BY seq DESC LIMIT 1"),
        previous_(db, "SELECT seq FROM history WHERE target = ? AND seq < ? ORDER BY seq DESC LIMIT 1") {}

  // The target's first line at `ms` or later; a binary search over seq, one
  // primary key descent a step (about 20 for a million lines).
  std::optional<std::int64_t> first_at_or_after(std::int64_t target, std::int64_t ms) {
    const std::optional<Line> oldest = next(target, std::numeric_limits<std::int64_t>::min());
    if (!oldest) return std::nullopt;
    if (oldest->ms >= ms) return oldest->seq;
    const std::optional<Line> newest = last(target);
    if (!newest || newest->ms < ms) return std::nullopt;
    // The line first at or after `high` is at `ms` or later; those before `low` are earlier.
    std::int64_t low = oldest->seq + 1, high = newest->seq;
    while (low < high) {
      const std::int64_t mid = low + (high - low) / 2;
      const Line probe = *next(target, mid);  // there is one: the line at `high` or after
      if (probe.ms >= ms)
        high = mid;
      else
        low = probe.seq + 1;  // at most `high`: the line at `high` or after is a later one
    }
    return next(target, high)->seq;
  }

  // The target's last line at `ms` or earlier: the one before the first later line.
  std::optional<std::int64_t> last_at_or_before(std::int64_t target, std::int64_t ms) {
    const std::optional<std::int64_t> later =
        ms == std::numeric_limits<std::int64_t>::max() ? std::nullopt : first_at_or_after(target, ms + 1);
    if (!later) {
      const std::optional<Line> newest = last(target);
      return newest ? std::optional(newest->seq) : std::nullopt;
    }
    previous_.reset();
    previous_.bind(1, target);
    previous_.bind(2, *later);
    if (!previous_.executeStep()) return std::nullopt;
    const std::int64_t seq = previous_.getColumn(0).getInt64();
    previous_.reset();
    return seq;
  }

 private:
  struct Line {
    std::int64_t seq = 0;
    std::int64_t ms = 0;
  };
  std::optional<Line> step(SQLite::Statement& q) {
    if (!q.executeStep()) return std::nullopt;
    const Line line{q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
    q.reset();
    return line;
  }
  std::optional<Line> next(std::int64_t target, std::int64_t from) {
    next_.reset();
    next_.bind(1, target);
    next_.bind(2, from);
    return step(next_);
  }
  std::optional<Line> last(std::int64_t target) {
    newest_.reset();
    newest_.bind(1, target);
    return step(newest_);
  }

  SQLite::Statement next_, newest_, previous_;
};

// The rows of a target from the first at `first_ms` (TimeSearch) on, by seq,
// up to the first later than `last_ms`: the seq of the one with message id `id`.
std::optional<std::int64_t> scan_for_id(SQLite::Database& db, TimeSearch& times, std::int64_t target,
                                        std::string_view id, std::int64_t first_ms, std::int64_t last_ms) {
  const std::optional<std::int64_t> first = times.first_at_or_after(target, first_ms);
  if (!first) return std::nullopt;
  SQLite::Statement rows(db, "SELECT seq, time_ms, msgid FROM history WHERE target = ? AND seq >= ? ORDER BY seq");
  rows.bind(1, target);
  rows.bind(2, *first);
  while (rows.executeStep()) {
    if (rows.getColumn(1).getInt64() > last_ms) break;
    const SQLite::Column msgid = rows.getColumn(2);
    if (std::string_view(msgid.getText(), static_cast<std::size_t>(msgid.getBytes())) == id)
      return rows.getColumn(0).getInt64();
  }
  return std::nullopt;
}

// Where `point` falls among the targets' lines (history_plan.h, SeqBounds);
// nothing for a message id none of them holds.
std::optional<SeqBounds> locate(SQLite::Database& db, const std::vector<std::int64_t>& targets, const HistoryPoint& point) {
  if (!point.id.empty()) {
    for (const std::int64_t target : targets) {
      if (auto seq = line_seq(db, target, point.id)) return SeqBounds{*seq, *seq};
    }
    return std::nullopt;
  }
  const std::int64_t t = point.time ? to_ms(*point.time) : 0;
  SeqBounds b;
  TimeSearch lines(db);
  for (const std::int64_t target : targets) {
    if (auto first = lines.first_at_or_after(target, t)) b.first_at_or_after = std::min(b.first_at_or_after, *first);
    if (auto last = lines.last_at_or_before(target, t)) b.last_at_or_before = std::max(b.last_at_or_before, *last);
  }
  return b;
}

// A line's columns, with its target's and sender's; `h` is the history table.
// CROSS JOIN keeps history the outer loop (SQLite takes the order as written).
constexpr const char* kColumns =
    "h.seq, t.key, t.room, h.msgid, h.time_ms, h.kind, s.display, s.nick, s.username, s.host, s.account, h.body, "
    "h.object_name, h.client_tags, s.bot";
constexpr const char* kJoins =
    "CROSS JOIN history_targets t ON t.id = h.target CROSS JOIN history_senders s ON s.id = h.sender";

HistoryLine line_from(SQLite::Statement& row) {
  HistoryLine line;
  line.target = row.getColumn(1).getString();
  line.room = row.getColumn(2).getString();
  line.id = row.getColumn(3).getString();
  line.time = from_ms(row.getColumn(4).getInt64());
  line.kind = static_cast<HistoryLine::Kind>(row.getColumn(5).getInt());
  line.sender.display = row.getColumn(6).getString();
  line.sender.nick = row.getColumn(7).getString();
  line.sender.user = row.getColumn(8).getString();
  line.sender.host = row.getColumn(9).getString();
  line.account = row.getColumn(10).getString();
  line.text = row.getColumn(11).getString();
  line.object_name = row.getColumn(12).getString();
  line.client_tags = row.getColumn(13).getString();
  line.sender.presence.bot = row.getColumn(14).getInt() != 0;
  return line;
}

// Lines of the targets with low < seq < high, the `limit` nearest `low`
// (ascending) or nearest `high` (descending); returned oldest first. Each
// target is read on its own (its primary key's range) and the two merged.
std::vector<HistoryLine> range(SQLite::Database& db, const HistoryQuery& query, const std::vector<std::int64_t>& targets,
                               std::int64_t low, std::int64_t high, bool newest, std::size_t limit) {
  std::vector<std::pair<std::int64_t, HistoryLine>> found;
  if (limit == 0 || low >= high) return {};
  const std::string sql = fmt::format(
      "SELECT {} FROM history h {} WHERE h.target = ? AND h.seq > ? AND h.seq < ?{} ORDER BY h.seq {} LIMIT ?",
      kColumns, kJoins, query.speech_only ? " AND h.kind <= 2" : "", newest ? "DESC" : "ASC");
  static_assert(static_cast<int>(HistoryLine::Kind::notice) == 2, "speech kinds come first");
  SQLite::Statement q(db, sql);
  for (const std::int64_t target : targets) {
    q.reset();
    q.bind(1, target);
    q.bind(2, low);
    q.bind(3, high);
    q.bind(4, static_cast<std::int64_t>(limit));
    while (q.executeStep()) found.emplace_back(q.getColumn(0).getInt64(), line_from(q));
  }
  return merge_by_seq(std::move(found), newest, limit);
}

}  // namespace

std::optional<std::int64_t> target_id(SQLite::Database& db, const std::string& key) {
  SQLite::Statement q(db, "SELECT id FROM history_targets WHERE key = ?");
  q.bind(1, key);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getInt64();
}

std::optional<std::int64_t> line_seq(SQLite::Database& db, std::int64_t target, const std::string& id) {
  const std::optional<std::int64_t> ms = core::message_id_ms(id);
  if (!ms) {
    // Made before ids carried their time: in the index of the lines kept
    // before schema 11, whose bound the query repeats as the index has it.
    SQLite::Statement bound(db, "SELECT last_seq FROM history_old_msgids");
    if (!bound.executeStep()) return std::nullopt;
    const std::int64_t last_old = bound.getColumn(0).getInt64();
    if (last_old <= 0) return std::nullopt;
    SQLite::Statement q(db, fmt::format("SELECT seq FROM history INDEXED BY history_by_old_msgid "
                                        "WHERE msgid = ? AND seq <= {} AND target = ? LIMIT 1",
                                        last_old));
    q.bind(1, id);
    q.bind(2, target);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getInt64();
  }
  // Lines are numbered as they are decided, so a target's times follow its
  // seq, nearly: a private conversation's two sides stamp their lines on
  // their own loops, and a cluster's nodes on their own clocks. The
  // millisecond itself first (nearly always enough), then its neighbours.
  TimeSearch times(db);
  if (auto seq = scan_for_id(db, times, target, id, *ms, *ms)) return seq;
  // (An id's time is at most 15 hex digits: the bounds cannot overflow.)
  return scan_for_id(db, times, target, id, *ms - kIdTimeSlackMs, *ms + kIdTimeSlackMs);
}

namespace {
constexpr const char* kInsertRows =
    "INSERT INTO history (target, seq, time_ms, kind, sender, msgid, body, object_name, client_tags) VALUES ";
constexpr const char* kRowValues = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";

std::string insert_sql(std::size_t rows) {
  std::string sql = kInsertRows;
  for (std::size_t i = 0; i < rows; ++i) sql.append(i == 0 ? "" : ", ").append(kRowValues);
  return sql;
}
}  // namespace

HistoryInserter::HistoryInserter(SQLite::Database& db)
    : db_(db),
      insert_(db, insert_sql(1)),
      insert_many_(db, insert_sql(kRowsPerInsert)),
      add_target_(db, "INSERT INTO history_targets (key, room) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"),
      find_target_(db, "SELECT id, room FROM history_targets WHERE key = ?"),
      rename_target_(db, "UPDATE history_targets SET room = ? WHERE id = ?"),
      add_sender_(db,
                  "INSERT INTO history_senders (display, nick, username, host, account, bot) VALUES (?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT DO NOTHING"),
      find_sender_(db,
                   "SELECT id FROM history_senders WHERE display = ? AND nick = ? AND username = ? AND host = ? "
                   "AND account = ? AND bot = ?"),
      touch_target_(db, "UPDATE history_targets SET last_seq = MAX(last_seq, ?) WHERE id = ?"),
      conversation_(db,
                    "INSERT INTO conversations (account, target, other, last_ms) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (account, target) DO UPDATE SET last_ms = MAX(last_ms, excluded.last_ms)") {
  forget();
}

void HistoryInserter::forget() {
  rows_.clear();
  targets_.clear();
  senders_.clear();
  touched_.clear();
  // Past every line kept, and every line the search index has seen.
  next_seq_ = 1 + db_.execAndGet("SELECT MAX((SELECT COALESCE(MAX(last_seq), 0) FROM history_targets), "
                                 "(SELECT indexed_seq FROM search_progress))")
                      .getInt64();
}

const HistoryInserter::Target& HistoryInserter::target(const HistoryLine& line) {
  auto it = targets_.find(line.target);
  if (it == targets_.end()) {
    add_target_.reset();
    add_target_.bind(1, line.target);
    add_target_.bind(2, line.room);
    add_target_.exec();
    find_target_.reset();
    find_target_.bind(1, line.target);
    if (!find_target_.executeStep()) throw SQLite::Exception("history_targets: a target just added is missing");
    Target t{find_target_.getColumn(0).getInt64(), find_target_.getColumn(1).getString()};
    // Reset now: a stepped statement keeps its read snapshot open after the
    // commit, and the next write on this connection would then fail
    // (SQLITE_BUSY) for good once another connection (accounts) has written.
    find_target_.reset();
    it = targets_.emplace(line.target, std::move(t)).first;
  }
  // A room shown under another name now (lines show the latest).
  if (!line.room.empty() && it->second.room != line.room) {
    rename_target_.reset();
    rename_target_.bind(1, line.room);
    rename_target_.bind(2, it->second.id);
    rename_target_.exec();
    it->second.room = line.room;
  }
  return it->second;
}

std::int64_t HistoryInserter::sender(const HistoryLine& line) {
  const core::Identity& who = line.sender;
  sender_key_.clear();
  for (const std::string* part : {&who.display, &who.nick, &who.user, &who.host, &line.account})
    sender_key_.append(*part).push_back('\x1f');  // never inside a name
  sender_key_.push_back(who.presence.bot ? 'b' : '-');
  if (auto it = senders_.find(sender_key_); it != senders_.end()) return it->second;
  if (senders_.size() >= 100000) senders_.clear();  // bounded: a long-running server meets many
  add_sender_.reset();
  find_sender_.reset();
  int n = 1;
  for (const std::string* part : {&who.display, &who.nick, &who.user, &who.host, &line.account}) {
    add_sender_.bind(n, *part);
    find_sender_.bind(n++, *part);
  }
  add_sender_.bind(n, who.presence.bot ? 1 : 0);
  find_sender_.bind(n, who.presence.bot ? 1 : 0);
  add_sender_.exec();
  if (!find_sender_.executeStep()) throw SQLite::Exception("history_senders: a sender just added is missing");
  const std::int64_t id = find_sender_.getColumn(0).getInt64();
  find_sender_.reset();  // as find_target_
  add_sender_.reset();
  senders_.emplace(sender_key_, id);
  return id;
}

void HistoryInserter::bind_row(SQLite::Statement& insert, int index, const Row& row) {
  const int n = 9 * index;
  // The line outlives exec(): SQLite reads the strings in place rather than
  // copying each one.
  insert.bind(n + 1, row.target);
  insert.bind(n + 2, row.seq);
  insert.bind(n + 3, row.ms);
  insert.bind(n + 4, static_cast<int>(row.line->kind));
  insert.bind(n + 5, row.sender);
  insert.bindNoCopy(n + 6, row.line->id);
  insert.bindNoCopy(n + 7, row.line->text);
  insert.bindNoCopy(n + 8, row.line->object_name);
  insert.bindNoCopy(n + 9, row.line->client_tags);
}

void HistoryInserter::insert_rows() {
  std::size_t done = 0;
  for (; rows_.size() - done >= kRowsPerInsert; done += kRowsPerInsert) {
    insert_many_.reset();
    for (std::size_t i = 0; i < kRowsPerInsert; ++i) bind_row(insert_many_, static_cast<int>(i), rows_[done + i]);
    insert_many_.exec();
  }
  for (; done < rows_.size(); ++done) {
    insert_.reset();
    bind_row(insert_, 0, rows_[done]);
    insert_.exec();
  }
  rows_.clear();
}

void HistoryInserter::add(const HistoryLine& line) {
  const Target& t = target(line);
  const std::int64_t seq = next_seq_++;
  const std::int64_t ms = to_ms(line.time);
  rows_.push_back({t.id, seq, ms, sender(line), &line});
  if (rows_.size() >= kRowsPerInsert) insert_rows();
  Touched& touched = touched_[t.id];
  if (touched.key.empty()) touched.key = line.target;
  touched.last_seq = seq;
  touched.last_ms = std::max(touched.last_ms, ms);
}

void HistoryInserter::finish() {
  insert_rows();
  for (const auto& [id, touched] : touched_) {
    touch_target_.reset();
    touch_target_.bind(1, touched.last_seq);
    touch_target_.bind(2, id);
    touch_target_.exec();
    for (const auto& [account, other] : core::private_history_readers(touched.key)) {
      conversation_.reset();
      conversation_.bind(1, account);
      conversation_.bind(2, touched.key);
      conversation_.bind(3, other);
      conversation_.bind(4, touched.last_ms);
      conversation_.exec();
    }
  }
  touched_.clear();
}

std::vector<HistoryLine> read_history(SQLite::Database& db, const HistoryQuery& query) {
  const std::vector<std::int64_t> targets = target_ids(db, query);
  if (targets.empty()) return {};
  std::optional<SeqBounds> from, to;
  if (query.from && !(from = locate(db, targets, *query.from))) return {};
  if (query.to && !(to = locate(db, targets, *query.to))) return {};
  auto lines = [&](std::int64_t low, std::int64_t high, bool newest, std::size_t limit) {
    return range(db, query, targets, low, high, newest, limit);
  };
  return plan_history_read(query, from, to, lines);
}

std::vector<core::HistoryTarget> read_targets(SQLite::Database& db, const core::TargetsQuery& query) {
  // Each target with its newest line's (time, seq). Times are milliseconds,
  // and two conversations' latest lines often share one (on a quick machine a
  // reply takes less); seq, the order lines were recorded in, breaks the tie,
  // where the order of the conversations table (its keys) used to.
  struct Found {
    core::HistoryTarget target;
    std::int64_t seq;
  };
  std::vector<Found> found;
  // A target is in the span when its newest line is (one with older lines in
  // the span but newer ones after it is not): its last by seq (TimeSearch).
  SQLite::Statement find(db, "SELECT id, room FROM history_targets WHERE key = ?");
  SQLite::Statement latest(db,
                           "SELECT time_ms, seq FROM history WHERE target = ? ORDER BY seq DESC LIMIT 1");
  const std::int64_t from = to_ms(query.from), to = to_ms(query.to);
  auto add = [&](const std::string& target, std::string name) {
    find.reset();
    find.bind(1, target);
    if (!find.executeStep()) return;
    latest.reset();
    latest.bind(1, find.getColumn(0).getInt64());
    if (!latest.executeStep()) return;
    const std::int64_t newest = latest.getColumn(0).getInt64();
    const std::int64_t seq = latest.getColumn(1).getInt64();
    if (newest <= from || newest >= to) return;
    if (name.empty()) name = find.getColumn(1).getString();
    // One name, one entry: an account's conversation and its guest side (same name) are one target.
    for (auto& f : found) {
      if (core::is_private_history_key(target) && core::is_private_history_key(f.target.target) &&
          f.target.name == name) {
        if (std::pair(newest, seq) > std::pair(to_ms(f.target.latest), f.seq)) {
          f.target.latest = from_ms(newest);
          f.seq = seq;
        }
        return;
      }
    }
    found.push_back({{target, std::move(name), from_ms(newest)}, seq});
  };
  for (const auto& room : query.rooms) add(room, {});
  if (!query.account.empty()) {
    SQLite::Statement conversations(db, "SELECT target, other FROM conversations WHERE account = ? AND last_ms > ?");
    conversations.bind(1, core::fold_key(query.account).value_or(query.account));
    conversations.bind(2, to_ms(query.from));
    std::vector<std::pair<std::string, std::string>> listed;
    while (conversations.executeStep())
      listed.emplace_back(conversations.getColumn(0).getString(), conversations.getColumn(1).getString());
    for (auto& [target, other] : listed) add(target, std::move(other));
  }
  // Oldest first, and the limit counts from there (as CHATHISTORY TARGETS wants).
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::pair(a.target.latest, a.seq) < std::pair(b.target.latest, b.seq);
  });
  if (found.size() > query.limit) found.resize(query.limit);
  std::vector<core::HistoryTarget> out;
  out.reserve(found.size());
  for (Found& f : found) out.push_back(std::move(f.target));
  return out;
}

std::size_t index_for_search(SQLite::Database& db, std::size_t limit) {
  const std::int64_t from = db.execAndGet("SELECT indexed_seq FROM search_progress").getInt64();
  const std::int64_t newest = db.execAndGet("SELECT COALESCE(MAX(last_seq), 0) FROM history_targets").getInt64();
  if (newest <= from) return 0;
  // seq numbers lines across targets, so "the next `limit` lines" is a range of
  // them, read target by target (those with lines in it) on their primary key.
  const std::int64_t to = std::min(newest, from + static_cast<std::int64_t>(limit));
  SQLite::Statement targets(db, "SELECT id FROM history_targets WHERE last_seq > ?");
  targets.bind(1, from);
  std::vector<std::int64_t> ids;
  while (targets.executeStep()) ids.push_back(targets.getColumn(0).getInt64());
  SQLite::Statement add(db, "INSERT INTO history_search (rowid, body) SELECT seq, body FROM history "
                            "WHERE target = ? AND seq > ? AND seq <= ? AND kind <= 2");
  SQLite::Statement count(db, "SELECT COUNT(*) FROM history WHERE target = ? AND seq > ? AND seq <= ?");
  std::size_t looked_at = 0;
  for (const std::int64_t id : ids) {
    for (SQLite::Statement* q : {&add, &count}) {
      q->reset();
      q->bind(1, id);
      q->bind(2, from);
      q->bind(3, to);
    }
    add.exec();
    if (count.executeStep()) looked_at += static_cast<std::size_t>(count.getColumn(0).getInt64());
  }
  SQLite::Statement progress(db, "UPDATE search_progress SET indexed_seq = ?");
  progress.bind(1, to);
  progress.exec();
  // Fewer than `limit` (lines deleted in the range, or the last of them): caught up.
  return to < newest ? std::max<std::size_t>(looked_at, limit) : looked_at;
}

std::string fts_query(std::string_view words) {
  std::string out;
  for_each_search_word(words, [&](std::string_view word, bool prefix) {
    if (!out.empty()) out += ' ';
    out += '"';
    for (char c : word) {
      if (c == '"') out += '"';  // FTS5 strings double their quotes
      out += c;
    }
    out += '"';
    if (prefix) out += '*';
  });
  return out;
}

std::vector<HistoryLine> search_history(SQLite::Database& db, const core::SearchQuery& query) {
  std::vector<HistoryLine> lines;
  const std::string match = fts_query(query.words);
  if (match.empty() || query.targets.empty() || query.limit == 0) return lines;
  std::string ids;
  for (const auto& key : query.targets) {
    if (auto id = target_id(db, key)) ids += fmt::format("{}{}", ids.empty() ? "" : ", ", *id);
  }
  if (ids.empty()) return lines;
  // The index's rowid is the line's seq; the line is found by (target, seq),
  // its primary key, for each target asked (a handful).
  SQLite::Statement q(db, fmt::format("SELECT {} FROM history_search CROSS JOIN history h ON h.target IN ({}) AND "
                                      "h.seq = history_search.rowid {} WHERE history_search MATCH ? ORDER BY {} LIMIT ?",
                                      kColumns, ids, kJoins, query.newest_first ? "h.seq DESC" : "history_search.rank"));
  q.bind(1, match);
  q.bind(2, static_cast<std::int64_t>(query.limit));
  while (q.executeStep()) lines.push_back(line_from(q));
  return lines;
}

std::size_t prune_history(SQLite::Database& db, std::optional<core::WallTime> cutoff, std::size_t max_lines_per_room,
                          std::size_t batch) {
  std::size_t deleted = 0;
  std::vector<std::int64_t> targets;
  SQLite::Statement all(db, "SELECT id FROM history_targets ORDER BY id");
  while (all.executeStep()) targets.push_back(all.getColumn(0).getInt64());
  // Each target's oldest lines first, a batch in all: those below `below` (a seq).
  SQLite::Statement older(db, "DELETE FROM history WHERE target = ?1 AND seq IN (SELECT seq FROM history "
                              "WHERE target = ?1 AND seq < ?2 ORDER BY seq LIMIT ?3)");
  auto delete_below = [&](std::int64_t target, std::int64_t below) {
    older.reset();
    older.bind(1, target);
    older.bind(2, below);
    older.bind(3, static_cast<std::int64_t>(batch - deleted));
    deleted += static_cast<std::size_t>(older.exec());
  };
  if (cutoff) {
    TimeSearch lines(db);  // prepared once for every target
    for (const std::int64_t target : targets) {
      if (deleted >= batch) break;
      delete_below(target, lines.first_at_or_after(target, to_ms(*cutoff)).value_or(kNoSeq));
    }
  }
  if (max_lines_per_room > 0) {
    SQLite::Statement newest_kept(db, "SELECT seq FROM history WHERE target = ? ORDER BY seq DESC LIMIT 1 OFFSET ?");
    for (const std::int64_t target : targets) {
      if (deleted >= batch) break;
      newest_kept.reset();
      newest_kept.bind(1, target);
      newest_kept.bind(2, static_cast<std::int64_t>(max_lines_per_room - 1));
      if (!newest_kept.executeStep()) continue;  // not over the limit
      const std::int64_t oldest_kept = newest_kept.getColumn(0).getInt64();
      newest_kept.reset();
      delete_below(target, oldest_kept);
    }
  }
  return deleted;
}

}  // namespace parley::store
