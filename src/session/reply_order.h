#pragma once
// Replies in command order (DESIGN.md, "Threads and ownership"): each client
// sees the effects of its own commands in the order it sent them, whichever
// loop decided them. A codec passes all its output through one ReplyOrder.
//
// Output is attributed to a command (the one being run, or the one an answer
// from another loop belongs to: Member::answering, RoomEvent::cause), or to
// none (what others did). A command's output waits behind every earlier
// command that still expects answers; output that is no command's goes out at
// once, unless it belongs to a stream (a room) whose later output is already
// waiting: then it waits right behind that, so a room's one order holds too.
// When nothing waits (the usual case), bytes go straight to the transport.
//
// Not thread-safe: one per session, on the session's loop.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "session/outbound.h"

namespace parley::session {

class ReplyOrder {
 public:
  using Command = std::uint64_t;  // core::CommandId; 0: no command
  using Wrap = std::function<std::string(std::string_view own)>;

  explicit ReplyOrder(Outbound& out) : out_(out) {}

  // Command `command` starts: output belongs to it until end().
  void begin(Command command);
  // Its handler has returned; `complete` when nothing it asked is outstanding
  // (else settled() follows).
  void end(bool complete);
  // Output from now on answers `command` (0: none), until the next call.
  void answering(Command command) { answering_ = command; }
  // Every answer `command` awaited has arrived.
  void settled(Command command);

  // Queues bytes for the peer, in order as described above. `stream` names
  // what the bytes are about (a room's key), for output that answers no command.
  void send(std::string_view bytes, std::string_view stream = {}) {
    // The usual case, once per delivery: nothing waits, so nothing to order.
    if (!pending_) {
      if (!bytes.empty()) out_.send(bytes);
      return;
    }
    send_in_order(bytes, stream);
  }
  // As send(), for output of no command that may wait a moment for a shared
  // write (Outbound::send_unhurried); when something waits, exactly send().
  void send_unhurried(std::string_view bytes, std::string_view stream) {
    send_as(&Outbound::send_unhurried, bytes, stream);
  }
  // As send_unhurried(), for others' messages in a room (Outbound::send_relayed).
  void send_relayed(std::string_view bytes, std::string_view stream) {
    send_as(&Outbound::send_relayed, bytes, stream);
  }
  // Runs `action` once everything the current command (and every command
  // before it) has sent is out; at once when nothing waits. For a closing.
  void then(std::function<void()> action);
  // Runs `action` once everything every command so far has caused is out; at
  // once when nothing waits. For a close when input ends.
  void after_all(std::function<void()> action);
  // The current command's own output is sent as wrap(all of it) when it is
  // complete (IRC's labeled-response); what others did meanwhile follows it.
  void wrap(Wrap wrap);
  // Forgets everything queued (the connection is gone).
  void drop() { release(); }
  bool waiting() const { return pending_ && !pending_->slots.empty(); }

 private:
  struct Slot {
    Command command = 0;
    bool done = false;
    std::string own;     // the command's output, held until the slot is at the head
    std::string others;  // output of no command, held behind it (wrapped slots only)
    std::vector<std::string> streams;  // streams whose output this slot holds
    std::function<void()> action;
    Wrap wrap;
  };
  // What waits, while anything does.
  struct Pending {
    std::deque<Slot> slots;
    // Slots whose `streams` is not empty: while none is, others' output (a
    // room's messages to a sender whose own commands wait) searches nothing.
    std::size_t holding_streams = 0;
  };
  Command current() const { return answering_ != 0 ? answering_ : running_; }
  void send_in_order(std::string_view bytes, std::string_view stream);
  // send()'s rule, for output of no command that the transport may batch (`how`).
  void send_as(void (Outbound::*how)(std::string_view), std::string_view bytes, std::string_view stream) {
    if (!pending_) {
      if (!bytes.empty()) (out_.*how)(bytes);
      return;
    }
    send_in_order(bytes, stream);
  }
  Slot* find(Command command);
  // Nothing waits any more: pending_ goes back to its thread's spares
  // (core/spares.h), since nearly every room message makes one.
  void release();
  // The slot for `command`, made at the tail when missing.
  Slot& slot_for(Command command);
  bool is_head(const Slot& slot) const { return &pending_->slots.front() == &slot; }
  // Sends what the head holds, and pops finished slots.
  void flush();

  Outbound& out_;
  Command running_ = 0;    // between begin and end
  Command answering_ = 0;  // Member::answering
  std::unique_ptr<Pending> pending_;  // null while nothing waits: idle sessions hold nothing
};

// Runs one input line as a command: the hub numbers it (begin_command), and
// `order` keeps its answers in place until the hub says whether it is settled.
// Both codecs run every line through here. (A template on the hub's type, so
// this header needs no core header.)
template <class Hub, class SessionRef, class Fn>
void run_command(Hub& hub, SessionRef who, ReplyOrder& order, Fn&& fn) {
  order.begin(hub.begin_command(who));
  fn();
  order.end(hub.end_command(who));  // true for a session fn detached: nothing more will come
}

// While it lives, output through `order` answers `command` (0: no command of
// the client's): how a codec hands over an event its own command caused.
class Answering {
 public:
  Answering(ReplyOrder& order, ReplyOrder::Command command) : order_(order) { order_.answering(command); }
  ~Answering() { order_.answering(0); }
  Answering(const Answering&) = delete;
  Answering& operator=(const Answering&) = delete;

 private:
  ReplyOrder& order_;
};

}  // namespace parley::session
