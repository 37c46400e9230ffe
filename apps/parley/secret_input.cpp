#include "secret_input.hpp"

#include <cctype>

namespace parley::client {
namespace {

// Whether `line` starts with the command word `command` followed by a space.
bool starts_with_command(std::string_view line, std::string_view command) {
  if (line.size() <= command.size() || line[command.size()] != ' ') return false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != command[i]) return false;
  }
  return true;
}

}  // namespace

std::size_t secret_start(std::string_view line) {
  if (starts_with_command(line, "/register")) return sizeof "/register";
  if (!starts_with_command(line, "/login")) return std::string_view::npos;
  std::size_t at = sizeof "/login";
  while (at < line.size() && line[at] == ' ') ++at;
  if (at == line.size()) return std::string_view::npos;
  if (line[at] == '"') {
    const auto close = line.find('"', at + 1);
    if (close == std::string_view::npos) return std::string_view::npos;
    at = close + 1;
  } else {
    at = line.find(' ', at);
    if (at == std::string_view::npos) return std::string_view::npos;
  }
  if (at >= line.size() || line[at] != ' ') return std::string_view::npos;
  return at + 1;
}

}  // namespace parley::client
