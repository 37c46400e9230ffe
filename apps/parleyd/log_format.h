#pragma once
// How parleyd's log lines look: sentences for people (the default, the seed's
// "127.0.0.1:52219 has connected." included), or one JSON object per line
// for log shippers (--log-format json): {"time":..., "level":..., "message":...}.
#include <spdlog/logger.h>

namespace parley::daemon {

enum class LogFormat { text, json };

void apply_log_format(spdlog::logger& logger, LogFormat format);

}  // namespace parley::daemon
