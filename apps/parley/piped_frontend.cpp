#include "piped_frontend.hpp"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>

namespace parley::client {

int PipedFrontend::input_fd() const { return open_ ? STDIN_FILENO : -1; }

void PipedFrontend::read_input(InputSink& sink) {
  std::array<char, 16 * 1024> buf;
  const auto n = ::read(STDIN_FILENO, buf.data(), buf.size());
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n > 0) {
    lines_.feed(std::string_view(buf.data(), static_cast<std::size_t>(n)), [&](std::string_view line) {
      if (open_) sink.user_line(line);
    });
    return;
  }
  // The end of input (or an error reading it, which ends it too).
  if (auto rest = lines_.take_rest(); rest && open_) sink.user_line(*rest);
  if (open_) {
    open_ = false;
    sink.user_eof();
  }
}

void PipedFrontend::show(std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

bool PipedFrontend::flush_output() { return std::fflush(stdout) == 0; }

}  // namespace parley::client
