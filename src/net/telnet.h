#pragma once
// Telnet commands in the text port's input (RFC 854, RFC 860). A telnet
// client mixes commands into the byte stream, each starting with IAC (0xFF,
// never a byte of UTF-8): pressing Ctrl-C sends IAC IP and IAC DO TIMING-MARK,
// and telnet shows nothing more until the mark is answered. This filter takes
// the commands out of the input, answers option requests (WILL TIMING-MARK to
// DO TIMING-MARK; every other option refused), and reports an interrupt (IP,
// or an erased line) so that the half-typed line is dropped, nothing more.
// Incremental and pure: a command may be split across reads.
//
// A byte 255 that starts no telnet command (IAC followed by a byte below SE,
// or a negotiation for "option" CR or LF) is input from a client that is not
// telnet: it stays in the input, which then is not UTF-8 and is refused as
// such, as on any port.
#include <cstdint>
#include <string>
#include <string_view>

namespace parley::net {

class TelnetFilter {
 public:
  // What feed() finds, in input order.
  class Sink {
   public:
    virtual ~Sink() = default;
    virtual void data(std::string_view bytes) = 0;  // input with the commands taken out
    virtual void interrupt() = 0;                   // drop the line typed so far
    virtual void reply(std::string_view bytes) = 0;  // send to the peer
  };

  void feed(std::string_view bytes, Sink& sink);

  static constexpr std::uint8_t kIac = 255;
  static constexpr std::uint8_t kDont = 254;
  static constexpr std::uint8_t kDo = 253;
  static constexpr std::uint8_t kWont = 252;
  static constexpr std::uint8_t kWill = 251;
  static constexpr std::uint8_t kSb = 250;  // subnegotiation begins
  static constexpr std::uint8_t kEl = 248;  // erase line
  static constexpr std::uint8_t kIp = 244;  // interrupt process (Ctrl-C)
  static constexpr std::uint8_t kSe = 240;  // subnegotiation ends
  static constexpr std::uint8_t kTimingMark = 6;

 private:
  enum class State : std::uint8_t { data, cr, iac, option, sub, sub_iac };
  State state_ = State::data;
  std::uint8_t verb_ = 0;  // WILL, WONT, DO or DONT, awaiting its option byte
};

}  // namespace parley::net
