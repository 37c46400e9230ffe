#include "store/pg_history_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include "core/unicode.h"
#include "store/history_plan.h"
#include "store/time_ms.h"

namespace parley::store {
namespace {

using core::HistoryLine;
using core::HistoryPoint;
using core::HistoryQuery;

constexpr std::size_t kColumnsPerLine = 13;
// PostgreSQL takes at most 65,535 parameters per statement.
constexpr std::size_t kLinesPerInsert = 500;
// Any number, the same on every node, unlike the schema's (pg_schema.cpp).
constexpr std::int64_t kHistoryWriteLock = 0x7061726c6568;

// A line's columns, as line_from reads them; `h` is history, `t` history_targets.
constexpr const char* kColumns =
    "h.seq, h.target, COALESCE(t.room, ''), h.msgid, h.time_ms, h.kind, h.display, h.nick, h.username, h.host, "
    "h.account, h.body, h.object_name, h.client_tags, h.bot";
constexpr const char* kJoin = "LEFT JOIN history_targets t ON t.key = h.target";

HistoryLine line_from(const PgResult& r, int row) {
  HistoryLine line;
  line.target = r.text(row, 1);
  line.room = r.text(row, 2);
  line.id = r.text(row, 3);
  line.time = from_ms(r.integer(row, 4));
  line.kind = static_cast<HistoryLine::Kind>(r.integer(row, 5));
  line.sender.display = r.text(row, 6);
  line.sender.nick = r.text(row, 7);
  line.sender.user = r.text(row, 8);
  line.sender.host = r.text(row, 9);
  line.account = r.text(row, 10);
  line.text = r.text(row, 11);
  line.object_name = r.text(row, 12);
  line.client_tags = r.text(row, 13);
  line.sender.presence.bot = r.boolean(row, 14);
  return line;
}

// The targets a query reads: one, or a private conversation and its guest side.
std::vector<std::string> targets_of(const HistoryQuery& query) {
  std::vector<std::string> targets;
  for (const std::string* key : {&query.target, &query.also_target}) {
    if (!key->empty()) targets.push_back(*key);
  }
  return targets;
}

// Where `point` falls among the targets' lines (history_plan.h, SeqBounds);
// nothing for a message id none of them holds.
std::optional<SeqBounds> locate(PgConnection& db, const std::vector<std::string>& targets, const HistoryPoint& point) {
  if (!point.id.empty()) {
    for (const std::string& target : targets) {
      PgResult q = db.exec("SELECT seq FROM history WHERE target = $1 AND msgid = $2", {target, point.id});
      if (q.rows() == 0) continue;
      const std::int64_t seq = q.integer(0, 0);
      return SeqBounds{seq, seq};
    }
    return std::nullopt;
  }
  const std::int64_t t = point.time ? to_ms(*point.time) : 0;
  SeqBounds b;
  for (const std::string& target : targets) {
    PgResult first = db.exec(
        "SELECT seq FROM history WHERE target = $1 AND time_ms >= $2 ORDER BY time_ms, seq LIMIT 1", {target, t});
    if (first.rows() > 0) b.first_at_or_after = std::min(b.first_at_or_after, first.integer(0, 0));
    PgResult last = db.exec(
        "SELECT seq FROM history WHERE target = $1 AND time_ms <= $2 ORDER BY time_ms DESC, seq DESC LIMIT 1",
        {target, t});
    if (last.rows() > 0) b.last_at_or_before = std::max(b.last_at_or_before, last.integer(0, 0));
  }
  return b;
}

// Lines of the targets with low < seq < high, the `limit` nearest `low`
// (ascending) or `high` (descending); returned oldest first.
std::vector<HistoryLine> range(PgConnection& db, const HistoryQuery& query, const std::vector<std::string>& targets,
                               std::int64_t low, std::int64_t high, bool newest, std::size_t limit) {
  if (limit == 0 || low >= high) return {};
  static_assert(static_cast<int>(HistoryLine::Kind::notice) == 2, "speech kinds come first");
  const std::string sql = fmt::format(
      "SELECT {} FROM history h {} WHERE h.target = $1 AND h.seq > $2 AND h.seq < $3{} ORDER BY h.seq {} LIMIT $4",
      kColumns, kJoin, query.speech_only ? " AND h.kind <= 2" : "", newest ? "DESC" : "ASC");
  std::vector<std::pair<std::int64_t, HistoryLine>> found;
  for (const std::string& target : targets) {
    PgResult q = db.exec(sql, {target, low, high, static_cast<std::int64_t>(limit)});
    for (int row = 0; row < q.rows(); ++row) found.emplace_back(q.integer(row, 0), line_from(q, row));
  }
  return merge_by_seq(std::move(found), newest, limit);
}

void insert_lines(PgConnection& db, const std::vector<const HistoryLine*>& lines, std::size_t from, std::size_t to) {
  std::string sql =
      "INSERT INTO history (target, msgid, time_ms, kind, display, nick, username, host, account, bot, body, "
      "object_name, client_tags) VALUES ";
  std::vector<PgParam> params;
  params.reserve((to - from) * kColumnsPerLine);
  for (std::size_t i = from; i < to; ++i) {
    const HistoryLine& l = *lines[i];
    const std::size_t n = params.size();
    sql += fmt::format("{}(${},${},${},${},${},${},${},${},${},${},${},${},${})", i == from ? "" : ",", n + 1,
                       n + 2, n + 3, n + 4, n + 5, n + 6, n + 7, n + 8, n + 9, n + 10, n + 11, n + 12, n + 13);
    params.insert(params.end(), {l.target, l.id, to_ms(l.time), static_cast<int>(l.kind), l.sender.display,
                                 l.sender.nick, l.sender.user, l.sender.host, l.account, l.sender.presence.bot,
                                 l.text, l.object_name, l.client_tags});
  }
  sql += " ON CONFLICT (target, msgid) DO NOTHING";
  db.exec(sql, params);
}

}  // namespace

void insert_history(PgConnection& db, const std::vector<const HistoryLine*>& lines) {
  // One node's batch at a time: two nodes keeping the same rooms' lines would
  // otherwise lock the same rows in different orders and deadlock; and a
  // batch's lines keep the order this node applied them in (seq follows it).
  db.exec("SELECT pg_advisory_xact_lock($1)", {kHistoryWriteLock});
  for (std::size_t from = 0; from < lines.size(); from += kLinesPerInsert)
    insert_lines(db, lines, from, std::min(lines.size(), from + kLinesPerInsert));
  // Once per target per batch: its display name and newest time, and the
  // private conversations' lists.
  std::map<std::string, std::pair<std::string, std::int64_t>> touched;  // key: (room, newest ms), in key order
  for (const HistoryLine* l : lines) {
    auto& [room, newest] = touched[l->target];
    if (!l->room.empty()) room = l->room;
    newest = std::max(newest, to_ms(l->time));
  }
  for (const auto& [key, latest] : touched) {
    const auto& [room, newest] = latest;
    db.exec("INSERT INTO history_targets (key, room, last_ms) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET "
            "room = CASE WHEN excluded.room <> '' THEN excluded.room ELSE history_targets.room END, "
            "last_ms = GREATEST(history_targets.last_ms, excluded.last_ms)",
            {key, room, newest});
    for (const auto& [account, other] : core::private_history_readers(key)) {
      db.exec("INSERT INTO conversations (account, target, other, last_ms) VALUES ($1, $2, $3, $4) "
              "ON CONFLICT (account, target) DO UPDATE SET last_ms = GREATEST(conversations.last_ms, excluded.last_ms)",
              {account, key, other, newest});
    }
  }
}

std::vector<HistoryLine> pg_read_history(PgConnection& db, const HistoryQuery& query) {
  const std::vector<std::string> targets = targets_of(query);
  if (targets.empty()) return {};
  std::optional<SeqBounds> from, to;
  if (query.from && !(from = locate(db, targets, *query.from))) return {};
  if (query.to && !(to = locate(db, targets, *query.to))) return {};
  auto lines = [&](std::int64_t low, std::int64_t high, bool newest, std::size_t limit) {
    return range(db, query, targets, low, high, newest, limit);
  };
  return plan_history_read(query, from, to, lines);
}

std::vector<core::HistoryTarget> pg_read_targets(PgConnection& db, const core::TargetsQuery& query) {
  // Each target with its newest line's seq: ties in time go in the order the
  // lines were stored (two conversations' latest lines in one millisecond).
  std::vector<std::pair<core::HistoryTarget, std::int64_t>> found;
  const std::int64_t from = to_ms(query.from), to = to_ms(query.to);
  // A target is in the span when its newest line is.
  auto add = [&](const std::string& target, std::string name) {
    PgResult q = db.exec("SELECT room, last_ms, (SELECT MAX(seq) FROM history WHERE target = $1) "
                         "FROM history_targets WHERE key = $1",
                         {target});
    if (q.rows() == 0 || q.null(0, 2)) return;
    const std::int64_t newest = q.integer(0, 1), seq = q.integer(0, 2);
    if (newest <= from || newest >= to) return;
    if (name.empty()) name = q.text(0, 0);
    // An account's conversation and its guest side (same name) are one target.
    for (auto& [f, f_seq] : found) {
      if (core::is_private_history_key(target) && core::is_private_history_key(f.target) && f.name == name) {
        f.latest = std::max(f.latest, from_ms(newest));
        f_seq = std::max(f_seq, seq);
        return;
      }
    }
    found.push_back({{target, std::move(name), from_ms(newest)}, seq});
  };
  for (const auto& room : query.rooms) add(room, {});
  if (!query.account.empty()) {
    PgResult listed = db.exec("SELECT target, other FROM conversations WHERE account = $1 AND last_ms > $2",
                              {core::fold_key(query.account).value_or(query.account), from});
    for (int row = 0; row < listed.rows(); ++row) add(listed.text(row, 0), listed.text(row, 1));
  }
  // Oldest first, and the limit counts from there.
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first.latest != b.first.latest ? a.first.latest < b.first.latest : a.second < b.second;
  });
  if (found.size() > query.limit) found.resize(query.limit);
  std::vector<core::HistoryTarget> targets;
  for (auto& [target, seq] : found) targets.push_back(std::move(target));
  return targets;
}

