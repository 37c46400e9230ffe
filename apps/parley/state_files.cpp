#include "state_files.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>

namespace parley::client {

std::string history_path(const char* xdg_state_home, const char* home) {
  // The XDG spec: a relative path in the variable is invalid and ignored.
  if (xdg_state_home != nullptr && xdg_state_home[0] == '/') return std::string(xdg_state_home) + "/parley/history";
  if (home != nullptr && home[0] == '/') return std::string(home) + "/.local/state/parley/history";
  return {};
}

std::string history_path() { return history_path(std::getenv("XDG_STATE_HOME"), std::getenv("HOME")); }

bool make_parent_directories(const std::string& file) {
  for (std::size_t slash = file.find('/', 1); slash != std::string::npos; slash = file.find('/', slash + 1)) {
    const std::string dir = file.substr(0, slash);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return false;
  }
  return true;
}

std::string time_prefix(std::time_t when) {
  std::tm local{};
  if (::localtime_r(&when, &local) == nullptr) return {};
  char text[16];
  const std::size_t n = std::strftime(text, sizeof text, "%H:%M ", &local);
  return std::string(text, n);
}

}  // namespace parley::client
