#include "line_splitter.hpp"

#include <utility>

namespace parley::client {
namespace {

std::string_view without_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

void LineSplitter::feed(std::string_view bytes, const Sink& on_line) {
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const bool complete = nl != std::string_view::npos;
    const auto chunk = bytes.substr(0, nl);
    if (complete && partial_.empty() && chunk.size() <= max_bytes_) {
      on_line(without_cr(chunk));  // the common case: no copy
    } else {
      partial_.append(chunk);
      while (partial_.size() > max_bytes_) {
        on_line(std::string_view(partial_).substr(0, max_bytes_));
        partial_.erase(0, max_bytes_);
      }
      if (complete) {
        on_line(without_cr(partial_));
        partial_.clear();
      }
    }
    if (!complete) break;
    bytes.remove_prefix(nl + 1);
  }
}

std::optional<std::string> LineSplitter::take_rest() {
  if (partial_.empty()) return std::nullopt;
  std::string rest = std::move(partial_);
  partial_.clear();
  if (!rest.empty() && rest.back() == '\r') rest.pop_back();
  return rest;
}

}  // namespace parley::client
