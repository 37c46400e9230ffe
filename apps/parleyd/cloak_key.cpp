#include "cloak_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace parley::daemon {
namespace {

constexpr std::string_view kHex = "0123456789abcdef";

std::string to_hex(const std::string& bytes) {
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const auto hi = kHex.find(hex[i]), lo = kHex.find(hex[i + 1]);
    if (hi == std::string_view::npos || lo == std::string_view::npos) return std::nullopt;
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

std::string read_key(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw CloakKeyError(fmt::format("cannot read the host cloak key {}: {}", path, std::strerror(errno)));
  std::string text;
  std::getline(in, text);
  auto key = from_hex(text);
  if (!key || key->size() != auth::HostCloak::kKeyBytes)
    throw CloakKeyError(fmt::format("{} is not a host cloak key ({} hex digits on one line); remove it to make a new "
                                    "one (every cloak changes)",
                                    path, 2 * auth::HostCloak::kKeyBytes));
  return *key;
}

// Written whole or not at all: O_EXCL, so two servers starting at once on one
// data directory cannot both write one; the loser reads the winner's.
bool write_new_key(const std::string& path, const std::string& key) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw CloakKeyError(fmt::format("cannot write the host cloak key {}: {}", path, std::strerror(errno)));
  }
  const std::string text = to_hex(key) + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    throw CloakKeyError(fmt::format("cannot write the host cloak key {}: {}", path, std::strerror(errno)));
  }
  return true;
}

}  // namespace

std::string cloak_key_path(const std::string& data_dir) { return data_dir + "/cloak.key"; }

std::unique_ptr<auth::HostCloak> load_host_cloak(const std::string& data_dir) {
  const std::string path = cloak_key_path(data_dir);
  std::string key = auth::HostCloak::new_key();
  if (!write_new_key(path, key)) key = read_key(path);
  return std::make_unique<auth::HostCloak>(std::move(key));
}

}  // namespace parley::daemon
