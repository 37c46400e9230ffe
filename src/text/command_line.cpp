#include "text/command_line.h"

#include <algorithm>
#include <cctype>

namespace parley::text {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

CommandLine parse_command(std::string_view line) {
  line.remove_prefix(1);
  const auto end = std::min(line.find_first_of(" \t"), line.size());
  CommandLine cmd{std::string(line.substr(0, end)), trim(line.substr(end))};
  std::transform(cmd.name.begin(), cmd.name.end(), cmd.name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return cmd;
}

FirstArg split_first_arg(std::string_view args) {
  args = trim(args);
  if (!args.empty() && args.front() == '"') {
    const auto close = args.find('"', 1);
    if (close == std::string_view::npos) return {std::string(args.substr(1)), {}, false};
    return {std::string(args.substr(1, close - 1)), trim(args.substr(close + 1)), true};
  }
  const auto end = std::min(args.find_first_of(" \t"), args.size());
  return {std::string(args.substr(0, end)), trim(args.substr(end)), true};
}

std::string unquote(std::string_view arg) {
  arg = trim(arg);
  if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"') arg = arg.substr(1, arg.size() - 2);
  return std::string(arg);
}

}  // namespace parley::text
