#pragma once
// Reading a password for the administrator's subcommands: from a terminal,
// without echo (and twice, to catch a typo); from a pipe, one line.
#include <optional>
#include <string>

namespace parley::daemon {

// Nothing when input ends first, or when the two typed copies differ (said on stderr).
std::optional<std::string> read_new_password();

}  // namespace parley::daemon
