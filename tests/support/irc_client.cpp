#include "irc_client.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "text_util.hpp"

namespace parley::test {

namespace {

std::string unescape_tag(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\') {
      out += v[i];
      continue;
    }
    if (++i == v.size()) break;
    switch (v[i]) {
      case ':':
        out += ';';
        break;
      case 's':
        out += ' ';
        break;
      case 'r':
        out += '\r';
        break;
      case 'n':
        out += '\n';
        break;
      default:
        out += v[i];
        break;
    }
  }
  return out;
}

std::string_view skip_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

std::string_view take_word(std::string_view& s) {
  auto space = s.find(' ');
  std::string_view word = s.substr(0, space);
  s = space == std::string_view::npos ? std::string_view() : s.substr(space);
  return word;
}

const std::string kEmpty;

// `line` for a failure message, cut to its first bytes when long.
std::string abbreviated(std::string_view line, std::size_t keep = 160) {
  if (line.size() <= keep) return printable(line);
  return printable(line.substr(0, keep)) + "... (" + std::to_string(line.size()) + " bytes)";
}

}  // namespace

const std::string& IrcMessage::param(std::size_t i) const { return i < params.size() ? params[i] : kEmpty; }
const std::string& IrcMessage::last() const { return params.empty() ? kEmpty : params.back(); }
std::string IrcMessage::source_nick() const { return source.substr(0, source.find('!')); }
const std::string* IrcMessage::tag(const std::string& key) const {
  auto it = tags.find(key);
  return it == tags.end() ? nullptr : &it->second;
}

std::optional<IrcMessage> parse_irc_line(std::string_view line) {
  IrcMessage m;
  m.raw = std::string(line);
  std::string_view rest = line;
  if (!rest.empty() && rest.front() == '@') {
    m.has_tags = true;
    rest.remove_prefix(1);
    std::string_view tags = take_word(rest);
    while (!tags.empty()) {
      auto semi = tags.find(';');
      std::string_view tag = tags.substr(0, semi);
      tags = semi == std::string_view::npos ? std::string_view() : tags.substr(semi + 1);
      auto eq = tag.find('=');
      m.tags[std::string(tag.substr(0, eq))] = eq == std::string_view::npos ? "" : unescape_tag(tag.substr(eq + 1));
    }
  }
  rest = skip_spaces(rest);
  if (!rest.empty() && rest.front() == ':') {
    rest.remove_prefix(1);
    m.source = std::string(take_word(rest));
  }
  rest = skip_spaces(rest);
  m.command = std::string(take_word(rest));
  if (m.command.empty()) return std::nullopt;
  for (;;) {
    rest = skip_spaces(rest);
    if (rest.empty()) break;
    if (rest.front() == ':') {
      m.params.emplace_back(rest.substr(1));
      break;
    }
    m.params.emplace_back(take_word(rest));
  }
  return m;
}

IrcPredicate irc_command(std::string command) {
  return [command = std::move(command)](const IrcMessage& m) { return m.command == command; };
}

IrcPredicate irc_command_param(std::string command, std::size_t i, std::string value) {
  return [command = std::move(command), i, value = std::move(value)](const IrcMessage& m) {
    return m.command == command && m.param(i) == value;
  };
}

IrcPredicate irc_raw(std::string line) {
  return [line = std::move(line)](const IrcMessage& m) {
    std::string_view body = m.raw;
    if (m.has_tags) body = body.substr(std::min(body.size(), body.find(' ') + 1));
    return body == line;
  };
}

IrcPredicate irc_any_of(std::vector<std::string> commands) {
  return [commands = std::move(commands)](const IrcMessage& m) {
    return std::find(commands.begin(), commands.end(), m.command) != commands.end();
  };
}

std::string describe_lines(const std::vector<IrcMessage>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n    \"" + abbreviated(l.raw, 600) + "\"";
  return out.empty() ? " (none)" : out;
}

IrcClient::IrcClient(std::uint16_t port, std::string label, ClientOptions options)
    : line_(port, [&] {
        options.label = std::move(label);
        return std::move(options);
      }()) {}

std::unique_ptr<IrcClient> connect_irc(std::uint16_t port, std::string label) {
  return std::make_unique<IrcClient>(port, std::move(label));
}

