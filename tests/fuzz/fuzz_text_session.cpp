// The text session's input: two clients on one hand-run loop type whatever
// the fuzzer gives (framed as the server frames it, the first byte picking
// who types each line). Nothing may crash or trip a sanitizer or a loop
// check, and every line a client is sent is valid UTF-8 ending in '\n'.
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "core/hub.h"
#include "core/loop_owned.h"
#include "net/line_framer.h"
#include "core/unicode.h"
#include "session/outbound.h"
#include "text/text_session.h"

using namespace parley;

namespace {

class OneLoop final : public core::LoopPoster {
 public:
  core::LoopIndex loop_count() const override { return 1; }
  void post(core::LoopIndex, core::Task task) override { tasks_.push_back(std::move(task)); }
  void run() {
    while (!tasks_.empty()) {
      core::Task task = std::move(tasks_.front());
      tasks_.pop_front();
      task();
    }
  }

 private:
  std::deque<core::Task> tasks_;
};

struct Client final : session::Outbound {
  void send(std::string_view bytes) override {
    if (bytes.empty() || bytes.back() != '\n' || !core::is_valid_utf8(bytes)) std::abort();
  }
  void close_after_flush(session::CloseReason) override { closed = true; }
  void hold_input() override { ++holds; }
  void resume_input() override { --holds; }
  int holds = 0;
  bool closed = false;
  std::unique_ptr<text::TextSession> session;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const core::ThisLoop on_loop(0);
  OneLoop loop;
  core::HubLimits limits;
  limits.name_chars = 8;
  limits.room_chars = 8;
  core::Hub hub(loop, limits);
  Client clients[2];
  for (auto& c : clients) {
    c.session = std::make_unique<text::TextSession>(hub, 0, c, text::TextConfig{});
    c.session->start();
  }
  loop.run();
  net::LineFramer framer(256);
  framer.feed(std::string_view(reinterpret_cast<const char*>(data), size));
  while (auto line = framer.next()) {
    const std::string_view text = line->text;
    Client& c = clients[text.empty() ? 0 : static_cast<unsigned char>(text.front()) % 2];
    if (c.closed) continue;
    if (line->too_long) c.session->on_line_too_long(256);
    else c.session->on_line(text);
    loop.run();  // every hold is released once the loop has run
  }
  for (auto& c : clients) c.session->on_input_ended();
  loop.run();
  for (auto& c : clients) {
    c.session->on_closed(session::CloseReason::peer_closed);
    c.session.reset();
  }
  loop.run();
  return 0;
}
