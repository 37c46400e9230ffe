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

#include "core/unicode.h"

namespace parley::store {
namespace {

using core::HistoryLine;
using core::HistoryPoint;
using core::HistoryQuery;

std::int64_t to_ms(core::WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
core::WallTime from_ms(std::int64_t ms) { return core::WallTime(std::chrono::milliseconds(ms)); }

constexpr std::int64_t kNoSeq = std::numeric_limits<std::int64_t>::max();

// Where a point falls in a target's order of lines (`seq`): lines before it
// have seq < first_at_or_after; lines after it have seq > last_at_or_before.
// A message id is one line (both bounds are its seq); a time falls between lines.
struct Bounds {
  std::int64_t first_at_or_after = kNoSeq;
  std::int64_t last_at_or_before = 0;
};

std::optional<Bounds> locate(SQLite::Database& db, const std::string& target, const HistoryPoint& point) {
  if (!point.id.empty()) {
    SQLite::Statement q(db, "SELECT seq FROM history WHERE target = ? AND msgid = ? LIMIT 1");
    q.bind(1, target);
    q.bind(2, point.id);
    if (!q.executeStep()) return std::nullopt;
    const std::int64_t seq = q.getColumn(0).getInt64();
    return Bounds{seq, seq};
  }
  const std::int64_t t = point.time ? to_ms(*point.time) : 0;
  Bounds b;
  SQLite::Statement first(db,
                          "SELECT seq FROM history WHERE target = ? AND time_ms >= ? ORDER BY time_ms, seq LIMIT 1");
  first.bind(1, target);
  first.bind(2, t);
  if (first.executeStep()) b.first_at_or_after = first.getColumn(0).getInt64();
  SQLite::Statement last(
      db, "SELECT seq FROM history WHERE target = ? AND time_ms <= ? ORDER BY time_ms DESC, seq DESC LIMIT 1");
  last.bind(1, target);
  last.bind(2, t);
  if (last.executeStep()) b.last_at_or_before = last.getColumn(0).getInt64();
  return b;
}

constexpr const char* kColumns =
    "seq, target, room, msgid, time_ms, kind, sender, nick, username, host, account, body, object_name, client_tags";

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
  return line;
}

// Lines of the target with low < seq < high, the `limit` nearest `low`
// (ascending) or nearest `high` (descending); returned oldest first.
std::vector<HistoryLine> range(SQLite::Database& db, const HistoryQuery& query, std::int64_t low, std::int64_t high,
                               bool newest, std::size_t limit) {
  std::vector<HistoryLine> lines;
  if (limit == 0 || low >= high) return lines;
  const std::string sql = fmt::format(
      "SELECT {} FROM history WHERE target = ? AND seq > ? AND seq < ?{} ORDER BY seq {} LIMIT ?", kColumns,
      query.speech_only ? " AND kind <= 2" : "", newest ? "DESC" : "ASC");
  static_assert(static_cast<int>(HistoryLine::Kind::notice) == 2, "speech kinds come first");
  SQLite::Statement q(db, sql);
  q.bind(1, query.target);
  q.bind(2, low);
  q.bind(3, high);
  q.bind(4, static_cast<std::int64_t>(limit));
  while (q.executeStep()) lines.push_back(line_from(q));
  if (newest) std::reverse(lines.begin(), lines.end());
  return lines;
}

}  // namespace

HistoryInserter::HistoryInserter(SQLite::Database& db)
    : insert_(db,
              "INSERT INTO history (target, room, msgid, time_ms, kind, sender, nick, username, host, account, "
              "body, object_name, client_tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      conversation_(db,
                    "INSERT INTO conversations (account, target, other, last_ms) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (account, target) DO UPDATE SET last_ms = excluded.last_ms") {}

void HistoryInserter::insert(const HistoryLine& line) {
  // The line outlives exec(): SQLite reads the strings in place rather than
  // copying each one.
  insert_.reset();
  insert_.bindNoCopy(1, line.target);
  insert_.bindNoCopy(2, line.room);
  insert_.bindNoCopy(3, line.id);
  insert_.bind(4, to_ms(line.time));
  insert_.bind(5, static_cast<int>(line.kind));
  insert_.bindNoCopy(6, line.sender.display);
  insert_.bindNoCopy(7, line.sender.nick);
  insert_.bindNoCopy(8, line.sender.user);
  insert_.bindNoCopy(9, line.sender.host);
  insert_.bindNoCopy(10, line.account);
  insert_.bindNoCopy(11, line.text);
  insert_.bindNoCopy(12, line.object_name);
  insert_.bindNoCopy(13, line.client_tags);
  insert_.exec();
  if (!core::is_private_history_key(line.target)) return;
  const auto cut = line.target.find('\x1f');
  if (cut == std::string::npos) return;
  const std::string first = line.target.substr(1, cut - 1), second = line.target.substr(cut + 1);
  for (const auto& [account, other] : {std::pair{first, second}, std::pair{second, first}}) {
    conversation_.reset();
    conversation_.bind(1, account);
    conversation_.bind(2, line.target);
    conversation_.bind(3, other);
    conversation_.bind(4, to_ms(line.time));
    conversation_.exec();
  }
}

std::vector<HistoryLine> read_history(SQLite::Database& db, const HistoryQuery& query) {
  using Direction = HistoryQuery::Direction;
  std::optional<Bounds> from, to;
  if (query.from && !(from = locate(db, query.target, *query.from))) return {};
  if (query.to && !(to = locate(db, query.target, *query.to))) return {};
  switch (query.direction) {
    case Direction::latest:
      return range(db, query, from ? from->last_at_or_before : 0, kNoSeq, true, query.limit);
    case Direction::before:
      return range(db, query, 0, from ? from->first_at_or_after : kNoSeq, true, query.limit);
    case Direction::after:
      return range(db, query, from ? from->last_at_or_before : 0, kNoSeq, false, query.limit);
    case Direction::around: {
      if (!from) return {};
      const std::size_t before_count = query.limit / 2;
      auto lines = range(db, query, 0, from->first_at_or_after, true, before_count);
      // The rest from the point on: a line named by id is included.
      auto later = range(db, query, from->first_at_or_after - 1, kNoSeq, false, query.limit - before_count);
      lines.insert(lines.end(), std::make_move_iterator(later.begin()), std::make_move_iterator(later.end()));
      return lines;
    }
    case Direction::between: {
      if (!from || !to) return {};
      // From `from`'s side: ascending when it is the earlier point.
      if (from->first_at_or_after <= to->first_at_or_after)
        return range(db, query, from->last_at_or_before, to->first_at_or_after, false, query.limit);
      return range(db, query, to->last_at_or_before, from->first_at_or_after, true, query.limit);
    }
  }
  return {};
}

std::vector<core::HistoryTarget> read_targets(SQLite::Database& db, const core::TargetsQuery& query) {
  std::vector<core::HistoryTarget> found;
  // A target is in the span when its newest line is (one with older lines in
  // the span but newer ones after it is not): MAX on the index on target, time.
  SQLite::Statement latest(db, "SELECT room, MAX(time_ms) FROM history WHERE target = ?");
  const std::int64_t from = to_ms(query.from), to = to_ms(query.to);
  auto add = [&](const std::string& target, std::string name) {
    latest.reset();
    latest.bind(1, target);
    if (!latest.executeStep() || latest.getColumn(1).isNull()) return;
    const std::int64_t newest = latest.getColumn(1).getInt64();
    if (newest <= from || newest >= to) return;
    if (name.empty()) name = latest.getColumn(0).getString();
    found.push_back({target, std::move(name), from_ms(newest)});
  };
  for (const auto& room : query.rooms) add(room, {});
  if (!query.account.empty()) {
    SQLite::Statement conversations(db, "SELECT target, other FROM conversations WHERE account = ? AND last_ms > ?");
    conversations.bind(1, core::fold_key(query.account).value_or(query.account));
    conversations.bind(2, to_ms(query.from));
    while (conversations.executeStep()) add(conversations.getColumn(0).getString(), conversations.getColumn(1).getString());
  }
  // Oldest first, and the limit counts from there (as CHATHISTORY TARGETS wants).
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.latest < b.latest; });
  if (found.size() > query.limit) found.resize(query.limit);
  return found;
}

