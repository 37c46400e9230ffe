#include "session/first_lines_switch.h"

namespace parley::session {
namespace {

// Lines a classifier may ask to see before it must decide: IRC's NICK then
// USER is two. More is text.
constexpr std::size_t kMostHeldLines = 2;

}  // namespace

FirstLinesSwitch::FirstLinesSwitch(Outbound& out, MakeSession make_first, MakeSession make_other, Classify classify,
                                   Post post, std::string answer)
    : out_(out),
      make_other_(std::move(make_other)),
      classify_(std::move(classify)),
      post_(std::move(post)),
      answer_(std::move(answer)),
      current_(make_first(*this)) {}

FirstLinesSwitch::~FirstLinesSwitch() = default;

void FirstLinesSwitch::start() { current_->start(); }

void FirstLinesSwitch::on_line(std::string_view line) {
  if (closed_) return;
  if (!deciding_) return current_->on_line(line);
  held_.emplace_back(line);
  const Verdict verdict = classify_(held_);
  if (verdict == Verdict::undecided && held_.size() < kMostHeldLines) return;
  decide(verdict == Verdict::undecided ? Verdict::stay : verdict);
}

void FirstLinesSwitch::decide(Verdict verdict) {
  deciding_ = false;
  if (verdict == Verdict::answer_and_close) {
    held_.clear();
    out_.count_rejected(Rejection::wrong_protocol);
    out_.send(answer_);
    out_.close_after_flush(CloseReason::client_left);
    return;
  }
  if (verdict == Verdict::hand_over) {
    // The first session only greeted (it was given no line): it leaves
    // nothing behind, and the other one starts as on a port of its own.
    current_.reset();
    current_ = make_other_(*this);
    current_->start();
  }
  replay();
}

void FirstLinesSwitch::replay() {
  std::size_t given = 0;
  while (given < held_.size() && holds_ == 0 && !closed_) current_->on_line(held_[given++]);
  held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(given));
  if (held_.empty() && input_ended_ && holds_ == 0 && !closed_) {
    input_ended_ = false;
    current_->on_input_ended();
  }
}

void FirstLinesSwitch::on_line_too_long(std::size_t limit) {
  if (closed_) return;
  if (deciding_) decide(Verdict::stay);  // nobody's registration line is that long
  if (!held_.empty()) return;  // (cannot happen: the transport hands no line while a replayed one holds)
  current_->on_line_too_long(limit);
}

void FirstLinesSwitch::on_idle() {
  if (!closed_) current_->on_idle();
}

void FirstLinesSwitch::on_input_ended() {
  if (closed_) return;
  if (deciding_) decide(Verdict::stay);  // a lone NICK line was a name after all
  input_ended_ = true;
  replay();
}

void FirstLinesSwitch::on_closed(CloseReason reason) {
  if (closed_) return;
  closed_ = true;
  held_.clear();
  current_->on_closed(reason);
}

void FirstLinesSwitch::hold_input() {
  ++holds_;
  out_.hold_input();
}

void FirstLinesSwitch::resume_input() {
  if (holds_ == 0) return;
  if (--holds_ > 0 || (held_.empty() && !input_ended_)) return out_.resume_input();
  // Lines held back come before anything the transport has: give them from
  // a task of their own (never inside the caller), then let the transport go on.
  post_([this, alive = std::weak_ptr<int>(alive_)] {
    if (alive.expired()) return;
    replay();
    out_.resume_input();
  });
}

}  // namespace parley::session
