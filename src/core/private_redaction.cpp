// Redaction of a private message (IRCv3 draft/message-redaction): its
// sender, by account, takes it back. The line is looked up in the kept
// conversation (after every line recorded before is committed, so a message
// just sent can be taken back), removed, and only then is the recipient told:
// whoever reads history after seeing the REDACT no longer finds the line.
// Only the sender may: the recipient received it, and a conversation has no
// operator to moderate it. Every session of either account hears of it,
// but the one that asked (it gets its answer); in a cluster, on every node,
// each of which removes its own copy first (redaction_from_another_node).
#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/directory_requests.h"
#include "core/message_id.h"
#include "core/unicode.h"

namespace parley::core {
DirectoryRequests::Sent DirectoryRequests::redact_private(SessionRef who, std::string_view target, std::string msgid,
                                                          std::string reason, Callback<Done> done) {
  LocalSession* s = state_.find(who);
  if (!s) return {};
  auto name = check_user_name(target, state_.limits().name_chars);
  if (!name.ok()) {
    done(Refusal::no_such_user);
    return {};
  }
  if (!state_.history || !state_.history_edits || !state_.offload) {
    done(Refusal::history_unavailable);
    return {};
  }
  const std::string& account = s->identity->presence.account;
  // Private messages are kept only between accounts: nothing of this one's.
  if (account.empty()) {
    done(Refusal::no_such_message);
    return {};
  }
  const WallTime now = std::chrono::system_clock::now();
  std::string id = timed_message_id(
      fmt::format("p{}-{:x}-{:x}-{:x}", state_.id_stamp(), who.loop, who.id, ++s->private_sent), now);
  const Sent sent{id, now};
  struct Job {
    Ticket ticket;
    std::string conversation;  // the history target
    std::string other_account;
    PrivateRedaction redaction;
    Callback<Done> done;
  };
  auto job = std::make_shared<Job>(Job{state_.answers().open(*s), private_history_key(account, target),
                                       std::string(target),
                                       PrivateRedaction{s->identity, std::string(target), std::move(msgid),
                                                        std::move(reason), sent.time, std::move(id)},
                                       std::move(done)});
  auto reply = [this](const std::shared_ptr<Job>& j, Result<Done> r) {
    state_.answers().reply<Done>(j->ticket, std::move(j->done), std::move(r));
  };
  // On the registry loop: every session of the account the conversation is
  // with, and the sender's account's other sessions (multiclient: each saw
  // the conversation, or reads it from history), are told, here and, through
  // the backplane, on every other node; the sender's answer comes once they
  // all have been here and Redis has it.
  auto tell = [this, reply](std::shared_ptr<Job> j) {
    state_.post(HubState::kRegistryLoop, [this, j, reply] {
      auto remaining = std::make_shared<std::size_t>(state_.backplane ? 2 : 1);
      auto one_done = [j, reply, remaining] {
        if (--*remaining == 0) reply(j, Done{});
      };
      if (state_.backplane) {
        state_.backplane->send_private_redaction(j->redaction, j->other_account, [this, one_done] {
          state_.post(HubState::kRegistryLoop, one_done);
        });
      }
      tell_redaction(j->redaction, j->other_account, j->ticket.who, one_done);
    });
  };
  // On the offload thread: the line, whose it is, and away with it.
  auto remove = [this, reply, tell](std::shared_ptr<Job> j) {
    try {
      const std::optional<KeptLine> line = state_.history_edits->find(j->conversation, j->redaction.msgid);
      using Kind = HistoryLine::Kind;
      if (!line || (line->kind != Kind::message && line->kind != Kind::action && line->kind != Kind::notice))
        return reply(j, Refusal::no_such_message);
      if (!same_account(line->account, j->redaction.sender->presence.account)) return reply(j, Refusal::not_operator);
      if (!state_.history_edits->remove(j->conversation, j->redaction.msgid)) return reply(j, Refusal::no_such_message);
    } catch (const std::exception&) {
      return reply(j, Refusal::history_unavailable);
    }
    tell(j);
  };
  // after_commit runs on the history's writer thread: only hand the job on from there.
  state_.history->after_commit([this, job, remove] { state_.offload([job, remove] { remove(job); }); });
  return sent;
}

void DirectoryRequests::tell_redaction(const PrivateRedaction& redaction, const std::string& other_account,
                                       std::optional<SessionRef> except, std::function<void()> done) {
  const std::string& sender_account = redaction.sender->presence.account;
  std::map<LoopIndex, std::vector<SessionRef>> by_loop;
  state_.directory().for_each_user([&](SessionRef s, const Identity& identity) {
    const std::string& account = identity.presence.account;
    if (s == except || account.empty()) return;
    if (same_account(account, other_account) || same_account(account, sender_account)) by_loop[s.loop].push_back(s);
  });
  if (by_loop.empty()) return done();
  auto remaining = std::make_shared<std::size_t>(by_loop.size());
  for (auto& [loop, sessions] : by_loop) {
    // Each loop says when it is done on the registry loop, which alone counts.
    state_.post(loop, [this, redaction, remaining, done, sessions = std::move(sessions)] {
      for (SessionRef s : sessions) {
        if (LocalSession* t = state_.find(s)) t->member->on_private_redaction(redaction);
      }
      state_.post(HubState::kRegistryLoop, [remaining, done] {
        if (--*remaining == 0) done();
      });
    });
  }
}

void DirectoryRequests::redaction_from_another_node(PrivateRedaction redaction, std::string other_account) {
  auto tell = [this, redaction, other_account] {
    state_.post(HubState::kRegistryLoop, [this, redaction, other_account] {
      tell_redaction(redaction, other_account, std::nullopt, [] {});
    });
  };
  if (!state_.history || !state_.history_edits || !state_.offload) return tell();
  // Each side's node keeps its copy of a private line (per-node storage):
  // this one goes too, before anyone here hears of it, as on the sender's
  // node. It is removed only if it is the sender's (by account). With shared
  // storage the sender's node removed the one copy already: nothing is found.
  const std::string& sender_account = redaction.sender->presence.account;
  auto remove = [this, tell, conversation = private_history_key(sender_account, other_account),
                 msgid = redaction.msgid, sender_account] {
    try {
      const std::optional<KeptLine> line = state_.history_edits->find(conversation, msgid);
      if (line && same_account(line->account, sender_account)) state_.history_edits->remove(conversation, msgid);
    } catch (const std::exception&) {
      // Told anyway: the sender took it back; this node's copy stays, as if kept elsewhere.
    }
    tell();
  };
  // after_commit runs on the history's writer thread: only hand the job on from there.
  state_.history->after_commit([this, remove] { state_.offload(remove); });
}

}  // namespace parley::core
