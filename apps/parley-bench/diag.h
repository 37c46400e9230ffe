#pragma once
// Lines on stderr that never throw: a closed or full stderr is ignored.

#include <cstdio>
#include <string_view>
#include <utility>

#include <fmt/core.h>

namespace parley::bench {

inline void stderr_line(std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

// "parley-bench: " followed by the formatted text.
template <class... Args>
void diag(fmt::format_string<Args...> format, Args&&... args) {
  stderr_line("parley-bench: " + fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace parley::bench
