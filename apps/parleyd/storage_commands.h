#pragma once
// parleyd's commands about its data, run instead of the server:
// `parleyd backup FILE` and `parleyd --check-config`.
#include <string>

#include "config/config.h"

namespace parley::app {

// Copies the running (or stopped) server's database to `file`, showing
// progress on stderr. Exit status: 0 done, 1 failed.
int backup_command(const config::Config& cfg, const std::string& file);
// Says whether the configuration and the data directory are usable, without
// starting the server or changing anything. Exit status: 0 usable, 2 not.
int check_config_command(const config::Config& cfg);

}  // namespace parley::app
