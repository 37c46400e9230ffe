#include "net/line_framer.h"

#include <cstring>

namespace parley::net {

void LineFramer::feed(std::string_view bytes) {
  if (discarding_) {
    const auto nl = bytes.find('\n');
    if (nl == std::string_view::npos) return;
    bytes.remove_prefix(nl + 1);
    discarding_ = false;
  }
  buf_.append(bytes);
}

bool LineFramer::has_line() const {
  if (buf_.find('\n', pos_ + scanned_) != std::string::npos) return true;
  return buf_.size() - pos_ > max_ + 1;  // an over-long partial line is reported as a line
}

std::optional<LineFramer::Line> LineFramer::next() {
  const std::size_t nl = buf_.find('\n', pos_ + scanned_);
  if (nl == std::string::npos) {
    scanned_ = buf_.size() - pos_;
    if (scanned_ > max_ + 1) {  // +1: room for a "\r" that may precede the '\n'
      buf_.clear();
      pos_ = scanned_ = 0;
      discarding_ = true;
      return Line{{}, true};
    }
    compact();
    return std::nullopt;
  }
  std::string_view text(buf_.data() + pos_, nl - pos_);
  pos_ = nl + 1;
  scanned_ = 0;
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (text.size() > max_) return Line{{}, true};
  return Line{text, false};
}

void LineFramer::drop_partial_line() {
  discarding_ = false;  // an over-long line ends here too
  const std::size_t nl = buf_.rfind('\n');
  buf_.resize(nl == std::string::npos || nl < pos_ ? pos_ : nl + 1);
  scanned_ = 0;
}

void LineFramer::compact() {
  if (pos_ == 0) return;
  buf_.erase(0, pos_);
  pos_ = 0;
}

void LineFramer::release_if_empty() {
  if (pos_ == buf_.size() && !discarding_) {
    std::string().swap(buf_);
    pos_ = scanned_ = 0;
  }
}

}  // namespace parley::net