std::string pg_tsquery(std::string_view words) {
  std::string out;
  for_each_search_word(words, [&](std::string_view word, bool prefix) {
    if (!out.empty()) out += " & ";
    out += '\'';
    for (char c : word) {
      if (c == '\'' || c == '\\') out += c == '\'' ? '\'' : '\\';  // quotes doubled, backslashes escaped
      out += c;
    }
    out += '\'';
    if (prefix) out += ":*";
  });
  return out;
}

std::vector<HistoryLine> pg_search_history(PgConnection& db, const core::SearchQuery& query) {
  std::vector<HistoryLine> lines;
  const std::string match = pg_tsquery(query.words);
  if (match.empty() || query.targets.empty() || query.limit == 0) return lines;
  std::vector<PgParam> params{match, static_cast<std::int64_t>(query.limit)};
  std::string targets;
  for (const auto& key : query.targets) {
    params.emplace_back(key);
    targets += fmt::format("{}${}", targets.empty() ? "" : ", ", params.size());
  }
  // The expression and the kind test are the index's (history_words), so that it is used.
  PgResult q = db.exec(
      fmt::format("SELECT {} FROM history h {} WHERE h.target IN ({}) AND h.kind <= 2 AND "
                  "to_tsvector('simple', h.body) @@ to_tsquery('simple', $1) ORDER BY {} LIMIT $2",
                  kColumns, kJoin, targets,
                  query.newest_first ? "h.seq DESC"
                                     : "ts_rank(to_tsvector('simple', h.body), to_tsquery('simple', $1)) DESC, h.seq DESC"),
      params);
  for (int row = 0; row < q.rows(); ++row) lines.push_back(line_from(q, row));
  return lines;
}