void IrcClient::send(std::string_view line) {
  std::string bytes(line);
  bytes += "\r\n";
  line_.send_raw(bytes);
}

void IrcClient::send_raw(std::string_view bytes) { line_.send_raw(bytes); }
int IrcClient::try_send_raw(std::string_view bytes) { return line_.try_send_raw(bytes); }

std::string IrcClient::describe() const {
  return "IRC client '" + line_.label() + "' (" + line_.local_endpoint() + ")";
}

void IrcClient::note(const std::string& line) {
  history_.push_back(line);
  if (history_.size() > 30) history_.erase(history_.begin());
}

std::string IrcClient::recent() const {
  std::string out;
  std::size_t first = history_.size() > 8 ? history_.size() - 8 : 0;
  for (std::size_t i = first; i < history_.size(); ++i) out += "\n    \"" + abbreviated(history_[i], 600) + "\"";
  return out.empty() ? " (none)" : out;
}

std::optional<IrcMessage> IrcClient::next(Duration timeout) {
  auto r = line_.read(timeout);
  if (r.status != LineClient::Status::line) return std::nullopt;
  std::string line = std::move(r.line);
  // Every server line ends in CR LF (modern IRC: "ensure that a pair of \r\n
  // characters follows every single message your software sends out").
  if (line.empty() || line.back() != '\r') {
    ADD_FAILURE() << describe() << " received a line that does not end in \\r\\n: \"" << printable(line) << "\"";
  } else {
    line.pop_back();
  }
  // 512 bytes, CR LF included, for everything after the tag section.
  std::string_view body = line;
  if (!body.empty() && body.front() == '@') body = body.substr(std::min(body.size(), body.find(' ') + 1));
  if (body.size() + 2 > 512) {
    ADD_FAILURE() << describe() << " received a line of " << body.size() + 2
                  << " bytes (CR LF included, tags excluded), over 512: \"" << abbreviated(line) << "\"";
  }
  note(line);
  auto parsed = parse_irc_line(line);
  if (!parsed) {
    ADD_FAILURE() << describe() << " received a line with no command: \"" << printable(line) << "\"";
    IrcMessage m;
    m.raw = line;
    return m;
  }
  return parsed;
}

::testing::AssertionResult IrcClient::expect(const IrcPredicate& pred, std::string_view what, IrcMessage* out,
                                             Duration timeout) {
  auto m = next(timeout);
  if (m && pred(*m)) {
    if (out != nullptr) *out = std::move(*m);
    return ::testing::AssertionSuccess();
  }
  auto failure = ::testing::AssertionFailure();
  failure << describe() << " expected " << what << " as its next line\n";
  if (m) {
    failure << "  but received\n    \"" << printable(m->raw) << "\"";
  } else if (line_.closed()) {
    failure << "  but the server closed the connection";
  } else {
    failure << "  but nothing arrived within " << timeout.count() << " ms";
  }
  failure << "\n  recent lines (oldest first):" << recent();
  return failure;
}

::testing::AssertionResult IrcClient::expect_raw(std::string_view line, Duration timeout) {
  return expect(irc_raw(std::string(line)), "\"" + printable(line) + "\"", nullptr, timeout);
}

::testing::AssertionResult IrcClient::expect_command(std::string_view command, IrcMessage* out, Duration timeout) {
  return expect(irc_command(std::string(command)), "a " + std::string(command) + " line", out, timeout);
}

::testing::AssertionResult IrcClient::wait_for(const IrcPredicate& pred, std::string_view what, IrcMessage* out,
                                               std::vector<IrcMessage>* skipped, Duration timeout) {
  auto deadline = Clock::now() + timeout;
  std::vector<IrcMessage> local;
  for (;;) {
    auto m = next(remaining(deadline));
    if (!m) break;
    if (pred(*m)) {
      if (out != nullptr) *out = std::move(*m);
      if (skipped != nullptr) skipped->insert(skipped->end(), local.begin(), local.end());
      return ::testing::AssertionSuccess();
    }
    local.push_back(std::move(*m));
  }
  auto failure = ::testing::AssertionFailure();
  failure << describe() << " waited for " << what;
  if (line_.closed()) {
    failure << " but the server closed the connection";
  } else {
    failure << " but it did not arrive within " << timeout.count() << " ms";
  }
  failure << "\n  lines received meanwhile:" << describe_lines(local);
  if (skipped != nullptr) skipped->insert(skipped->end(), local.begin(), local.end());
  return failure;
}

