#include "store/history_rows.h"

#include <fmt/format.h>

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/message_id.h"
#include "core/unicode.h"
#include "store/history_plan.h"
#include "store/line_rows.h"
#include "store/packed_lines.h"
#include "store/row_search.h"
#include "store/search_weights.h"
#include "store/share_cpu.h"
#include "store/store_error.h"
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

// Finds a target's lines by time on its rows' key (target, first_seq). Lines
// are numbered as they are decided, so a target's times follow its seq, and
// no index by time is kept: it cost the writer about a third of its time per
// line (docs/performance.md, "History writes"). A binary search over the rows
// by their last line's time finds the row, then the line in it. Where the
// clock stepped back, a time falls at one of the places where the lines'
// times cross it.
class TimeSearch {
 public:
  explicit TimeSearch(SQLite::Database& db)
      : db_(db),
        next_(db, "SELECT first_seq, last_seq, last_ms FROM history_rows WHERE target = ? AND first_seq >= ? "
                  "ORDER BY first_seq LIMIT 1"),
        newest_(db, "SELECT first_seq, last_seq, last_ms FROM history_rows WHERE target = ? "
                    "ORDER BY first_seq DESC LIMIT 1"),
        lines_(db) {}

  // The target's first line at `ms` or later; a binary search over its rows,
  // one primary key descent a step (about 13 for a million lines), then the
  // lines of one row.
  std::optional<std::int64_t> first_at_or_after(std::int64_t target, std::int64_t ms) {
    const std::optional<Row> oldest = next(target, std::numeric_limits<std::int64_t>::min());
    if (!oldest) return std::nullopt;
    if (oldest->last_ms >= ms) return first_in_row(target, oldest->first_seq, ms);
    const std::optional<Row> newest = last(target);
    if (!newest || newest->last_ms < ms) return std::nullopt;
    // The row first at or after `high` ends at `ms` or later; those before `low` end earlier.
    std::int64_t low = oldest->first_seq + 1, high = newest->first_seq;
    while (low < high) {
      const std::int64_t mid = low + (high - low) / 2;
      const Row probe = *next(target, mid);  // there is one: the row at `high` or after
      if (probe.last_ms >= ms)
        high = mid;
      else
        low = probe.first_seq + 1;  // at most `high`: the row at `high` or after is a later one
    }
    return first_in_row(target, next(target, high)->first_seq, ms);
  }

  // The target's last line at `ms` or earlier: the one before the first later line.
  std::optional<std::int64_t> last_at_or_before(std::int64_t target, std::int64_t ms) {
    const std::optional<std::int64_t> later =
        ms == std::numeric_limits<std::int64_t>::max() ? std::nullopt : first_at_or_after(target, ms + 1);
    if (!later) {
      const std::optional<Row> newest = last(target);
      return newest ? std::optional(newest->last_seq) : std::nullopt;
    }
    return line_before(db_, target, *later);
  }

 private:
  struct Row {
    std::int64_t first_seq = 0;
    std::int64_t last_seq = 0;
    std::int64_t last_ms = 0;
  };
  std::optional<Row> step(SQLite::Statement& q) {
    if (!q.executeStep()) return std::nullopt;
    const Row row{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()};
    q.reset();
    return row;
  }
  std::optional<Row> next(std::int64_t target, std::int64_t from) {
    next_.reset();
    next_.bind(1, target);
    next_.bind(2, from);
    return step(next_);
  }
  std::optional<Row> last(std::int64_t target) {
    newest_.reset();
    newest_.bind(1, target);
    return step(newest_);
  }
  // The first line at `ms` or later of the row starting at `first_seq`, whose last line is one.
  std::optional<std::int64_t> first_in_row(std::int64_t target, std::int64_t first_seq, std::int64_t ms) {
    if (!lines_.find(target, first_seq)) return std::nullopt;
    for (const PackedLine& line : lines_.row().lines()) {
      if (line.ms >= ms) return line.seq;
    }
    return std::nullopt;
  }

