#pragma once
// What the reply-order tests (text_reply_order_test.cpp, irc_reply_order_test.cpp)
// share: rounds and rooms, and a check that the answers to a batch of pipelined
// commands arrive in the order the commands were sent.
#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <set>

#include "irc_itest_util.hpp"

namespace parley::test::reply_order {

// Rounds per test, and the time a test may spend on them (it stops early,
// after at least one round, rather than run into ctest's timeout on a slow
// machine).
constexpr int kRounds = 50;
inline Duration rounds_budget() { return scaled(std::chrono::seconds(120)); }

// Several rooms, so that with two loops some have their home on each.
constexpr int kRooms = 8;
inline std::string channel(int i) { return "#room" + std::to_string(i % kRooms); }

// ---------------------------------------------------------------------------
// An expected sequence of lines, and a check of the lines received against it.

// One expected step: `what` names it in failure messages. A step matches one
// line, or (repeat) one or more consecutive lines; with min == 0 it may be
// absent.
template <class Line>
struct Step {
  std::string what;
  std::function<bool(const Line&)> pred;
  int min = 1;
  bool repeat = false;
};

template <class Line>
using Steps = std::vector<Step<Line>>;

using IrcSteps = Steps<IrcMessage>;
using TextSteps = Steps<std::string>;

inline std::string show(const IrcMessage& m) { return printable(m.raw); }
inline std::string show(const std::string& line) { return printable(line); }

// Every step that must occur has a matching line among `got` (in any order):
// everything the batch causes has arrived, however it was ordered.
template <class Line>
bool all_arrived(const std::vector<Line>& got, const Steps<Line>& want) {
  return std::all_of(want.begin(), want.end(),
                     [&](const Step<Line>& s) { return s.min == 0 || std::any_of(got.begin(), got.end(), s.pred); });
}

// Where `got` departs from `want` (nullopt when it follows it exactly).
template <class Line>
std::optional<std::string> departure(const std::vector<Line>& got, const Steps<Line>& want) {
  std::size_t j = 0;
  int count = 0;  // lines matched by want[j] so far
  for (std::size_t i = 0; i < got.size(); ++i) {
    for (;;) {
      if (j == want.size()) return "line " + std::to_string(i) + " (\"" + show(got[i]) + "\") is one too many";
      if (want[j].pred(got[i])) {
        ++count;
        if (!want[j].repeat) {
          ++j;
          count = 0;
        }
        break;
      }
      if (count >= want[j].min) {  // an optional step, or a repeat already seen
        ++j;
        count = 0;
        continue;
      }
      return "line " + std::to_string(i) + " (\"" + show(got[i]) + "\") came where " + want[j].what + " was expected";
    }
  }
  for (; j < want.size(); ++j, count = 0) {
    if (count < want[j].min) return want[j].what + " never arrived";
  }
  return std::nullopt;
}

template <class Line>
std::string describe_steps(const Steps<Line>& want) {
  std::string out;
  for (const auto& s : want) {
    out += "\n    " + s.what;
    if (s.repeat)
      out += s.min == 0 ? " (any number)" : " (one or more)";
    else if (s.min == 0)
      out += " (optional)";
  }
  return out;
}

template <class Line>
std::string describe_got(const std::vector<Line>& got) {
  std::string out;
  for (const auto& l : got) out += "\n    \"" + show(l) + "\"";
  return out.empty() ? " (nothing)" : out;
}

// Reads lines with `next` (each read has its own deadline) until everything
// `want` needs has arrived, in whatever order; then checks the order.
template <class Line>
::testing::AssertionResult receive_lines_in_order(const std::string& who,
                                                  const std::function<std::optional<Line>()>& next,
                                                  const std::function<bool()>& closed, const Steps<Line>& want,
                                                  const std::string& context) {
  std::vector<Line> got;
  while (!all_arrived(got, want)) {
    auto line = next();
    if (!line) break;
    got.push_back(std::move(*line));
  }
  const bool complete = all_arrived(got, want);
  auto problem = departure(got, want);
  if (complete && !problem) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << context << ": " << who << " did not receive the answers to its commands in the order sent: "
          << problem.value_or("some never arrived");
  if (!complete) {
    failure << (closed() ? " (then the server closed the connection)"
                         : " (then nothing more arrived within " + std::to_string(default_timeout().count()) + " ms)");
  }
  failure << "\n  received, in order:" << describe_got(got) << "\n  expected, in order:" << describe_steps(want);
  return failure;
}

inline ::testing::AssertionResult receive_in_order(IrcClient& c, const IrcSteps& want, const std::string& context) {
  return receive_lines_in_order<IrcMessage>(
      "IRC client '" + c.label() + "'", [&c] { return c.next(default_timeout()); }, [&c] { return c.closed(); }, want,
      context);
}

inline ::testing::AssertionResult receive_in_order(LineClient& c, const TextSteps& want, const std::string& context) {
  return receive_lines_in_order<std::string>(
      "text client '" + c.label() + "'", [&c] { return c.read_line(default_timeout()); }, [&c] { return c.closed(); },
      want, context);
}

// The next lines of `c`, in any order, must be exactly `lines` (for what a
// peer receives from two different places, whose order is not fixed).
inline ::testing::AssertionResult receive_as_set(LineClient& c, std::multiset<std::string> lines, const std::string& context) {
  std::vector<std::string> got;
  std::multiset<std::string> missing = lines;
  while (!missing.empty()) {
    auto line = c.read_line(default_timeout());
    if (!line) break;
    got.push_back(*line);
    auto it = missing.find(*line);
    if (it == missing.end()) break;
    missing.erase(it);
  }
  if (missing.empty()) return ::testing::AssertionSuccess();
  std::string expected;
  for (const auto& l : lines) expected += "\n    \"" + printable(l) + "\"";
  return ::testing::AssertionFailure() << context << ": text client '" << c.label()
                                       << "' did not receive the expected lines (in any order)\n  received:"
                                       << describe_got(got) << "\n  expected:" << expected;
}

inline std::string round_name(int round) { return "round " + std::to_string(round); }

}  // namespace parley::test::reply_order
