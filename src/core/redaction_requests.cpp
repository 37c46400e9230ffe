// Redaction: one line of a room's history removed by its sender or an
// operator. The line is looked up where history is kept (after every line
// recorded before is committed, so a message just sent can be removed), the
// room's home loop decides who may, the line is removed, and only then do the
// members hear of it: whoever reads history after seeing the REDACT no longer
// finds the line.
#include "core/room_requests.h"

namespace parley::core {

void RoomRequests::redact(SessionRef who, const std::string& room_key, std::string msgid, std::string reason,
                          Refused refused) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!s->in_room(room_key) && !s->identity->presence.server_operator) return refused(Refusal::not_in_room);
  if (!state_.history || !state_.history_edits || !state_.offload) return refused(Refusal::history_unavailable);
  const Ticket ticket = state_.answers().open(*s);
  struct Job {
    Ticket ticket;
    std::string room_key, msgid, reason;
    SharedIdentity identity;
    Refused refused;
  };
  auto job = std::make_shared<Job>(Job{ticket, room_key, std::move(msgid), std::move(reason), s->identity, std::move(refused)});
  auto refuse = [this](const std::shared_ptr<Job>& j, Refusal no) {
    state_.answers().answer(j->ticket, [j, no](LocalSession&) { j->refused(no); });
  };
  // On the offload thread: once removed, the room announces it.
  auto remove_then_announce = [this, refuse](std::shared_ptr<Job> j) {
    try {
      if (!state_.history_edits->remove(j->room_key, j->msgid)) return refuse(j, Refusal::no_such_message);
    } catch (const std::exception&) {
      return refuse(j, Refusal::history_unavailable);
    }
    // The job's last use of its refusal: the room's decision answers from here.
    decide(j->ticket, j->room_key, std::move(j->refused), [j](Room& r) -> Result<Room::EventPtr> {
      return r.redact(j->ticket.who, j->msgid, j->reason, j->identity);
    });
  };
  // On the home loop: who may.
  auto check = [this, refuse, remove_then_announce](std::shared_ptr<Job> j, KeptLine line) {
    state_.post(state_.home_of(j->room_key), [this, j, line = std::move(line), refuse, remove_then_announce] {
      Room* r = state_.room(j->room_key);
      if (!r) return refuse(j, Refusal::not_in_room);
      if (auto no = r->may_redact(j->ticket.who, *j->identity, line.account)) return refuse(j, *no);
      state_.offload([j, remove_then_announce] { remove_then_announce(j); });
    });
  };
  // On the offload thread: what the line is.
  auto find = [this, refuse, check](std::shared_ptr<Job> j) {
    std::optional<KeptLine> line;
    try {
      line = state_.history_edits->find(j->room_key, j->msgid);
    } catch (const std::exception&) {
      return refuse(j, Refusal::history_unavailable);
    }
    using Kind = HistoryLine::Kind;
    // Only what was said (joins and topics are not messages to take back).
    if (!line || (line->kind != Kind::message && line->kind != Kind::action && line->kind != Kind::notice))
      return refuse(j, Refusal::no_such_message);
    check(j, std::move(*line));
  };
  // after_commit runs on the history's writer thread: only hand the job on from there.
  state_.history->after_commit([this, job, find] { state_.offload([job, find] { find(job); }); });
}

}  // namespace parley::core
