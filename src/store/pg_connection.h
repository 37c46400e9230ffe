#pragma once
// One connection to PostgreSQL through libpq, the C client Debian ships
// (libpq-dev): RAII for the connection and its results, statements with
// text parameters ($1, $2...), and every failure thrown as a StoreError that
// says which server and what went wrong. Blocking: used only from the store's
// own threads, never from an event loop.
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::store {

// The problem with a PostgreSQL address ("postgresql://user@host:port/db"),
// in words for the operator, or nothing when libpq can read it.
std::optional<std::string> postgres_url_problem(const std::string& url);
// The address without its password, for logs and errors.
std::string postgres_url_for_logs(const std::string& url);

class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  ExecStatusType status() const { return PQresultStatus(result_.get()); }
  int rows() const { return PQntuples(result_.get()); }
  bool null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string text(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  bool boolean(int row, int column) const { return text(row, column) == "t"; }
  // A bytea column (hex output), as raw bytes.
  std::string bytes(int row, int column) const;
  // Rows a command changed (INSERT, UPDATE, DELETE).
  std::int64_t affected() const;

 private:
  struct Clear {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  std::unique_ptr<PGresult, Clear> result_;
};

// A parameter: text, or raw bytes sent as bytea; or SQL NULL.
struct PgParam {
  std::optional<std::string> value;
  bool binary = false;
  PgParam(std::string text) : value(std::move(text)) {}  // NOLINT: implicit, for brace lists
  PgParam(const char* text) : value(std::string(text)) {}  // NOLINT
  PgParam(std::int64_t n) : value(std::to_string(n)) {}  // NOLINT
  PgParam(int n) : value(std::to_string(n)) {}  // NOLINT
  PgParam(bool b) : value(b ? "true" : "false") {}  // NOLINT
  static PgParam bytes(std::string raw) {
    PgParam p(std::move(raw));
    p.binary = true;
    return p;
  }
};

class PgConnection {
 public:
  // Connects (at most connect_timeout_seconds); throws StoreError.
  explicit PgConnection(const std::string& url, int connect_timeout_seconds = 10);
  // Runs one statement; throws StoreError when the server refuses it. Outside
  // a transaction, a statement that finds the connection broken (the server
  // restarted, a failover) is tried once more on a new connection.
  PgResult exec(std::string_view sql, const std::vector<PgParam>& params = {});
  // Several statements without parameters (schema changes).
  void exec_script(std::string_view sql);
  const std::string& where() const { return where_; }

 private:
  struct Finish {
    void operator()(PGconn* c) const { PQfinish(c); }
  };
  friend class PgTransaction;
  // Connects when there is no usable connection.
  void ensure_connected();
  PgResult run(const std::string& sql, const std::vector<PgParam>& params);
  std::unique_ptr<PGconn, Finish> conn_;
  bool in_transaction_ = false;  // a retry would run outside the transaction: none then
  std::string url_;
  std::string where_;  // the address without its password
  int connect_timeout_seconds_;
};

// A transaction on `db`: rolled back unless commit() was called.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& db) : db_(db) {
    db_.exec("BEGIN");
    db_.in_transaction_ = true;
  }
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  void commit() {
    db_.exec("COMMIT");  // never retried: on a new connection it would commit nothing, and say OK
    done_ = true;
    db_.in_transaction_ = false;
  }

 private:
  PgConnection& db_;
  bool done_ = false;
};

}  // namespace parley::store
