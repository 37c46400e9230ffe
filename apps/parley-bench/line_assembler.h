#pragma once
// Splits a byte stream into lines ('\n', an optional '\r' before it dropped),
// keeping only the unfinished tail between reads.

#include <cstddef>
#include <string>
#include <string_view>

namespace parley::bench {

class LineAssembler {
 public:
  static constexpr std::size_t kMaxLine = 1 << 20;

  // Calls on_line(std::string_view) -> bool for each complete line; stops early
  // when it returns false. Returns false if it stopped early or a line grew
  // past kMaxLine.
  template <class OnLine>
  bool feed(std::string_view data, OnLine&& on_line) {
    if (!partial_.empty()) {
      const auto nl = data.find('\n');
      if (nl == std::string_view::npos) {
        partial_.append(data);
        return partial_.size() <= kMaxLine;
      }
      partial_.append(data.substr(0, nl));
      data.remove_prefix(nl + 1);
      std::string line;
      line.swap(partial_);
      if (!on_line(trim(line))) return false;
    }
    for (;;) {
      const auto nl = data.find('\n');
      if (nl == std::string_view::npos) break;
      if (!on_line(trim(data.substr(0, nl)))) return false;
      data.remove_prefix(nl + 1);
    }
    partial_.assign(data);
    return partial_.size() <= kMaxLine;
  }

  void clear() { std::string{}.swap(partial_); }

 private:
  static std::string_view trim(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }
  std::string partial_;
};

}  // namespace parley::bench