std::size_t index_for_search(SQLite::Database& db, std::size_t limit) {
  const std::int64_t from = db.execAndGet("SELECT indexed_seq FROM search_progress").getInt64();
  SQLite::Statement last(db, "SELECT MAX(seq), COUNT(*) FROM (SELECT seq FROM history WHERE seq > ? ORDER BY seq LIMIT ?)");
  last.bind(1, from);
  last.bind(2, static_cast<std::int64_t>(limit));
  if (!last.executeStep() || last.getColumn(0).isNull()) return 0;
  const std::int64_t to = last.getColumn(0).getInt64();
  const auto looked_at = static_cast<std::size_t>(last.getColumn(1).getInt64());
  SQLite::Statement add(db, "INSERT INTO history_search (rowid, body) SELECT seq, body FROM history "
                            "WHERE seq > ? AND seq <= ? AND kind <= 2");
  add.bind(1, from);
  add.bind(2, to);
  add.exec();
  SQLite::Statement progress(db, "UPDATE search_progress SET indexed_seq = ?");
  progress.bind(1, to);
  progress.exec();
  return looked_at;
}

std::string fts_query(std::string_view words) {
  std::string out;
  std::size_t i = 0;
  while (i < words.size()) {
    while (i < words.size() && (words[i] == ' ' || words[i] == '\t')) ++i;
    std::size_t end = i;
    while (end < words.size() && words[end] != ' ' && words[end] != '\t') ++end;
    std::string_view word = words.substr(i, end - i);
    i = end;
    const bool prefix = word.size() > 1 && word.back() == '*';
    if (prefix) word.remove_suffix(1);
    if (word.empty() || word == "*") continue;
    if (!out.empty()) out += ' ';
    out += '"';
    for (char c : word) {
      if (c == '"') out += '"';  // FTS5 strings double their quotes
      out += c;
    }
    out += '"';
    if (prefix) out += '*';
  }
  return out;
}

