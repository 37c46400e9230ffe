#include "session/reply_order.h"

#include <algorithm>
#include <utility>

#include "core/spares.h"

namespace parley::session {

ReplyOrder::Slot* ReplyOrder::find(Command command) {
  if (!pending_ || command == 0) return nullptr;
  auto& slots = pending_->slots;
  auto it = std::find_if(slots.begin(), slots.end(), [&](const Slot& s) { return s.command == command; });
  return it == slots.end() ? nullptr : &*it;
}

ReplyOrder::Slot& ReplyOrder::slot_for(Command command) {
  if (Slot* s = find(command)) return *s;
  if (!pending_) pending_ = core::Spares<Pending>::take();
  pending_->slots.push_back(Slot{});
  pending_->slots.back().command = command;
  return pending_->slots.back();
}

void ReplyOrder::release() {
  if (!pending_) return;
  pending_->slots.clear();  // keeps the deque's first block for the next
  pending_->holding_streams = 0;
  core::Spares<Pending>::give_back(std::move(pending_));
}

void ReplyOrder::begin(Command command) {
  running_ = command;
  answering_ = 0;
}

void ReplyOrder::end(bool complete) {
  const Command command = std::exchange(running_, 0);
  if (complete) return settled(command);
  // Answers will come: they must wait for this command's place, and later
  // commands' output behind it.
  if (command != 0) slot_for(command);
}

void ReplyOrder::settled(Command command) {
  if (Slot* s = find(command)) {
    s->done = true;
    flush();
  }
}

void ReplyOrder::send_in_order(std::string_view bytes, std::string_view stream) {
  if (bytes.empty()) return;
  const Command command = current();
  if (command != 0) {
    Slot* s = find(command);
    if (!s) {
      if (!waiting()) return out_.send(bytes);  // nothing ahead of it
      s = &slot_for(command);
    }
    if (!stream.empty() && std::find(s->streams.begin(), s->streams.end(), stream) == s->streams.end()) {
      if (s->streams.empty()) ++pending_->holding_streams;
      s->streams.emplace_back(stream);
    }
    if (is_head(*s) && !s->wrap) return out_.send(bytes);
    s->own.append(bytes);
    return;
  }
  // No command's: behind the last slot holding the same stream, if any.
  if (waiting() && !stream.empty() && pending_->holding_streams > 0) {
    for (auto it = pending_->slots.rbegin(); it != pending_->slots.rend(); ++it) {
      if (std::find(it->streams.begin(), it->streams.end(), stream) == it->streams.end()) continue;
      if (is_head(*it) && !it->wrap) break;  // what an unwrapped head holds is out already
      (it->wrap ? it->others : it->own).append(bytes);
      return;
    }
  }
  out_.send(bytes);
}

void ReplyOrder::then(std::function<void()> action) {
  const Command command = current();
  if (!waiting() || command == 0) return action();
  Slot& s = slot_for(command);
  if (s.action) {
    auto first = std::move(s.action);
    s.action = [first = std::move(first), action = std::move(action)] {
      first();
      action();
    };
  } else {
    s.action = std::move(action);
  }
  if (is_head(s) && s.done) flush();
}

void ReplyOrder::after_all(std::function<void()> action) {
  if (!waiting()) return action();
  // Commands run one at a time, so the last slot is the latest command.
  const Command last = pending_->slots.back().command;
  const Command saved = std::exchange(answering_, last);
  then(std::move(action));
  answering_ = saved;
}

void ReplyOrder::wrap(Wrap wrap) {
  const Command command = current();
  if (command == 0) return;
  slot_for(command).wrap = std::move(wrap);
}

void ReplyOrder::flush() {
  while (waiting()) {
    Slot& head = pending_->slots.front();
    if (!head.wrap && !head.own.empty()) {
      out_.send(head.own);
      head.own.clear();
    }
    if (!head.done) return;
    if (head.wrap) {
      out_.send(head.wrap(head.own));
      if (!head.others.empty()) out_.send(head.others);
    }
    auto action = std::move(head.action);
    if (!head.streams.empty()) --pending_->holding_streams;
    pending_->slots.pop_front();
    if (pending_->slots.empty()) release();
    if (action) {  // a closing: nothing after it is sent
      release();
      return action();
    }
  }
}

}  // namespace parley::session
