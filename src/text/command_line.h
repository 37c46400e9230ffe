#pragma once
// Splitting slash-command lines: "/msg \"Raj Ingle\" hi" -> command "msg",
// first argument "Raj Ingle", rest "hi".
#include <string>
#include <string_view>

namespace parley::text {

struct CommandLine {
  std::string name;       // lower-cased, without '/'
  std::string_view args;  // everything after the name, trimmed
};

// Requires line to start with '/'.
CommandLine parse_command(std::string_view line);

struct FirstArg {
  std::string arg;        // unquoted
  std::string_view rest;  // trimmed
  bool ok = true;         // false on an unterminated quote
};
// The first argument, which may be "quoted with spaces".
FirstArg split_first_arg(std::string_view args);
// A whole-rest argument such as a name with spaces, quotes optional.
std::string unquote(std::string_view arg);

}  // namespace parley::text