std::vector<HistoryLine> search_history(SQLite::Database& db, const core::SearchQuery& query) {
  std::vector<HistoryLine> lines;
  const std::string match = fts_query(query.words);
  if (match.empty() || query.targets.empty() || query.limit == 0) return lines;
  std::string columns;
  for (std::string_view rest = kColumns; !rest.empty();) {
    const auto comma = rest.find(", ");
    columns += (columns.empty() ? "history." : ", history.") + std::string(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  std::string places;
  for (std::size_t i = 0; i < query.targets.size(); ++i) places += i ? ", ?" : "?";
  SQLite::Statement q(db, fmt::format("SELECT {} FROM history_search JOIN history ON history.seq = history_search.rowid "
                                      "WHERE history_search MATCH ? AND history.target IN ({}) ORDER BY {} LIMIT ?",
                                      columns, places, query.newest_first ? "history.seq DESC" : "rank"));
  int n = 1;
  q.bind(n++, match);
  for (const auto& t : query.targets) q.bind(n++, t);
  q.bind(n, static_cast<std::int64_t>(query.limit));
  while (q.executeStep()) lines.push_back(line_from(q));
  return lines;
}

std::size_t prune_history(SQLite::Database& db, std::optional<core::WallTime> cutoff, std::size_t max_lines_per_room,
                          std::size_t batch) {
  std::size_t deleted = 0;
  if (cutoff) {
    // Lines are in time order by seq (near enough), so the scan in seq order
    // finds the old ones first and stops after a batch.
    SQLite::Statement old(
        db, "DELETE FROM history WHERE seq IN (SELECT seq FROM history WHERE time_ms < ? ORDER BY seq LIMIT ?)");
    old.bind(1, to_ms(*cutoff));
    old.bind(2, static_cast<std::int64_t>(batch));
    deleted += static_cast<std::size_t>(old.exec());
  }
  if (max_lines_per_room > 0) {
    std::vector<std::string> targets;
    SQLite::Statement rooms(db, "SELECT DISTINCT target FROM history");
    while (rooms.executeStep()) targets.push_back(rooms.getColumn(0).getString());
    SQLite::Statement newest_kept(db, "SELECT seq FROM history WHERE target = ? ORDER BY seq DESC LIMIT 1 OFFSET ?");
    SQLite::Statement excess(db, "DELETE FROM history WHERE seq IN (SELECT seq FROM history WHERE target = ? AND seq < ? "
                                 "ORDER BY seq LIMIT ?)");
    for (const auto& target : targets) {
      newest_kept.reset();
      newest_kept.bind(1, target);
      newest_kept.bind(2, static_cast<std::int64_t>(max_lines_per_room - 1));
      if (!newest_kept.executeStep()) continue;  // not over the limit
      const std::int64_t oldest_kept = newest_kept.getColumn(0).getInt64();
      excess.reset();
      excess.bind(1, target);
      excess.bind(2, oldest_kept);
      excess.bind(3, static_cast<std::int64_t>(batch));
      deleted += static_cast<std::size_t>(excess.exec());
    }
  }
  return deleted;
}

}  // namespace parley::store
