#include "postgres_process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "timing.hpp"

namespace parley::test {
namespace {

const std::string kBin = "/usr/lib/postgresql/15/bin/";

// Runs `args` as a child, as the postgres user when we are root, output to `log`.
pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& log) {
  const passwd* pg = ::geteuid() == 0 ? ::getpwnam("postgres") : nullptr;
  if (::geteuid() == 0 && !pg) throw std::runtime_error("running as root and there is no postgres user");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out >= 0) {
      ::dup2(out, 1);
      ::dup2(out, 2);
    }
    if (pg && (::setgroups(0, nullptr) != 0 || ::setgid(pg->pw_gid) != 0 || ::setuid(pg->pw_uid) != 0)) ::_exit(126);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

void give_to_postgres(const std::filesystem::path& dir) {
  if (::geteuid() != 0) return;
  const passwd* pg = ::getpwnam("postgres");
  if (!pg || ::chown(dir.c_str(), pg->pw_uid, pg->pw_gid) != 0)
    throw std::runtime_error("cannot give " + dir.string() + " to the postgres user");
}

struct Finish {
  void operator()(PGconn* c) const { PQfinish(c); }
};

}  // namespace

bool PostgresProcess::available() {
  if (::access((kBin + "initdb").c_str(), X_OK) != 0 || ::access((kBin + "postgres").c_str(), X_OK) != 0) return false;
  return ::geteuid() != 0 || ::getpwnam("postgres") != nullptr;
}

PostgresProcess::PostgresProcess() {
  const auto data = dir_.path() / "data";
  const auto log = dir_.path() / "postgres.log";
  give_to_postgres(dir_.path());
  {
    const pid_t initdb = spawn({kBin + "initdb", "-D", data.string(), "-U", "parley", "--auth=trust", "-E", "UTF8",
                                "--locale=C.UTF-8", "--no-sync", "--no-instructions"},
                               log);
    int status = 0;
    ::waitpid(initdb, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      throw std::runtime_error("initdb failed (see " + log.string() + ")");
  }
  {
    PortHolder holder;  // a port the kernel picked, free again once it closes
    port_ = holder.port();
  }
  start();
}

void PostgresProcess::start() {
  const auto data = dir_.path() / "data";
  const auto log = dir_.path() / "postgres.log";
  pid_ = spawn({kBin + "postgres", "-D", data.string(), "-p", std::to_string(port_), "-k", dir_.path().string(), "-c",
                "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off", "-c",
                "max_connections=200"},
               log);
  const auto deadline = Clock::now() + scaled(std::chrono::seconds(30));
  while (Clock::now() < deadline) {
    if (PQping(url().c_str()) == PQPING_OK) return;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("postgres exited at start (see " + log.string() + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling its readiness
  }
  throw std::runtime_error("postgres did not accept connections on port " + std::to_string(port_) + " (see " +
                           log.string() + ")");
}

void PostgresProcess::restart() {
  stop();
  start();
}

PostgresProcess::~PostgresProcess() { stop(); }

void PostgresProcess::stop() {
  stop_child(pid_, SIGINT, 20);  // fast shutdown: ends client sessions, then exits
  pid_ = -1;
}

std::string PostgresProcess::url(const std::string& database) const {
  return "postgresql://parley@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresProcess::fresh_database() {
  const std::string name = "parley_" + std::to_string(++databases_);
  exec("postgres", "CREATE DATABASE " + name);
  return url(name);
}

void PostgresProcess::exec(const std::string& database, const std::string& sql) {
  std::unique_ptr<PGconn, Finish> conn(PQconnectdb(url(database).c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw std::runtime_error(std::string("cannot connect to the test PostgreSQL: ") + PQerrorMessage(conn.get()));
  PGresult* result = PQexec(conn.get(), sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  PQclear(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error("the test PostgreSQL refused `" + sql + "`: " + PQerrorMessage(conn.get()));
}

}  // namespace parley::test