  SQLite::Database& db_;
  SQLite::Statement next_, newest_;
  LineFinder lines_;
};

// The lines of a target from the first at `first_ms` (TimeSearch) on, by seq,
// up to the first later than `last_ms`: the seq of the one with message id `id`.
std::optional<std::int64_t> scan_for_id(SQLite::Database& db, TimeSearch& times, std::int64_t target,
                                        std::string_view id, std::int64_t first_ms, std::int64_t last_ms) {
  const std::optional<std::int64_t> first = times.first_at_or_after(target, first_ms);
  if (!first) return std::nullopt;
  RowCursor rows(db, /*ascending=*/true);
  rows.start(target, *first);
  while (LineRow* row = rows.next()) {
    for (const PackedLine& line : row->lines()) {
      if (line.seq < *first) continue;
      if (line.ms > last_ms) return std::nullopt;
      if (line.msgid == id) return line.seq;
    }
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

// Makes whole lines of packed ones: their targets' and senders' rows, read
// once per query.
class LineMaker {
 public:
  explicit LineMaker(SQLite::Database& db)
      : target_(db, "SELECT key, room FROM history_targets WHERE id = ?"),
        sender_(db, "SELECT display, nick, username, host, account, bot FROM history_senders WHERE id = ?") {}

  HistoryLine make(std::int64_t target, const PackedLine& packed) {
    const Target& t = target_named(target);
    const Sender& s = sender_named(packed.sender);
    HistoryLine line;
    line.target = t.key;
    line.room = t.room;
    line.id = std::string(packed.msgid);
    line.time = from_ms(packed.ms);
    line.kind = static_cast<HistoryLine::Kind>(packed.kind);
    line.sender.display = s.display;
    line.sender.nick = s.nick;
    line.sender.user = s.user;
    line.sender.host = s.host;
    line.account = s.account;
    line.text = std::string(packed.body);
    line.object_name = std::string(packed.object_name);
    line.client_tags = std::string(packed.client_tags);
    line.sender.presence.bot = s.bot;
    return line;
  }

 private:
  struct Target {
    std::string key, room;
  };
  struct Sender {
    std::string display, nick, user, host, account;
    bool bot = false;
  };
  const Target& target_named(std::int64_t id) {
    auto it = targets_.find(id);
    if (it != targets_.end()) return it->second;
    target_.reset();
    target_.bind(1, id);
    if (!target_.executeStep()) throw StoreError(fmt::format("history target {} is missing", id));
    Target t{target_.getColumn(0).getString(), target_.getColumn(1).getString()};
    target_.reset();
    return targets_.emplace(id, std::move(t)).first->second;
  }
  const Sender& sender_named(std::int64_t id) {
    auto it = senders_.find(id);
    if (it != senders_.end()) return it->second;
    sender_.reset();
    sender_.bind(1, id);
    if (!sender_.executeStep()) throw StoreError(fmt::format("history sender {} is missing", id));
    Sender s{sender_.getColumn(0).getString(), sender_.getColumn(1).getString(), sender_.getColumn(2).getString(),
             sender_.getColumn(3).getString(), sender_.getColumn(4).getString(), sender_.getColumn(5).getInt() != 0};
    sender_.reset();
    return senders_.emplace(id, std::move(s)).first->second;
  }

  SQLite::Statement target_, sender_;
  std::unordered_map<std::int64_t, Target> targets_;
  std::unordered_map<std::int64_t, Sender> senders_;
};

// Lines of the targets with low < seq < high, the `limit` nearest `low`
// (ascending) or nearest `high` (descending); returned oldest first. Each
// target's rows are read on their own (a range of their key) and the lines
// merged.
std::vector<HistoryLine> range(SQLite::Database& db, const HistoryQuery& query, const std::vector<std::int64_t>& targets,
                               std::int64_t low, std::int64_t high, bool newest, std::size_t limit) {
  std::vector<std::pair<std::int64_t, HistoryLine>> found;
  if (limit == 0 || low >= high) return {};
  static_assert(static_cast<int>(HistoryLine::Kind::notice) == 2, "speech kinds come first");
  LineMaker make(db);
  RowCursor rows(db, /*ascending=*/!newest);
  for (const std::int64_t target : targets) {
    std::size_t taken = 0;
    auto take = [&](const PackedLine& line) {
      if (line.seq <= low || line.seq >= high) return;
      if (query.speech_only && line.kind > 2) return;
      found.emplace_back(line.seq, make.make(target, line));
      ++taken;
    };
    rows.start(target, newest ? high - 1 : low + 1);
    while (taken < limit) {
      LineRow* row = rows.next();
      if (!row || (newest ? row->last_seq <= low : row->first_seq >= high)) break;
      const std::vector<PackedLine>& lines = row->lines();
      if (newest) {
        for (auto it = lines.rbegin(); it != lines.rend() && taken < limit; ++it) take(*it);
      } else {
        for (auto it = lines.begin(); it != lines.end() && taken < limit; ++it) take(*it);
      }
    }
    rows.stop();
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
    // Made before ids carried their time: listed with their seq by the
    // migrations (history_old_ids), and looked for where that seq was kept
    // (redaction and retention leave the list alone).
    SQLite::Statement q(db, "SELECT seq FROM history_old_ids WHERE msgid = ? AND target = ?");
    q.bind(1, id);
    q.bind(2, target);
    LineFinder lines(db);
    while (q.executeStep()) {
      const std::int64_t seq = q.getColumn(0).getInt64();
      if (lines.find(target, seq)) return seq;
    }
    return std::nullopt;
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

HistoryInserter::HistoryInserter(SQLite::Database& db)
    : db_(db),
      insert_row_(db, kInsertRowSql),
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
  open_rows_.clear();
  targets_.clear();
  senders_.clear();
  touched_.clear();
  // Past every line kept, and every line the search index has seen.
  next_seq_ = 1 + db_.execAndGet("SELECT MAX((SELECT COALESCE(MAX(last_seq), 0) FROM history_targets), "
                                 "(SELECT indexed_seq FROM search_progress))")
                      .getInt64();
}

const HistoryInserter::Target& HistoryInserter::target(const core::HistoryLineRef& line) {
  Target* found = targets_.find(line.target);
  if (found == nullptr) {
    add_target_.reset();
    add_target_.bind(1, std::string(line.target));
    add_target_.bind(2, std::string(line.room));
    add_target_.exec();
    find_target_.reset();
    find_target_.bind(1, std::string(line.target));
    if (!find_target_.executeStep()) throw SQLite::Exception("history_targets: a target just added is missing");
    Target t{find_target_.getColumn(0).getInt64(), find_target_.getColumn(1).getString()};
    // Reset now: a stepped statement keeps its read snapshot open after the
    // commit, and the next write on this connection would then fail
    // (SQLITE_BUSY) for good once another connection (accounts) has written.
    find_target_.reset();
    found = &targets_.add(line.target, std::move(t));
  }
  // A room shown under another name now (lines show the latest).
  if (!line.room.empty() && found->room != line.room) {
    rename_target_.reset();
    rename_target_.bind(1, std::string(line.room));
    rename_target_.bind(2, found->id);
    rename_target_.exec();
    found->room = std::string(line.room);
  }
  return *found;
}

std::int64_t HistoryInserter::sender(const core::HistoryLineRef& line) {
  sender_key_.clear();
  for (std::string_view part : {line.display, line.nick, line.user, line.host, line.account})
    sender_key_.append(part).push_back('\x1f');  // never inside a name
  sender_key_.push_back(line.bot ? 'b' : '-');
  if (const std::int64_t* id = senders_.find(sender_key_)) return *id;
  add_sender_.reset();
  find_sender_.reset();
  int n = 1;
  for (std::string_view part : {line.display, line.nick, line.user, line.host, line.account}) {
    add_sender_.bind(n, std::string(part));  // as text (SQLiteCpp binds a sized pointer as a blob)
    find_sender_.bind(n++, std::string(part));
  }
  add_sender_.bind(n, line.bot ? 1 : 0);
  find_sender_.bind(n, line.bot ? 1 : 0);
  add_sender_.exec();
  if (!find_sender_.executeStep()) throw SQLite::Exception("history_senders: a sender just added is missing");
  const std::int64_t id = find_sender_.getColumn(0).getInt64();
  find_sender_.reset();  // as find_target_
  add_sender_.reset();
  senders_.add(sender_key_, id);
  return id;
}

void HistoryInserter::close_row(std::int64_t target, LinePacker& row) {
  insert_row(insert_row_, target, row);
  row.clear();
}

void HistoryInserter::add(const core::HistoryLineRef& line) {
  const std::int64_t target_id = target(line).id;
  const std::int64_t seq = next_seq_++;
  const std::int64_t ms = to_ms(line.time);
  PackedLine packed;
  packed.seq = seq;
  packed.ms = ms;
  packed.kind = static_cast<std::uint8_t>(line.kind);
  packed.sender = sender(line);
  packed.msgid = line.id;
  packed.body = line.text;
  packed.object_name = line.object_name;
  packed.client_tags = line.client_tags;
  LinePacker& row = open_rows_[target_id];
  if (!row_has_room(row, packed)) close_row(target_id, row);
  row.add(packed);  // copies the line's bytes
  Touched& touched = touched_[target_id];
  if (touched.key.empty()) touched.key = std::string(line.target);
  touched.last_seq = seq;
  touched.last_ms = std::max(touched.last_ms, ms);
}

void HistoryInserter::finish() {
  for (auto& [target_id, row] : open_rows_) {
    if (row.lines() > 0) close_row(target_id, row);
  }
  // The packers keep their buffers for the next batch, unless many targets had lines.
  if (open_rows_.size() > 1000) open_rows_.clear();
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
                           "SELECT last_ms, last_seq FROM history_rows WHERE target = ? ORDER BY first_seq DESC LIMIT 1");
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
  const std::int64_t from = indexed_seq(db);
  const std::int64_t newest = db.execAndGet("SELECT COALESCE(MAX(last_seq), 0) FROM history_targets").getInt64();
  if (newest <= from) return 0;
  // seq numbers lines across targets, so "the rows of the next `limit`
  // lines" are those starting in a range of them, read target by target
  // (those with lines in it). A row is indexed whole, its later lines too.
  const std::int64_t to = std::min(newest, from + static_cast<std::int64_t>(limit));
  SQLite::Statement targets(db, "SELECT id FROM history_targets WHERE last_seq > ?");
  targets.bind(1, from);
  std::vector<std::int64_t> ids;
  while (targets.executeStep()) ids.push_back(targets.getColumn(0).getInt64());
  SearchIndexWriter index(db);
  RowCursor rows(db, /*ascending=*/true);
  std::size_t looked_at = 0;
  for (const std::int64_t id : ids) {
    rows.start(id, from + 1);
    while (LineRow* row = rows.next()) {
      if (row->first_seq > to) break;
      if (row->first_seq <= from) continue;  // indexed before, or the row before the range
      looked_at += row->count;
      index.add(row->first_seq, row->lines());
      let_waiting_work_run();  // a row is about 0.1 ms of FTS5's work (share_cpu.h)
    }
    rows.stop();
  }
  SQLite::Statement progress(db, "UPDATE search_progress SET indexed_seq = ?");
  progress.bind(1, to);
  progress.exec();
  // Fewer than `limit` (lines deleted in the range, or the last of them): caught up.
  return to < newest ? std::max<std::size_t>(looked_at, limit) : looked_at;
}

namespace {

// A line a search found, with what orders it. The line itself is made once
// into `FoundLines::lines` and never moved by the sort: by relevance up to
// 10,000 are found for a handful returned, and moving a HistoryLine (a dozen
// strings) on every swap cost more than the search.
struct FoundLine {
  std::int64_t seq = 0;
  std::size_t line = 0;  // its index in FoundLines::lines
  std::vector<std::uint32_t> word_counts;  // by relevance only
  std::size_t tokens = 0;
  double relevance = 0;
};

struct FoundLines {
  std::vector<FoundLine> found;
  std::vector<HistoryLine> lines;
  std::size_t size() const { return found.size(); }
};

// Finds the lines of index matches (rows) that hold every word.
class RowMatcher {
 public:
  RowMatcher(SQLite::Database& db, std::string_view words, bool rank)
      : tokenizer_(db), matcher_(tokenizer_, words), make_(db), rank_(rank) {}
  bool empty() const { return matcher_.empty(); }
  const LineMatcher& matcher() const { return matcher_; }
  // Adds the row's lines that hold the words to `found`.
  void take(std::int64_t target, LineRow& row, FoundLines& out) {
    for (const PackedLine& line : row.lines()) {
      if (line.kind > 2) continue;  // speech only
      const bool matched = matcher_.matches(line.body);
      ++looked_at_;
      tokens_ += matcher_.tokens();
      if (!matched) continue;
      FoundLine& f = out.found.emplace_back();
      f.seq = line.seq;
      f.line = out.lines.size();
      out.lines.push_back(make_.make(target, line));
      if (rank_) {
        f.word_counts = matcher_.word_counts();
        f.tokens = matcher_.tokens();
      }
    }
  }
  // Speech lines looked at so far, and their average length in tokens.
  std::size_t looked_at() const { return looked_at_; }
  double average_tokens() const {
    return looked_at_ ? static_cast<double>(tokens_) / static_cast<double>(looked_at_) : 0;
  }

 private:
  SearchTokenizer tokenizer_;
  LineMatcher matcher_;
  LineMaker make_;
  bool rank_;
  std::size_t looked_at_ = 0, tokens_ = 0;
};

}  // namespace

std::vector<HistoryLine> search_history(SQLite::Database& db, const core::SearchQuery& query) {
  std::vector<HistoryLine> lines;
  if (query.targets.empty() || query.limit == 0) return lines;
  std::vector<std::int64_t> ids;
  for (const auto& key : query.targets) {
    if (auto id = target_id(db, key)) ids.push_back(*id);
  }
  if (ids.empty()) return lines;
  const bool rank = !query.newest_first;
  RowMatcher rows(db, query.words, rank);
  if (rows.empty()) return lines;  // no word with letters or digits
  const std::string match = rows.matcher().fts_query();
  // The index's rowid is a row's first_seq (unique across targets), newest
  // rows first: a match is looked for among the rows of each target asked (a
  // handful); other targets' matches are passed over.
  SQLite::Statement q(db, "SELECT rowid FROM history_search WHERE history_search MATCH ? ORDER BY rowid DESC");
  q.bind(1, match);
  LineFinder finder(db);
  RowCursor before(db, /*ascending=*/false);
  FoundLines found;
  // Newest first: until the limit. By relevance: every match of the newest
  // rows, until kRankedLinesLookedAt lines of them have been looked at.
  auto more = [&] { return rank ? rows.looked_at() < kRankedLinesLookedAt : found.size() < query.limit; };
  while (more() && q.executeStep()) {
    const std::int64_t first_seq = q.getColumn(0).getInt64();
    for (const std::int64_t id : ids) {
      if (!finder.find(id, first_seq)) continue;
      rows.take(id, finder.row(), found);
      if (!rank && found.size() >= query.limit) {
        // Rows still to come start before this one, and a row of another
        // target asked may hold lines after this row's first (both written
        // in one batch): each target's row that straddles it is read too.
        for (const std::int64_t other : ids) {
          before.start(other, first_seq - 1);
          LineRow* row = before.next();
          if (row && row->last_seq >= first_seq) rows.take(other, *row, found);
          before.stop();
        }
      }
      break;
    }
  }
  std::vector<FoundLine>& order = found.found;
  const std::size_t kept = std::min(order.size(), query.limit);
  if (rank) {
    const std::vector<double> weights = rows.matcher().word_weights(token_weights(db, match));
    for (FoundLine& f : order) f.relevance = bm25(f.word_counts, f.tokens, rows.average_tokens(), weights);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(kept), order.end(),
                      [](const FoundLine& a, const FoundLine& b) {
                        return std::pair(a.relevance, a.seq) > std::pair(b.relevance, b.seq);
                      });
  } else {
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(kept), order.end(),
                      [](const FoundLine& a, const FoundLine& b) { return a.seq > b.seq; });
  }
  lines.reserve(kept);
  for (std::size_t i = 0; i < kept; ++i) lines.push_back(std::move(found.lines[order[i].line]));
  return lines;
}

