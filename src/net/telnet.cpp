#include "net/telnet.h"

namespace parley::net {

void TelnetFilter::feed(std::string_view bytes, Sink& sink) {
  std::size_t run = 0;  // start of the data bytes not yet handed to the sink
  auto flush = [&](std::size_t end) {
    if (end > run) sink.data(bytes.substr(run, end - run));
  };
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<std::uint8_t>(bytes[i]);
    switch (state_) {
      case State::data:
      case State::cr:
        if (b == kIac) {
          flush(i);
          state_ = State::iac;
        } else if (state_ == State::cr && b == 0) {
          flush(i);  // NVT's CR NUL is a bare CR: the NUL is not data
          run = i + 1;
          state_ = State::data;
        } else {
          state_ = b == '\r' ? State::cr : State::data;
        }
        break;
      case State::iac:
        state_ = State::data;
        run = i + 1;
        if (b < kSe) {
          // Not a telnet command: a client that is not telnet sent a byte 255
          // (never UTF-8). Both bytes stay in the input, to be refused there.
          sink.data(std::string_view("\xff", 1));
          run = i;
          state_ = b == '\r' ? State::cr : State::data;
        } else if (b == kIac) {
          run = i;  // IAC IAC is one data byte 255
        } else if (b >= kWill && b <= kDont) {
          verb_ = b;
          state_ = State::option;
        } else if (b == kSb) {
          state_ = State::sub;
        } else if (b == kIp || b == kEl) {
          sink.interrupt();
        }  // NOP, AYT, AO, GA, DM, BRK, EC: nothing to do for a line-based chat
        break;
      case State::option: {
        state_ = State::data;
        run = i + 1;
        if (b == '\r' || b == '\n') {
          // No telnet client negotiates options 10 or 13 (obsolete since RFC
          // 652); this is a line of bytes that are not UTF-8, ending here.
          const char verb[] = {static_cast<char>(kIac), static_cast<char>(verb_)};
          sink.data(std::string_view(verb, sizeof verb));
          run = i;
          state_ = b == '\r' ? State::cr : State::data;
          break;
        }
        // We offer nothing, so only requests are answered, each once: a
        // refusal of a refusal would loop (RFC 854's rule against loops).
        if (verb_ == kDo) {
          const char answer[] = {static_cast<char>(kIac), static_cast<char>(b == kTimingMark ? kWill : kWont),
                                 static_cast<char>(b)};
          sink.reply(std::string_view(answer, sizeof answer));
        } else if (verb_ == kWill) {
          const char answer[] = {static_cast<char>(kIac), static_cast<char>(kDont), static_cast<char>(b)};
          sink.reply(std::string_view(answer, sizeof answer));
        }
        break;
      }
      case State::sub:
        if (b == kIac) state_ = State::sub_iac;
        break;
      case State::sub_iac:
        state_ = b == kSe ? State::data : State::sub;
        run = i + 1;
        break;
    }
  }
  if (state_ == State::data || state_ == State::cr) flush(bytes.size());
}

}  // namespace parley::net
