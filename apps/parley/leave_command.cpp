#include "leave_command.hpp"

#include <algorithm>
#include <cctype>

namespace parley::client {
namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

bool is_leave_command(std::string_view line) {
  line = trim(line);
  if (line == kLeave) return true;
  constexpr std::string_view quit = "/quit";
  return line.size() >= quit.size() && iequals(line.substr(0, quit.size()), quit) &&
         (line.size() == quit.size() || line[quit.size()] == ' ' || line[quit.size()] == '\t');
}

}  // namespace parley::client
