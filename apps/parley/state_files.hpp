#pragma once
// Where the client keeps what outlives a run: the input history, in
// $XDG_STATE_HOME/parley/history (default ~/.local/state/parley/history).

#include <ctime>
#include <string>

namespace parley::client {

// The history file's path from those two variables' values (null: unset);
// empty when neither gives a directory.
std::string history_path(const char* xdg_state_home, const char* home);
// The same, from the environment.
std::string history_path();
// Makes the directories above `file` (mode 0700); false on failure.
bool make_parent_directories(const std::string& file);

// "14:05 ": the local time of `when`, put before each line shown at a terminal.
std::string time_prefix(std::time_t when);

}  // namespace parley::client