std::size_t pg_prune_history(PgConnection& db, std::optional<core::WallTime> cutoff, std::size_t max_lines_per_room,
                             std::size_t batch) {
  std::size_t deleted = 0;
  PgResult all = db.exec("SELECT key FROM history_targets ORDER BY key");
  std::vector<std::string> targets;
  for (int row = 0; row < all.rows(); ++row) targets.push_back(all.text(row, 0));
  if (cutoff) {
    for (const std::string& target : targets) {
      if (deleted >= batch) break;
      PgResult gone = db.exec("DELETE FROM history WHERE seq IN (SELECT seq FROM history WHERE target = $1 AND "
                              "time_ms < $2 ORDER BY time_ms LIMIT $3)",
                              {target, to_ms(*cutoff), static_cast<std::int64_t>(batch - deleted)});
      deleted += static_cast<std::size_t>(gone.affected());
    }
  }
  if (max_lines_per_room > 0) {
    for (const std::string& target : targets) {
      PgResult newest_kept = db.exec("SELECT seq FROM history WHERE target = $1 ORDER BY seq DESC LIMIT 1 OFFSET $2",
                                     {target, static_cast<std::int64_t>(max_lines_per_room - 1)});
      if (newest_kept.rows() == 0) continue;  // not over the limit
      PgResult gone = db.exec("DELETE FROM history WHERE seq IN (SELECT seq FROM history WHERE target = $1 AND "
                              "seq < $2 ORDER BY seq LIMIT $3)",
                              {target, newest_kept.integer(0, 0), static_cast<std::int64_t>(batch)});
      deleted += static_cast<std::size_t>(gone.affected());
    }
  }
  return deleted;
}

}  // namespace parley::store
