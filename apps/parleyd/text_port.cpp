#include "text_port.h"

#include "session/first_lines_switch.h"
#include "text/port_sniffing.h"

namespace parley::daemon {

using session::FirstLinesSwitch;

namespace {

FirstLinesSwitch::Verdict verdict(const std::vector<std::string>& lines) {
  switch (text::classify_first_lines(lines)) {
    case text::FirstLines::text: return FirstLinesSwitch::Verdict::stay;
    case text::FirstLines::irc: return FirstLinesSwitch::Verdict::hand_over;
    case text::FirstLines::http: return FirstLinesSwitch::Verdict::answer_and_close;
    case text::FirstLines::undecided: return FirstLinesSwitch::Verdict::undecided;
  }
  return FirstLinesSwitch::Verdict::stay;
}

}  // namespace

net::Protocol text_port_protocol(core::Hub& hub, core::LoopPoster& loops, const text::TextConfig& text_config,
                                 std::shared_ptr<const irc::IrcConfig> irc_config, std::uint16_t web_port) {
  const std::string http_answer = text::http_answer_for_text_port(web_port);
  return net::Protocol{
      "text",
      [&hub, &loops, text_config, irc_config, http_answer](core::LoopIndex loop, session::Outbound& out,
                                                           const std::string& address) {
        return std::make_unique<FirstLinesSwitch>(
            out,
            [&hub, loop, text_config, address](session::Outbound& inner) {
              return std::make_unique<text::TextSession>(hub, loop, inner, text_config, address);
            },
            [&hub, loop, irc_config, address](session::Outbound& inner) {
              return std::make_unique<irc::IrcSession>(hub, loop, inner, irc_config, address);
            },
            verdict, [&loops, loop](std::function<void()> task) { loops.post(loop, std::move(task)); }, http_answer);
      },
      // A farewell in the text protocol, as before: a connection handed to
      // IRC is told in a line its client shows (it is not an IRC line).
      [text_config](session::CloseReason reason) { return text::TextSession::farewell(reason, text_config); },
      /*telnet=*/true,
  };
}

}  // namespace parley::daemon
