#include "net/refusal_log.h"

#include <spdlog/spdlog.h>

namespace parley::net {

bool RefusalLog::count(const std::string& address, session::CloseReason reason) {
  const auto now = std::chrono::steady_clock::now();
  auto [it, fresh] = windows_.try_emplace(address, Window{now, 0, reason});
  if (!fresh && now - it->second.start >= kWindow) {
    if (it->second.counted > 0) summarise(address, it->second);
    it->second = Window{now, 0, reason};
    fresh = true;
  }
  if (fresh) {
    arm();  // the window's entry goes when it ends
    return false;
  }
  ++it->second.counted;
  it->second.reason = reason;
  return true;
}

void RefusalLog::summarise(const std::string& address, const Window& window) const {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - window.start);
  spdlog::info("{} more connection(s) from {} refused in the last {} s: {}.", window.counted, address,
               seconds.count(), session::describe(window.reason));
}

void RefusalLog::flush() {
  for (const auto& [address, window] : windows_) {
    if (window.counted > 0) summarise(address, window);
  }
  windows_.clear();
  timer_.cancel();
}

void RefusalLog::arm() {
  if (armed_) return;
  armed_ = true;
  timer_.expires_after(kWindow);
  timer_.async_wait([this](boost::system::error_code ec) {
    armed_ = false;
    if (!ec) on_timer();
  });
}

void RefusalLog::on_timer() {
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(windows_, [&](const auto& entry) {
    if (now - entry.second.start < kWindow) return false;
    if (entry.second.counted > 0) summarise(entry.first, entry.second);
    return true;
  });
  if (!windows_.empty()) arm();
}

}  // namespace parley::net