::testing::AssertionResult IrcClient::wait_for_command(std::string_view command, IrcMessage* out,
                                                       std::vector<IrcMessage>* skipped, Duration timeout) {
  return wait_for(irc_command(std::string(command)), "a " + std::string(command) + " line", out, skipped, timeout);
}

::testing::AssertionResult IrcClient::sync(std::vector<IrcMessage>* before, Duration timeout) {
  std::string token = "sync-" + std::to_string(++next_token_);
  send("PING :" + token);
  return wait_for(irc_command_param("PONG", 1, token), "PONG for " + token, nullptr, before, timeout);
}

::testing::AssertionResult IrcClient::expect_closed(std::vector<IrcMessage>* before, Duration timeout) {
  auto deadline = Clock::now() + timeout;
  std::vector<IrcMessage> local;
  for (;;) {
    auto m = next(remaining(deadline));
    if (!m) break;
    local.push_back(std::move(*m));
  }
  if (before != nullptr) before->insert(before->end(), local.begin(), local.end());
  if (line_.closed()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe()
                                       << " expected the server to close the connection, but it stayed open for "
                                       << timeout.count() << " ms; lines received:" << describe_lines(local);
}

::testing::AssertionResult IrcClient::register_as(std::string_view nick, IrcRegisterOptions options,
                                                  std::vector<IrcMessage>* welcome) {
  const bool negotiate = options.cap_ls || !options.caps.empty();
  if (negotiate) send("CAP LS 302");
  send("NICK " + std::string(nick));
  send("USER " + options.user + " 0 * :" + options.real_name);
  if (negotiate) {
    IrcMessage ls;
    if (auto r = expect(irc_command_param("CAP", 1, "LS"), "CAP * LS", &ls); !r) return r;
    if (!options.caps.empty()) {
      send("CAP REQ :" + options.caps);
      IrcMessage ack;
      if (auto r = expect(irc_command_param("CAP", 1, "ACK"), "CAP * ACK :" + options.caps, &ack); !r) return r;
      if (ack.last() != options.caps) {
        return ::testing::AssertionFailure()
               << describe() << " asked for \"" << options.caps << "\" but got \"" << printable(ack.raw) << "\"";
      }
    }
    send("CAP END");
  }
  IrcMessage first;
  if (auto r = expect(irc_command("001"), "001 (RPL_WELCOME)", &first); !r)
    return r << "\n  (registering " << nick << ")";
  nick_ = first.param(0);
  if (welcome != nullptr) welcome->push_back(first);
  bool lusers = false, motd = false;
  auto deadline = Clock::now() + default_timeout();
  while (!(lusers && motd)) {
    IrcMessage m;
    if (auto r = wait_for(irc_any_of({"255", "376", "422"}), "the end of LUSERS (255) and of the MOTD (376/422)", &m,
                          welcome, remaining(deadline));
        !r) {
      return r << "\n  (registering " << nick << ")";
    }
    if (m.command == "255")
      lusers = true;
    else
      motd = true;
    if (welcome != nullptr) welcome->push_back(m);
  }
  if (line_.label() == line_.local_endpoint()) line_.set_label(nick_);
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IrcClient::join(std::string_view channel, std::vector<IrcMessage>* lines) {
  send("JOIN " + std::string(channel));
  std::vector<IrcMessage> local;
  IrcMessage joined;
  auto own_join = [this, channel = std::string(channel)](const IrcMessage& m) {
    return m.command == "JOIN" && m.source_nick() == nick_ && m.param(0) == channel;
  };
  if (auto r = wait_for(own_join, "its own JOIN " + std::string(channel), &joined, &local); !r) return r;
  local.push_back(joined);
  IrcMessage end;
  if (auto r =
          wait_for(irc_command_param("366", 1, std::string(channel)), "366 for " + std::string(channel), &end, &local);
      !r) {
    return r;
  }
  local.push_back(end);
  if (lines != nullptr) lines->insert(lines->end(), local.begin(), local.end());
  return ::testing::AssertionSuccess();
}

}  // namespace parley::test
