#pragma once
// A port that can hand a connection to another codec after its first lines:
// the text port gives an IRC client to the IRC codec, and answers a browser.
// The first session starts at once (the seed's greeting goes out on connect);
// its first lines are held back until the classifier decides, then go, in
// order, to whichever session keeps the connection. Sits between the
// transport and the sessions: it is their Outbound, and honours their input
// holds for the lines it replays, so a name being claimed holds the next
// line as the transport would. Lives on the connection's loop.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "session/outbound.h"
#include "session/protocol_session.h"

namespace parley::session {

class FirstLinesSwitch final : public ProtocolSession, public Outbound {
 public:
  enum class Verdict { undecided, stay, hand_over, answer_and_close };
  using Classify = std::function<Verdict(const std::vector<std::string>& first_lines)>;
  using MakeSession = std::function<std::unique_ptr<ProtocolSession>(Outbound&)>;
  // Runs a task later on this connection's loop.
  using Post = std::function<void(std::function<void()>)>;

  // `answer`: what answer_and_close sends before closing.
  FirstLinesSwitch(Outbound& out, MakeSession make_first, MakeSession make_other, Classify classify, Post post,
                   std::string answer);
  ~FirstLinesSwitch() override;

  // ProtocolSession, from the transport.
  void start() override;
  void on_line(std::string_view line) override;
  void on_line_too_long(std::size_t limit) override;
  bool registered() const override { return current_->registered(); }
  void on_idle() override;
  void on_input_ended() override;
  void on_closed(CloseReason reason) override;
  std::string log_name() const override { return current_->log_name(); }

  // Outbound, from the sessions inside.
  void send(std::string_view bytes) override { out_.send(bytes); }
  void close_after_flush(CloseReason reason) override { out_.close_after_flush(reason); }
  void hold_input() override;
  void resume_input() override;
  void count_rejected(Rejection reason) override { out_.count_rejected(reason); }

 private:
  void decide(Verdict verdict);
  // Gives held lines to the current session while it holds none; then the
  // end of input, if it came meanwhile.
  void replay();

  Outbound& out_;
  MakeSession make_other_;
  Classify classify_;
  Post post_;
  std::string answer_;
  std::unique_ptr<ProtocolSession> current_;
  std::vector<std::string> held_;  // before the verdict: the lines it looks at; after: lines not yet replayed
  bool deciding_ = true;
  bool closed_ = false;
  bool input_ended_ = false;  // the peer half-closed: tell the session once held lines are in
  int holds_ = 0;             // the inner session's holds, each passed on to the transport
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // posted tasks run only while this lives
};

}  // namespace parley::session
