#pragma once
// IrcClient: one IRC client connection to parleyd over loopback, for the IRC
// integration tests. It wraps a LineClient (which frames on '\n' and keeps a
// '\r' before it) and adds what IRC needs:
//
//   - lines are sent with "\r\n";
//   - every line read must end in "\r\n" and its part after the tags must fit
//     in 512 bytes (CR LF included); a line that breaks either rule is a test
//     failure (ADD_FAILURE), and is still returned, CR stripped;
//   - lines are parsed into IrcMessage (tags, source, command, parameters);
//   - waits are reads with deadlines: the next line must match, or lines are
//     read until one matches (the skipped ones are kept for the caller and for
//     failure messages);
//   - register_as() does CAP/NICK/USER and reads through the welcome.
//
// The parser here is written from the modern IRC client protocol document
// ("Message format") independently of src/irc, so that a bug in the server's
// serializer cannot hide behind the same bug in the test's parser.
//
// Thread safety: as LineClient (one reader, one writer).

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "line_client.hpp"
#include "timing.hpp"

namespace parley::test {

// One IRC line, parsed.
struct IrcMessage {
  std::string raw;                          // the line without "\r\n"
  std::map<std::string, std::string> tags;  // values unescaped; "" when absent
  bool has_tags = false;                    // the line started with '@'
  std::string source;                       // without ':'; "" if none
  std::string command;                      // as sent (numerics as three digits)
  std::vector<std::string> params;          // the trailing one last, ':' stripped

  // The parameter at `i`, or "" when there are fewer.
  const std::string& param(std::size_t i) const;
  // The last parameter, or "".
  const std::string& last() const;
  // The nick part of the source ("zoe" of "zoe!~z@127.0.0.1").
  std::string source_nick() const;
  bool is(std::string_view command_or_numeric) const { return command == command_or_numeric; }
  // The tag's value, or nullptr.
  const std::string* tag(const std::string& key) const;
};

// Parses a line without its "\r\n". Returns nullopt when there is no command.
std::optional<IrcMessage> parse_irc_line(std::string_view line);

using IrcPredicate = std::function<bool(const IrcMessage&)>;

// Common predicates.
IrcPredicate irc_command(std::string command);                                          // command (or numeric) equals
IrcPredicate irc_command_param(std::string command, std::size_t i, std::string value);  // and params[i] == value
IrcPredicate irc_raw(std::string line);                                                 // raw line without tags equals
IrcPredicate irc_any_of(std::vector<std::string> commands);

struct IrcRegisterOptions {
  std::string user = "u";
  std::string real_name = "Real Name";
  // When not empty: "CAP LS 302" first, then "CAP REQ :<caps>" (expects ACK)
  // and "CAP END" after NICK/USER.
  std::string caps;
  // Also send "CAP LS 302" when `caps` is empty (and then CAP END).
  bool cap_ls = false;
};

class IrcClient {
 public:
  // Connects to 127.0.0.1:port; throws on failure.
  explicit IrcClient(std::uint16_t port, std::string label = {}, ClientOptions options = {});

  // Sends `line` followed by "\r\n".
  void send(std::string_view line);
  // Sends exactly these bytes.
  void send_raw(std::string_view bytes);
  // Like send_raw but returns 0 or an errno instead of throwing.
  int try_send_raw(std::string_view bytes);

  // The next line, parsed; nullopt on timeout or close (see closed()).
  std::optional<IrcMessage> next(Duration timeout = default_timeout());

  // The next line must satisfy `pred` (`what` names it in failure messages).
  [[nodiscard]] ::testing::AssertionResult expect(const IrcPredicate& pred, std::string_view what,
                                                  IrcMessage* out = nullptr, Duration timeout = default_timeout());
  // The next line, tags left aside, must be exactly `line`.
  [[nodiscard]] ::testing::AssertionResult expect_raw(std::string_view line, Duration timeout = default_timeout());
  // The next line must be numeric/command `command`.
  [[nodiscard]] ::testing::AssertionResult expect_command(std::string_view command, IrcMessage* out = nullptr,
                                                          Duration timeout = default_timeout());

  // Reads lines until one satisfies `pred`. Lines read before it are appended
  // to *skipped when given.
  [[nodiscard]] ::testing::AssertionResult wait_for(const IrcPredicate& pred, std::string_view what,
                                                    IrcMessage* out = nullptr,
                                                    std::vector<IrcMessage>* skipped = nullptr,
                                                    Duration timeout = default_timeout());
  [[nodiscard]] ::testing::AssertionResult wait_for_command(std::string_view command, IrcMessage* out = nullptr,
                                                            std::vector<IrcMessage>* skipped = nullptr,
                                                            Duration timeout = default_timeout());

  // Sends "PING :<fresh token>" and reads until the matching PONG. The lines
  // before it go to *before. The server answers a client's lines in order, so
  // whatever the lines sent before this one caused synchronously has arrived.
  [[nodiscard]] ::testing::AssertionResult sync(std::vector<IrcMessage>* before = nullptr,
                                                Duration timeout = default_timeout());

  // The server must close the connection, possibly after more lines (which go
  // to *before).
  [[nodiscard]] ::testing::AssertionResult expect_closed(std::vector<IrcMessage>* before = nullptr,
                                                         Duration timeout = default_timeout());

  // Registers as `nick` (see IrcRegisterOptions) and reads through the welcome:
  // 001 first, then lines until both the end of LUSERS (255) and of the MOTD
  // (376 or 422) arrived. The welcome lines go to *welcome when given.
  [[nodiscard]] ::testing::AssertionResult register_as(std::string_view nick, IrcRegisterOptions options = {},
                                                       std::vector<IrcMessage>* welcome = nullptr);

  // JOIN `channel` and read through its 366. The lines go to *lines.
  [[nodiscard]] ::testing::AssertionResult join(std::string_view channel, std::vector<IrcMessage>* lines = nullptr);

  const std::string& nick() const { return nick_; }
  void set_nick(std::string nick) { nick_ = std::move(nick); }
  const std::string& label() const { return line_.label(); }
  bool closed() const { return line_.closed(); }
  LineClient& line_client() { return line_; }
  void close() { line_.close(); }
  // The last lines read (most recent last), for failure messages.
  std::string recent() const;

 private:
  std::string describe() const;
  void note(const std::string& line);

  LineClient line_;
  std::string nick_;
  std::vector<std::string> history_;
  int next_token_ = 0;
};

// A fresh IRC connection.
std::unique_ptr<IrcClient> connect_irc(std::uint16_t port, std::string label = {});

// Readable list of lines for failure messages.
std::string describe_lines(const std::vector<IrcMessage>& lines);

}  // namespace parley::test
