#pragma once
// POSIX odds and ends for the integration tests: an owning file descriptor, a
// temporary directory removed on destruction, the open-files limit, and a
// listening socket that holds a port.

#include <cstdint>
#include <filesystem>
#include <string>

namespace parley::test {

// Owns one file descriptor; closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction unless PARLEY_ITEST_KEEP is set in the environment.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "parley-itest");
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Raises this process's soft RLIMIT_NOFILE to its hard limit (children
// started afterwards inherit it). Returns the new soft limit.
std::uint64_t raise_fd_limit();

// A TCP socket listening on 127.0.0.1 at a port the kernel picked, to make a
// port busy. Closed on destruction.
class PortHolder {
 public:
  PortHolder();
  std::uint16_t port() const { return port_; }

 private:
  UniqueFd fd_;
  std::uint16_t port_ = 0;
};

// Sends `signo` to child `pid`, waits up to `grace_seconds` (scaled, see
// timing.hpp) for it to exit, then SIGKILLs it; reaps it either way.
void stop_child(int pid, int signo, int grace_seconds);

// Writes `contents` to `path`, replacing it; throws on failure.
void write_file(const std::filesystem::path& path, const std::string& contents);

}  // namespace parley::test