std::size_t prune_history(SQLite::Database& db, std::optional<core::WallTime> cutoff, std::size_t max_lines_per_room,
                          std::size_t batch) {
  std::size_t deleted = 0;
  std::vector<std::int64_t> targets;
  SQLite::Statement all(db, "SELECT id FROM history_targets ORDER BY id");
  while (all.executeStep()) targets.push_back(all.getColumn(0).getInt64());
  const std::int64_t indexed = indexed_seq(db);
  SearchIndexWriter index(db);
  SQLite::Statement delete_row(db, "DELETE FROM history_rows WHERE target = ? AND first_seq = ?");
  RowCursor oldest(db, /*ascending=*/true);
  // Each target's oldest lines first, a batch in all: those below `below` (a
  // seq). Rows wholly below go; a row that straddles `below` (or holds more
  // than the batch has room for) is rewritten with the lines it keeps, so
  // that readers never meet a line past the limits.
  auto delete_below = [&](std::int64_t target, std::int64_t below) {
    while (deleted < batch) {
      oldest.start(target, std::numeric_limits<std::int64_t>::min());
      LineRow* row = oldest.next();
      oldest.stop();  // the row is read: the table may change
      if (!row || row->first_seq >= below) return;
      const std::size_t room = batch - deleted;
      if (row->last_seq < below && row->count <= room) {
        if (row->first_seq <= indexed) index.remove(row->first_seq, row->lines());
        delete_row.reset();
        delete_row.bind(1, target);
        delete_row.bind(2, row->first_seq);
        delete_row.exec();
        deleted += row->count;
        continue;
      }
      std::size_t taken = 0;
      deleted += keep_lines(db, *row, [&](const PackedLine& line) {
        if (line.seq >= below || taken == room) return true;
        ++taken;
        return false;
      });
      return;  // the cut, or the batch, is reached
    }
  };
  if (cutoff) {
    TimeSearch lines(db);  // prepared once for every target
    for (const std::int64_t target : targets) {
      if (deleted >= batch) break;
      delete_below(target, lines.first_at_or_after(target, to_ms(*cutoff)).value_or(kNoSeq));
    }
  }
  if (max_lines_per_room > 0) {
    // Rows newest first, counting lines, to the row that holds the oldest line kept.
    SQLite::Statement newest_rows(db, "SELECT first_seq, lines FROM history_rows WHERE target = ? ORDER BY first_seq DESC");
    LineFinder finder(db);
    for (const std::int64_t target : targets) {
      if (deleted >= batch) break;
      newest_rows.reset();
      newest_rows.bind(1, target);
      std::size_t newer = 0;  // lines in the rows after this one
      std::optional<std::int64_t> cut_row;
      while (newest_rows.executeStep()) {
        const auto count = static_cast<std::size_t>(newest_rows.getColumn(1).getInt64());
        if (newer + count >= max_lines_per_room) {
          cut_row = newest_rows.getColumn(0).getInt64();
          break;
        }
        newer += count;
      }
      newest_rows.reset();
      if (!cut_row || !finder.find(target, *cut_row)) continue;  // not over the limit
      const std::vector<PackedLine>& lines = finder.row().lines();
      const std::size_t kept_here = std::min(max_lines_per_room - newer, lines.size());
      delete_below(target, lines[lines.size() - kept_here].seq);
    }
  }
  return deleted;
}

}  // namespace parley::store
