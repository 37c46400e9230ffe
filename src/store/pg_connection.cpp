#include "store/pg_connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "store/store_error.h"

namespace parley::store {
namespace {

struct FreeOptions {
  void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};
using Options = std::unique_ptr<PQconninfoOption, FreeOptions>;

// libpq's messages end with a newline and may span lines: one line for ours.
std::string one_line(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  return s;
}

}  // namespace

std::optional<std::string> postgres_url_problem(const std::string& url) {
  if (!url.starts_with("postgresql://") && !url.starts_with("postgres://"))
    return "must start with postgresql:// (postgresql://USER@HOST:PORT/DATABASE)";
  char* error = nullptr;
  Options options(PQconninfoParse(url.c_str(), &error));
  if (!options) {
    std::string why = one_line(error);
    PQfreemem(error);
    return why.empty() ? std::string("is not a PostgreSQL address libpq can read") : why;
  }
  return std::nullopt;
}

std::string postgres_url_for_logs(const std::string& url) {
  // postgresql://user:secret@host/db -> postgresql://user@host/db
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto at = url.find('@', scheme + 3);
  const auto colon = url.find(':', scheme + 3);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + url.substr(at);
}

std::string PgResult::text(int row, int column) const {
  const char* v = PQgetvalue(result_.get(), row, column);
  return std::string(v, static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::int64_t PgResult::integer(int row, int column) const {
  return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}

std::string PgResult::bytes(int row, int column) const {
  std::size_t length = 0;
  unsigned char* raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, column)), &length);
  if (!raw) throw StoreError("PostgreSQL returned a bytea value that could not be decoded");
  std::string out(reinterpret_cast<const char*>(raw), length);
  PQfreemem(raw);
  return out;
}

std::int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(result_.get());
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

PgConnection::PgConnection(const std::string& url, int connect_timeout_seconds)
    : url_(url), where_(postgres_url_for_logs(url)), connect_timeout_seconds_(connect_timeout_seconds) {
  if (auto problem = postgres_url_problem(url)) throw StoreError(fmt::format("{}: {}", where_, *problem));
  ensure_connected();
}

void PgConnection::ensure_connected() {
  if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK) return;
  if (conn_) spdlog::warn("The connection to PostgreSQL at {} was lost; connecting again.", where_);
  const std::string timeout = std::to_string(connect_timeout_seconds_);
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {url_.c_str(), timeout.c_str(), "parleyd", nullptr};
  // expand_dbname = 1: the address's own settings, then ours.
  conn_.reset(PQconnectdbParams(keys, values, 1));
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    const std::string why = conn_ ? one_line(PQerrorMessage(conn_.get())) : "out of memory";
    conn_.reset();
    throw StoreError(fmt::format("cannot connect to PostgreSQL at {}: {}", where_, why));
  }
  // Quiet NOTICEs (such as "relation already exists, skipping") stay out of our log.
  PQsetNoticeProcessor(conn_.get(), [](void*, const char*) {}, nullptr);
}

PgResult PgConnection::exec(std::string_view sql, const std::vector<PgParam>& params) {
  ensure_connected();
  const std::string statement(sql);
  PgResult result = run(statement, params);
  if (!in_transaction_ && result.status() == PGRES_FATAL_ERROR && PQstatus(conn_.get()) == CONNECTION_BAD) {
    ensure_connected();  // says so in the log, or throws when the server is still away
    result = run(statement, params);
  }
  const ExecStatusType status = result.status();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw StoreError(fmt::format("PostgreSQL at {} refused a statement: {}", where_,
                                 one_line(PQerrorMessage(conn_.get()))));
  }
  return result;
}

PgResult PgConnection::run(const std::string& statement, const std::vector<PgParam>& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  values.reserve(params.size());
  for (const PgParam& p : params) {
    values.push_back(p.value ? p.value->data() : nullptr);
    lengths.push_back(p.value ? static_cast<int>(p.value->size()) : 0);
    formats.push_back(p.binary ? 1 : 0);
  }
  return PgResult(PQexecParams(conn_.get(), statement.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), lengths.data(), formats.data(), 0));
}

void PgConnection::exec_script(std::string_view sql) {
  ensure_connected();
  const std::string script(sql);
  PgResult result(PQexec(conn_.get(), script.c_str()));
  const ExecStatusType status = result.status();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw StoreError(fmt::format("PostgreSQL at {} refused a schema change: {}", where_,
                                 one_line(PQerrorMessage(conn_.get()))));
  }
}

PgTransaction::~PgTransaction() {
  if (done_) return;
  db_.in_transaction_ = false;
  try {
    db_.exec("ROLLBACK");
  } catch (const std::exception& e) {
    spdlog::warn("{}", e.what());  // the connection is gone; so is the transaction
  }
}

}  // namespace parley::store
