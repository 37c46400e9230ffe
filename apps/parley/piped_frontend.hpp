#pragma once

#include "frontend.hpp"
#include "line_splitter.hpp"

namespace parley::client {

// For scripts: standard input is read as lines and each is sent; server
// lines are written to standard output as they are, one per line, with no
// prompt, colour or other escape code.
class PipedFrontend final : public Frontend {
 public:
  int input_fd() const override;
  void read_input(InputSink& sink) override;
  void stop_input() override { open_ = false; }
  void show(std::string_view line) override;
  bool flush_output() override;
  void close() override {}

 private:
  bool open_ = true;
  LineSplitter lines_;
};

}  // namespace parley::client
