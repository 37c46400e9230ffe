#include "irc/irc_session.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/spares.h"
#include "core/unicode.h"
#include "irc/capabilities.h"
#include "irc/command_helpers.h"
#include "irc/line_split.h"
#include "irc/numerics.h"
#include "irc/render.h"

namespace parley::irc {

const std::vector<IrcSession::Command>& IrcSession::commands() {
  static const std::vector<Command> table = {
      {"CAP", &IrcSession::cmd_cap, 1, true},         {"PASS", &IrcSession::cmd_pass, 1, true},
      {"NICK", &IrcSession::cmd_nick, 0, true},       {"USER", &IrcSession::cmd_user, 4, true},
      {"PING", &IrcSession::cmd_ping, 1, true},       {"PONG", &IrcSession::cmd_pong, 0, true},
      {"QUIT", &IrcSession::cmd_quit, 0, true},       {"JOIN", &IrcSession::cmd_join, 1, false},
      {"PART", &IrcSession::cmd_part, 1, false},      {"PRIVMSG", &IrcSession::cmd_privmsg, 0, false},
      {"NOTICE", &IrcSession::cmd_notice, 0, false},  {"TOPIC", &IrcSession::cmd_topic, 1, false},
      {"NAMES", &IrcSession::cmd_names, 0, false},    {"LIST", &IrcSession::cmd_list, 0, false},
      {"WHO", &IrcSession::cmd_who, 1, false},        {"WHOIS", &IrcSession::cmd_whois, 1, false},
      {"ISON", &IrcSession::cmd_ison, 1, false},      {"USERHOST", &IrcSession::cmd_userhost, 1, false},
      {"MODE", &IrcSession::cmd_mode, 1, false},      {"MOTD", &IrcSession::cmd_motd, 0, false},
      {"LUSERS", &IrcSession::cmd_lusers, 0, false},  {"VERSION", &IrcSession::cmd_version, 0, false},
      {"TIME", &IrcSession::cmd_time, 0, false},     {"KICK", &IrcSession::cmd_kick, 2, false},
      {"INVITE", &IrcSession::cmd_invite, 2, false},
      {"AWAY", &IrcSession::cmd_away, 0, false},      {"SETNAME", &IrcSession::cmd_setname, 1, false},
      {"OPER", &IrcSession::cmd_oper, 2, false},      {"KILL", &IrcSession::cmd_kill, 2, false},
      {"WALLOPS", &IrcSession::cmd_wallops, 1, false},
      {"WHOWAS", &IrcSession::cmd_whowas, 0, false},  {"ADMIN", &IrcSession::cmd_admin, 0, false},
      {"INFO", &IrcSession::cmd_info, 0, false},      {"HELP", &IrcSession::cmd_help, 0, false},
      {"HELPOP", &IrcSession::cmd_help, 0, false},    {"LINKS", &IrcSession::cmd_links, 0, false},
      {"TAGMSG", &IrcSession::cmd_tagmsg, 0, false},  {"MONITOR", &IrcSession::cmd_monitor, 1, false},
      {"CHATHISTORY", &IrcSession::cmd_chathistory, 1, false},
      {"SEARCH", &IrcSession::cmd_search, 1, false},
      {"MARKREAD", &IrcSession::cmd_markread, 0, false},
      {"REDACT", &IrcSession::cmd_redact, 2, false},
      {"AUTHENTICATE", &IrcSession::cmd_authenticate, 1, true},
      {"REGISTER", &IrcSession::cmd_register, 3, true},
      {"CS", &IrcSession::cmd_chanserv, 0, false},    {"CHANSERV", &IrcSession::cmd_chanserv, 0, false},
      {"KLINE", &IrcSession::cmd_kline, 1, false},    {"UNKLINE", &IrcSession::cmd_unkline, 1, false},
      {"STATS", &IrcSession::cmd_stats, 0, false},
  };
  return table;
}

IrcSession::IrcSession(core::Hub& hub, core::LoopIndex loop, session::Outbound& out,
                       std::shared_ptr<const IrcConfig> config, std::string peer_address)
    : hub_(hub), out_(out), config_(std::move(config)),
      host_(config_->cloak ? config_->cloak->cloak(peer_address) : peer_address),
      order_(out),
      loop_(loop) {
  registration_->address = std::move(peer_address);
}

IrcSession::~IrcSession() {
  if (attached_) hub_.detach(ref_, {});
}

std::string IrcSession::farewell(session::CloseReason reason) {
  using session::CloseReason;
  switch (reason) {
    case CloseReason::too_slow: return "ERROR :Closing link: SendQ exceeded (you were not reading fast enough)\r\n";
    case CloseReason::shutdown: return "ERROR :Closing link: the server is shutting down\r\n";
    case CloseReason::registration_timeout: return "ERROR :Closing link: registration timed out\r\n";
    case CloseReason::too_many_from_address: return "ERROR :Closing link: too many connections from your address\r\n";
    case CloseReason::server_full: return "ERROR :Closing link: the server is full\r\n";
    case CloseReason::ping_timeout: return "ERROR :Closing link: Ping timeout\r\n";
    case CloseReason::silent_too_long: return "ERROR :Closing link: nothing sent for too long\r\n";
    case CloseReason::client_left:
    case CloseReason::removed:  // the session has said why (KILL)
    case CloseReason::peer_closed: return {};
  }
  return {};
}

void IrcSession::start() {
  ref_ = hub_.attach(loop_, *this, core::Profile{{}, host_, {}, registration_->address});
  attached_ = true;
}

void IrcSession::send_raw(std::string line) { emit(line); }

void IrcSession::emit(std::string_view bytes, std::string_view stream) {
  if (!ended_) order_.send(bytes, stream);
}

void IrcSession::emit_unhurried(std::string_view bytes, std::string_view stream) {
  if (!ended_) order_.send_unhurried(bytes, stream);
}

void IrcSession::emit_relayed(std::string_view bytes, std::string_view stream) {
  if (!ended_) order_.send_relayed(bytes, stream);
}

void IrcSession::dispatch(const Message& m) {
  // "the server MUST include the same tag and value in any response produced
  // from this message" -- for clients with labeled-response and batch.
  const std::string* label = m.tag("label");
  labelled_ = label && !label->empty() && label->size() <= kMaxLabelBytes && (caps_ & kCapLabeledResponse) &&
              (caps_ & kCapBatch);
  if (labelled_) {
    order_.wrap([this, label = *label](std::string_view own) {
      LabeledResponse response(label);
      response.add(own);
      return response.finish(config_->server_name, fmt::format("L{}", ++batches_));
    });
  }
  for (const Command& c : commands()) {
    if (c.name != m.command) continue;
    if (!registered_ && !c.before_registration) {
      out_.count_rejected(session::Rejection::not_registered);
      return numeric(kErrNotRegistered, {}, "You have not registered");
    }
    if (m.params.size() < c.min_params) {
      out_.count_rejected(session::Rejection::missing_parameters);
      return numeric(kErrNeedMoreParams, {m.command}, "Not enough parameters");
    }
    return (this->*c.handler)(m);
  }
  if (!registered_) {
    out_.count_rejected(session::Rejection::not_registered);
    return numeric(kErrNotRegistered, {}, "You have not registered");
  }
  out_.count_rejected(session::Rejection::unknown_command);
  numeric(kErrUnknownCommand, {m.command}, "Unknown command");
}

void IrcSession::unknown_command(std::string_view line) {
  // Find the command word as sent: the first word after any tags and source.
  std::size_t at = 0;
  auto skip_spaces = [&] { while (at < line.size() && line[at] == ' ') ++at; };
  auto word_end = [&] { return std::min(line.find(' ', at), line.size()); };
  skip_spaces();
  if (at < line.size() && line[at] == '@') at = word_end();
  skip_spaces();
  if (at < line.size() && line[at] == ':') at = word_end();
  skip_spaces();
  const std::size_t end = word_end();
  std::string command(line.substr(at, end - at));
  for (char& c : command) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  // The rest parses as any line (its label included) with a stand-in word,
  // so that the 421 goes through dispatch like every other answer.
  auto parsed = parse_message(std::string(line.substr(0, at)) + "X" + std::string(line.substr(end)));
  Message m = parsed.message ? std::move(*parsed.message) : Message{};
  m.command = std::move(command);
  dispatch(m);
}

void IrcSession::close_in_order(std::string reason, session::CloseReason why) {
  closing_ = true;
  order_.then([this, reason = std::move(reason), why] {
    ended_ = true;
    if (attached_) {
      attached_ = false;
      hub_.detach(ref_, reason, why == session::CloseReason::client_left ? core::Ending::asked : core::Ending::lost);
    }
    out_.close_after_flush(why);
  });
}

void IrcSession::standard_reply(std::string_view type, std::string_view command, std::string_view code,
                                std::initializer_list<std::string_view> context, std::string_view description) {
  Message reply{{}, config_->server_name, std::string(type), {std::string(command), std::string(code)}};
  for (auto c : context) reply.params.emplace_back(c);
  reply.params.emplace_back(description);
  send_raw(fitted_line(std::move(reply)));
}

void IrcSession::numeric(std::string_view code, std::initializer_list<std::string_view> middle,
                         std::string_view trailing) {
  Message reply{{}, config_->server_name, std::string(code), {nick_}};
  for (auto m : middle) reply.params.emplace_back(m);
  if (!trailing.empty()) reply.params.emplace_back(trailing);
  send_raw(fitted_line(std::move(reply)));
}

void IrcSession::refuse(core::Refusal refusal, std::initializer_list<std::string_view> middle,
                        RefusalContext context) {
  const IrcRefusal reply = irc_refusal(refusal, context);
  // Only SETNAME's refusal has no numeric, and SETNAME answers it with FAIL.
  numeric(reply.numeric.empty() ? kErrUnknownError : reply.numeric, middle, reply.text);
}

// Replies may repeat what the client sent (an unknown command, a long PING
// token): shorten the longest parameter, on a UTF-8 boundary, until the line
// fits IRC's line limit.
std::string IrcSession::fitted_line(Message reply) {
  std::string line = to_line(reply);
  while (line.size() > kLineBytes && !reply.params.empty()) {
    auto longest = std::max_element(reply.params.begin(), reply.params.end(),
                                    [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
    const std::size_t excess = line.size() - kLineBytes;
    const std::size_t keep = longest->size() > excess + 1 ? longest->size() - excess - 1 : 1;
    *longest = std::string(split_utf8(*longest, keep).front());
    line = to_line(reply);
  }
  return line;
}

std::string IrcSession::prefix() const { return user_prefix(nick_, hub_.identity_of(ref_).user, host_); }

std::uint32_t IrcSession::line_caps() const { return caps_ & kCapsThatShapeLines; }

void IrcSession::on_idle() {
  if (ended_) return;
  if (!awaiting_pong_) {
    // Quiet for a while: ask for a sign of life before the next interval ends.
    awaiting_pong_ = true;
    return send_raw(format_line("", "PING", {}, config_->server_name));
  }
  // No answer to PING: whatever waits for earlier commands is dropped with it.
  order_.drop();
  out_.send(farewell(session::CloseReason::ping_timeout));
  ended_ = true;
  if (attached_) {
    attached_ = false;
    hub_.detach(ref_, "Ping timeout");
  }
  out_.close_after_flush(session::CloseReason::ping_timeout);
}

void IrcSession::on_line(std::string_view line) {
  awaiting_pong_ = false;  // any line is a sign of life, not only PONG
  if (ended_ || closing_) return;
  session::run_command(hub_, ref_, order_, [&] { handle_line(line); });
}

void IrcSession::handle_line(std::string_view line) {
  if (!core::is_valid_utf8(line)) {
    // UTF8ONLY: nothing that is not UTF-8 is relayed. Messages and topics are
    // refused, so the sender knows; anything else (a PART reason, a real name)
    // is kept with U+FFFD in place of the bad bytes, so the command still works.
    auto parsed = parse_message(line);
    const std::string command = parsed.message ? core::repair_utf8(parsed.message->command) : "*";
    if (command == "NOTICE" || command == "PRIVMSG" || command == "TOPIC")
      out_.count_rejected(session::Rejection::invalid_utf8);
    if (command == "NOTICE") return;  // never an automatic reply to a NOTICE
    if (command == "PRIVMSG" || command == "TOPIC") {
      // The UTF8ONLY specification defines this standard reply for every client.
      return standard_reply("FAIL", command, "INVALID_UTF8", {},
                            "This server only relays valid UTF-8 (UTF8ONLY); that was not sent");
    }
    return handle_line(core::repair_utf8(line));
  }
  // Parsed into a Message kept per thread with its strings' room: a line
  // like the last costs no allocation (another line handled inside this one
  // takes another).
  std::unique_ptr<Message> message = core::Spares<Message>::take();
  if (const auto error = parse_message_into(*message, line)) {
    if (*error == ParseError::empty_line) return;
    if (*error == ParseError::tags_too_long || *error == ParseError::body_too_long) {
      out_.count_rejected(session::Rejection::too_long);
      return numeric(kErrInputTooLong, {}, "Input line was too long");
    }
    // A command word we cannot parse (FOO_BAR, X1) is still a command we do not know.
    if (*error == ParseError::bad_command) return unknown_command(line);  // counted by dispatch
    out_.count_rejected(session::Rejection::malformed);
    return;  // malformed: nothing sensible to answer
  }
  dispatch(*message);
  core::Spares<Message>::give_back(std::move(message));
}

void IrcSession::next_target() {
  if (labelled_) return;
  order_.end(hub_.end_command(ref_));
  order_.begin(hub_.begin_command(ref_));
}

void IrcSession::on_line_too_long(std::size_t) {
  if (ended_ || closing_) return;
  session::run_command(hub_, ref_, order_, [&] { numeric(kErrInputTooLong, {}, "Input line was too long"); });
}

void IrcSession::on_input_ended() {
  if (ended_ || closing_) return;
  // Like QUIT, once every line sent has been answered.
  closing_ = true;
  order_.after_all([this] {
    ended_ = true;
    if (attached_) {
      attached_ = false;
      hub_.detach(ref_, {});
    }
    out_.close_after_flush(session::CloseReason::peer_closed);
  });
}

void IrcSession::on_closed(session::CloseReason) {
  ended_ = true;
  order_.drop();
  if (attached_) {
    attached_ = false;
    hub_.detach(ref_, {});
  }
}

// --- registration ------------------------------------------------------------

void IrcSession::quit_refused(std::string_view why) {
  send_raw(fmt::format("ERROR :Closing link: {}[{}] ({})\r\n", nick_, host_, why));
  close_in_order({}, session::CloseReason::client_left);
}

void IrcSession::quit(std::string reason) {
  send_raw(fmt::format("ERROR :Closing link: {}[{}] ({})\r\n", nick_, host_, reason.empty() ? "Quit" : reason));
  close_in_order(std::move(reason), session::CloseReason::client_left);
}

// --- events -----------------------------------------------------------------

bool IrcSession::first_change_shown(core::SessionRef who, std::string what) {
  auto& known = shown().renames;
  auto seen = std::find_if(known.begin(), known.end(), [&](const auto& s) { return s.first == who; });
  if (seen != known.end() && seen->second == what) return false;
  if (seen != known.end()) seen->second = std::move(what);
  else known.emplace_back(who, std::move(what));
  if (known.size() > kMaxRemembered) known.erase(known.begin());
  return true;
}

void IrcSession::on_room_event(const core::RoomEvent& ev, core::RenderCache& cache) {
  if (!registered_ || ended_) return;
  using E = core::RoomEvent;
  const bool mine = ev.actor == ref_;
  // Someone else's message, nearly every delivery in a busy room: taken here
  // without building the visitor below (issue 14: about a fifth of the
  // instructions of a delivery). The same rules as its case further down.
  if (const auto* said = std::get_if<E::Said>(&ev.what); said && !mine) {
    if (said->speech == core::Speech::tagged && !(caps_ & kCapMessageTags)) return;
    order_.answering(0);  // others' events answer no command of ours
    const std::uint32_t caps = line_caps();
    return emit_relayed(cache.get(kFormBase | caps, [&] { return render_room_event(ev, caps); }), ev.room_key);
  }
  // Your own events answer the command that caused them; others' do not.
  session::Answering answering(order_, mine ? ev.cause : 0);
  // Rendered once per wire form on this loop, shared by every recipient: a
  // reference, never a copy per delivery.
  auto relay = [&] {
    emit(cache.get(kFormBase | line_caps(), [&] { return render_room_event(ev, line_caps()); }), ev.room_key);
  };
  // Others coming and going: every member of a filling room gets each JOIN,
  // so these may share a write (issue 14: a write per JOIN per idle member
  // was most of a 19,000-connection ramp's CPU).
  auto relay_unhurried = [&] {
    emit_unhurried(cache.get(kFormBase | line_caps(), [&] { return render_room_event(ev, line_caps()); }),
                   ev.room_key);
  };
  // away-notify and setname, to those who asked for them, once per change
  // however many rooms are shared. Your own: 305/306, and SETNAME at once.
  auto presence = [&](std::uint32_t cap, std::uint64_t seq) {
    if (!mine && (caps_ & cap) && first_sight(ev.actor, seq)) relay();
  };
  std::visit(core::Overloaded{
                 [&](const E::Joined& joined) {
                   if (mine) {
                     emit(render_room_event(ev, line_caps()), ev.room_key);
                     if (joined.snapshot) {
                       if (!joined.snapshot->topic.empty()) send_topic(*joined.snapshot);
                       // draft/read-marker: "before the RPL_ENDOFNAMES reply for that channel".
                       if (caps_ & kCapReadMarker) {
                         std::optional<core::WallTime> marker = own_marker(ev.room_key);
                         if (login_ && !login_->account.empty()) {
                           auto& known = login_->join_markers;
                           auto it = std::find_if(known.begin(), known.end(), [&](const auto& k) { return k.first == ev.room_key; });
                           if (it != known.end()) {
                             marker = it->second;
                             known.erase(it);
                           }
                         }
                         send_marker(channel_name(ev.room), marker, ev.room_key);
                       }
                       send_names(*joined.snapshot);
                     }
                     return;
                   }
                   relay_unhurried();
                   after_join(ev);
                 },
                 [&](const E::Left& left) {
                   if (left.quit && (mine || !first_change_shown(ev.actor, "QUIT"))) return;  // once per person
                   if (mine) return relay();
                   relay_unhurried();
                 },
                 [&](const E::Renamed& renamed) {
                   if (first_change_shown(ev.actor, "NICK " + renamed.to->nick)) relay();  // once per person
                 },
                 [&](const E::Said& said) {
                   // TAGMSG: message-tags clients only; your own: with echo-message only.
                   if (said.speech == core::Speech::tagged && !(caps_ & kCapMessageTags)) return;
                   if (mine && !(caps_ & kCapEchoMessage)) return;
                   relay();
                 },
                 [&](const E::Invited& invited) {
                   // invite-notify: those who could have invited (the event's audience), but
                   // not the inviter (341) nor the invitee (INVITE to them).
                   if (!(caps_ & kCapInviteNotify) || mine || invited.target == ref_) return;
                   const auto& audience = invited.audience;
                   if (!audience.empty() && std::find(audience.begin(), audience.end(), ref_) == audience.end()) return;
                   relay();
                 },
                 [&](const E::AwayChanged& away) { presence(kCapAwayNotify, away.presence_seq); },
                 [&](const E::RealNameChanged& real) { presence(kCapSetname, real.presence_seq); },
                 [&](const E::AccountChanged& account) { presence(kCapAccountNotify, account.presence_seq); },
                 [&](const E::TopicChanged&) { relay(); },
                 [&](const E::SettingsChanged&) { relay(); },
                 [&](const E::Kicked&) { relay(); },
                 // draft/message-redaction: to those who negotiated it (the remover too,
                 // as its answer); no fallback for the others.
                 [&](const E::Redacted&) {
                   if (caps_ & kCapMessageRedaction) relay();
                 },
             },
             ev.what);
}

void IrcSession::on_netsplit(const core::Netsplit& split, const std::vector<core::NetsplitQuit>& quits) {
  if (!registered_ || ended_) return;
  // Without batch: the QUITs as any others (once per person).
  if (!(caps_ & kCapBatch)) {
    for (const core::NetsplitQuit& quit : quits) on_room_event(*quit.event, *quit.cache);
    return;
  }
  session::Answering answering(order_, 0);  // others' events answer no command of ours
  const std::uint32_t caps = line_caps();
  std::vector<std::string_view> lines;
  for (const core::NetsplitQuit& quit : quits) {
    const core::RoomEvent& ev = *quit.event;
    if (!first_change_shown(ev.actor, "QUIT")) continue;  // once per person, however many rooms are shared
    lines.push_back(quit.cache->get(kFormBase | caps, [&] { return render_room_event(ev, caps); }));
  }
  if (lines.empty()) return;
  // One write: no other line comes between a batch's start and its end.
  emit(render_netsplit_batch(config_->server_name, fmt::format("S{}", ++batches_), split, lines),
       quits.front().event->room_key);
}

void IrcSession::after_join(const core::RoomEvent& ev) {
  // Back after its QUIT (its node came back, docs/cluster.md): a later QUIT is news again.
  if (shown_) {
    std::erase_if(shown_->renames, [&](const auto& s) { return s.first == ev.actor && s.second == "QUIT"; });
  }
  // away-notify: "as well as when a user joins and has an away message set".
  const core::Identity& by = ev.by();
  if (!by.presence.away.empty() && (caps_ & kCapAwayNotify))
    emit_unhurried(render_away(user_prefix(by.nick, by.user, by.host), by.presence.away), ev.room_key);
  if (std::string modes = render_restored_roles(config_->server_name, ev, line_caps()); !modes.empty())
    emit(modes, ev.room_key);
}

void IrcSession::on_netjoin(const core::Netjoin& netjoin, const std::vector<core::NetjoinJoin>& joins) {
  if (!registered_ || ended_) return;
  // Without batch: the JOINs as any others.
  if (!(caps_ & kCapBatch)) {
    for (const core::NetjoinJoin& join : joins) on_room_event(*join.event, *join.cache);
    return;
  }
  session::Answering answering(order_, 0);  // others' events answer no command of ours
  const std::uint32_t caps = line_caps();
  std::vector<std::string_view> lines;
  lines.reserve(joins.size());
  for (const core::NetjoinJoin& join : joins) {
    const core::RoomEvent& ev = *join.event;
    lines.push_back(join.cache->get(kFormBase | caps, [&] { return render_room_event(ev, caps); }));
  }
  // One write: no other line comes between a batch's start and its end; the
  // roles restored (MODE) and away messages after it, as IRC servers send them.
  emit(render_netjoin_batch(config_->server_name, fmt::format("J{}", ++batches_), netjoin, lines),
       joins.front().event->room_key);
  for (const core::NetjoinJoin& join : joins) after_join(*join.event);
}

void IrcSession::on_invite(const core::Invitation& inv) {
  if (!registered_ || ended_) return;
  const core::Identity& from = *inv.inviter;
  // account-tag and server-time as on any line from a user.
  send_raw(tag_prefix(line_caps(), std::chrono::system_clock::now(), {}, {}, from.presence.bot, from.presence.account) +
           format_line(user_prefix(from.nick, from.user, from.host), "INVITE", {nick_}, channel_name(inv.room)));
}

void IrcSession::on_private_message(const core::PrivateMessage& pm) {
  if (!registered_ || ended_) return;
  if (pm.speech == core::Speech::tagged && !(caps_ & kCapMessageTags)) return;  // TAGMSG: message-tags clients only
  core::PrivateMessage mine = pm;
  mine.to_nick = nick_;
  send_raw(render_private(mine, line_caps(), pm.id));
}

}  // namespace parley::irc
