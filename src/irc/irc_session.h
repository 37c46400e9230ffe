#pragma once
// One IRC client: registration (CAP, NICK, USER), commands, and core events
// as IRC lines shaped by the capabilities this client negotiated.
// Lives on one loop and is touched only there.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/account_service.h"
#include "auth/host_cloak.h"
#include "auth/scram.h"
#include "core/hub.h"
#include "irc/labeled_response.h"
#include "irc/message.h"
#include "irc/refusal_numerics.h"
#include "irc/render.h"
#include "session/outbound.h"
#include "session/protocol_session.h"
#include "session/reply_order.h"

namespace parley::irc {

struct IrcConfig {
  std::string server_name = "parley.local";
  std::string network = "Parley";
  // What the server says of itself (LINKS 364, WHOIS 312): `server_description`.
  std::string description = "Parley chat server";
  // draft/account-registration's before-connect: REGISTER before NICK/USER
  // completes ([accounts] register_before_connect; never with a server password).
  bool register_before_connect = true;
  std::string version = "parley-0.1.0";
  std::string motd;  // the message of the day; empty: none (ERR_NOMOTD)
  core::WallTime created = std::chrono::system_clock::now();
  // ADMIN (257-259): where the server is and who runs it.
  std::string admin_location = "A Parley chat server";
  std::string admin_contact = "the administrator of this server has not given a contact";
  std::string password;  // the server password PASS must give; empty: none asked
  // Accounts (SASL, REGISTER, NickServ); null: the server keeps none, and
  // offers none of their capabilities. Outlives every session.
  auth::AccountService* accounts = nullptr;
  // Hides each client's address from other users ([privacy] cloak); null:
  // addresses are shown. Outlives every session.
  const auth::HostCloak* cloak = nullptr;
  // IRCv3 sts: the capability's value in CAP LS 302 ("port=6697,duration=..."
  // on plain listeners, "duration=..." on TLS ones); empty: not offered.
  std::string sts;
};

class IrcSession final : public session::ProtocolSession, public core::Member {
 public:
  IrcSession(core::Hub& hub, core::LoopIndex loop, session::Outbound& out, std::shared_ptr<const IrcConfig> config,
             std::string peer_address);
  ~IrcSession() override;

  static std::string farewell(session::CloseReason reason);

  void start() override;
  void on_line(std::string_view line) override;
  void on_line_too_long(std::size_t limit) override;
  bool registered() const override { return registered_; }
  void on_idle() override;
  void on_input_ended() override;
  void on_closed(session::CloseReason reason) override;
  std::string log_name() const override { return registered_ ? nick_ : std::string(); }

  void on_room_event(const core::RoomEvent& event, core::RenderCache& cache) override;
  void on_netsplit(const core::Netsplit& split, const std::vector<core::NetsplitQuit>& quits) override;
  void on_netjoin(const core::Netjoin& netjoin, const std::vector<core::NetjoinJoin>& joins) override;
  void on_private_message(const core::PrivateMessage& message) override;
  void on_invite(const core::Invitation& invitation) override;
  void on_removed(const core::Removal& removal) override;
  void on_watched_profile(const core::ProfileNotice& notice) override;
  void on_watch_notice(const core::WatchNotice& notice) override;
  void on_operator_notice(const core::OperatorNotice& notice) override;
  void on_read_marker(const core::ReadMarkerNotice& notice) override;
  void on_name_lost(const core::Identity& lost) override;
  void on_logged_out(const core::LoggedOut& why) override;
  void on_private_redaction(const core::PrivateRedaction& redaction) override;
  void answering(core::CommandId command) override { order_.answering(command); }
  void on_settled(core::CommandId command) override { order_.settled(command); }

 private:
  using Params = std::vector<std::string>;
  using Handler = void (IrcSession::*)(const Message& message);
  struct Command {
    std::string_view name;
    Handler handler;
    std::size_t min_params;
    bool before_registration;  // allowed before the welcome
  };
  static const std::vector<Command>& commands();

  // Replies from this server: ":server CODE nick params... :trailing" (no
  // trailing parameter when `trailing` is empty).
  void numeric(std::string_view code, std::initializer_list<std::string_view> middle, std::string_view trailing);
  // The numeric and text for what the core refused (irc/refusal_numerics.h),
  // with the parameters the command gives it.
  void refuse(core::Refusal refusal, std::initializer_list<std::string_view> middle,
              RefusalContext context = RefusalContext::command);
  void send_raw(std::string line);
  // Every line to this client passes here, and through order_: in the order
  // of the commands it answers (`stream`: the room it is about, if any).
  void emit(std::string_view bytes, std::string_view stream = {});
  // For others joining or leaving: may wait a moment to share a write (Outbound::send_unhurried).
  void emit_unhurried(std::string_view bytes, std::string_view stream);
  // For others' messages in a room: may wait a few milliseconds on a busy loop (Outbound::send_relayed).
  void emit_relayed(std::string_view bytes, std::string_view stream);

  // labeled-response: a labelled command's whole answer is wrapped in its
  // label once it is complete (ReplyOrder::wrap).
  void dispatch(const Message& m);
  // Between the targets of one command (JOIN #a,#b): the next target's
  // answers come after the previous one's, whichever rooms' loops answer
  // first, as if each had been a line of its own. Not for a labelled
  // command: its label wraps the whole answer, in whatever order it comes.
  void next_target();
  // 421 for a line whose command word the parser would not take.
  void unknown_command(std::string_view line);
  // Ends the session once everything answered before is out; the rooms hear `reason`.
  void close_in_order(std::string reason, session::CloseReason why);
  // FAIL/WARN/NOTE (standard-replies).
  void standard_reply(std::string_view type, std::string_view command, std::string_view code,
                      std::initializer_list<std::string_view> context, std::string_view description);
  std::string prefix() const;  // nick!user@host
  std::uint32_t line_caps() const;

  void handle_line(std::string_view line);
  void try_register();
  void welcome();
  void send_lusers(std::function<void()> then);
  std::string fitted_line(Message reply);
  void send_motd();
  void send_names(const core::RoomSnapshot& room);
  void send_topic(const core::RoomSnapshot& room);  // 332 then 333 (who set it, when)
  // 403 or 442 for a channel command refused as "not in it"; 401 or 441 for
  // a member named who is not in the channel.
  void not_on_channel(const std::string& channel);
  void not_a_member(const std::string& nick, const std::string& channel);
  // Whether this session is in (or joining) the channel named.
  bool in_room_now(std::string_view channel) const;
  void quit(std::string reason);
  // Closes an unregistered connection that registration refused (a wrong password).
  void quit_refused(std::string_view why);

  void cmd_cap(const Message& m);
  bool offered(std::uint32_t cap) const;  // a capability this server can honour now
  void cmd_pass(const Message& m);
  void cmd_nick(const Message& m);
  void cmd_user(const Message& m);
  void cmd_ping(const Message& m);
  void cmd_pong(const Message& m);
  void cmd_quit(const Message& m);
  void cmd_join(const Message& m);
  void cmd_part(const Message& m);
  void cmd_privmsg(const Message& m);
  void cmd_notice(const Message& m);
  void cmd_topic(const Message& m);
  void cmd_names(const Message& m);
  void cmd_list(const Message& m);
  void cmd_who(const Message& m);
  void cmd_whois(const Message& m);
  void cmd_ison(const Message& m);
  void cmd_userhost(const Message& m);
  void cmd_mode(const Message& m);
  void channel_mode(const Message& m);
  void cmd_kick(const Message& m);
  void cmd_invite(const Message& m);
  void cmd_motd(const Message& m);
  void cmd_lusers(const Message& m);
  void cmd_version(const Message& m);
  void cmd_time(const Message& m);
  // Presence and server operators (presence_commands.cpp).
  void cmd_away(const Message& m);
  void cmd_setname(const Message& m);
  void cmd_oper(const Message& m);
  void cmd_kill(const Message& m);
  void cmd_wallops(const Message& m);
  void cmd_whowas(const Message& m);
  void cmd_admin(const Message& m);
  void cmd_info(const Message& m);
  void cmd_help(const Message& m);  // help_commands.cpp
  void cmd_links(const Message& m);
  void user_mode(const Message& m);
  std::string user_modes() const;  // "+iBo" as they are now
  // A presence change from a room (away-notify, setname): false when this
  // client has seen it already from another shared room.
  bool first_sight(core::SessionRef who, std::uint64_t presence_seq);
  // A NICK or QUIT every shared room announces: false when shown already.
  bool first_change_shown(core::SessionRef who, std::string what);
  // What follows another member's JOIN: its away message (away-notify), and
  // the roles its node kept when it is announced again (a netjoin's MODE).
  void after_join(const core::RoomEvent& ev);
  // Accounts (account_commands.cpp).
  void cmd_authenticate(const Message& m);
  void cmd_register(const Message& m);
  bool register_before_connect() const;  // before-connect is offered
  void register_before_connection(const Message& m);
  void create_registered_account(const std::string& password);
  void sasl_message(const std::string& decoded);
  void sasl_plain(const std::string& decoded);
  void sasl_scram(const std::string& decoded);
  void sasl_challenge(std::string_view data);  // AUTHENTICATE lines, in 400-byte pieces
  void sasl_failed(std::string_view why);
  void sasl_done();  // the exchange is over, whichever way
  // Asks the account service off the loop; `answered` runs on this loop in
  // command order. Input waits meanwhile, so the next line sees the outcome.
  void ask_accounts(std::function<void(auth::AccountService&, auth::AccountDone)> ask,
                    std::function<void(const auth::AccountAnswer&)> answered);
  // Registers the nick as an account (refused by `banned` when a server ban names it).
  void register_account(std::string password, std::function<void(const auth::AccountAnswer&)> answered,
                        std::function<void(const core::ServerBan&)> banned);
  void create_account(core::CheckedName name, std::string password,
                      std::function<void(const auth::AccountAnswer&)> answered);
  // Runs `proceed` unless a server ban names `account` ("$a:"), else `refused`;
  // input waits meanwhile.
  void unless_banned(const std::string& account, std::function<void()> proceed,
                     std::function<void(const core::ServerBan&)> refused);
  void banned_notice(const std::string& account, const core::ServerBan& ban);
  // `deletions_seen`: the login's answer's (auth::AccountAnswer).
  void logged_in(const std::string& account, std::int64_t deletions_seen);
  // Forgets the login and sends 901 (the hub's account is the caller's to clear).
  void log_out();
  void nickserv(std::string_view text);
  // A CTCP request (`body`) sent to `to`: answered here when `to` is a text user (ctcp_for_text.cpp).
  void answer_ctcp_for_text_user(const core::Identity& to, std::string_view body);
  void nickserv_notice(std::string_view text);
  // The name held belongs to an account this session is not logged in to:
  // warn, and rename it to a guest name once the grace period is over.
  void guard_my_name();
  void enforce_name(const std::string& name_key, int tries = 3);
  // Another node holds our nick now (cluster): take a guest nick, say why.
  void take_fallback_nick(const std::string& lost_nick, int tries = 3);
  // An account ask (ask_accounts, unless_banned) is over: a grace period that
  // ended while one was under way (a login sent in time) is enforced now.
  void account_ask_settled();
  std::string name_key() const;  // the account key of the name held
  const std::string& account_key() const;
  // Registered channels (ChanServ) and server bans (services_commands.cpp).
  static bool is_chanserv(std::string_view target);
  void cmd_chanserv(const Message& m);
  void chanserv(std::string_view text);
  void chanserv_notice(std::string_view text);
  void chanserv_access(const std::vector<std::string>& words);
  void cmd_kline(const Message& m);
  void cmd_unkline(const Message& m);
  void cmd_stats(const Message& m);
  void cmd_tagmsg(const Message& m);
  void cmd_monitor(const Message& m);
  void cmd_chathistory(const Message& m);
  void chathistory_targets(const Message& m);
  void cmd_search(const Message& m);
  // draft/read-marker and draft/message-redaction (marker_commands.cpp).
  void cmd_markread(const Message& m);
  void cmd_redact(const Message& m);
  void redact_private(const std::string& target, const std::string& msgid, const std::string& reason);
  // A MARKREAD target's key: a channel's room key, a nick folded as an account name.
  std::optional<std::string> marker_key(std::string_view target) const;
  bool wants_join_markers() const;  // read-marker negotiated, logged in, markers kept
  // A marker of this connection's own (not logged in), if any.
  std::optional<core::WallTime> own_marker(const std::string& key) const;
  void send_marker(std::string_view target, const std::optional<core::WallTime>& time, std::string_view stream = {});
  // JOIN's work once the markers of the channels joined are known (when wanted).
  void join_channels(const Message& m);
  // A channel's history lines in a batch of `batch_type` (without batch: the
  // lines alone, speech only).
  void send_history_batch(const std::string& channel, const std::vector<core::HistoryLine>& lines,
                          std::string_view batch_type);
  // What JOIN passes to show the channel's last lines (none for chathistory clients).
  core::Callback<std::vector<core::HistoryLine>> replay_handler();
  void who_extended(const std::string& mask, std::string_view fields, std::string token);
  void relay(const Message& m, bool notice, bool tags_only = false);
  // Looks up each name in turn and answers once with all that exist.
  void lookup_all(std::vector<std::string> names, std::function<void(std::vector<core::Identity>)> done);
  struct Lookup;
  void lookup_next(std::shared_ptr<Lookup> state);

  // Members are ordered to leave no padding: a server holds one per connection.
  core::Hub& hub_;
  session::Outbound& out_;
  std::shared_ptr<const IrcConfig> config_;
  std::string host_;     // what others see: the address, or its cloak
  core::SessionRef ref_;
  std::string nick_ = "*";
  // Once registered, user and real name live in the hub's identity
  // (hub_.identity_of), which is shared with the registry and the rooms.
  struct Registration {
    std::string address;  // where the client connects from: for server operators, in the identity made at the welcome
    std::string wanted_nick;
    std::string user;
    std::string real_name;
    std::string password;  // as given by PASS
    bool user_given = false;
    bool cap_negotiating = false;
    bool claiming = false;
  };
  std::unique_ptr<Registration> registration_ = std::make_unique<Registration>();  // null once registered
  session::ReplyOrder order_;
  std::uint64_t batches_ = 0;  // labeled-response batch ids given out
  bool labelled_ = false;      // the command running now has a label
  // What was shown last per person, so that a change every shared room
  // announces shows once. Made at the first such announcement.
  struct Shown {
    // The last NICK/QUIT shown per person.
    std::vector<std::pair<core::SessionRef, std::string>> renames;
    // The last presence change shown per person (RoomEvent::presence_seq).
    std::vector<std::pair<core::SessionRef, std::uint64_t>> presence;
  };
  std::unique_ptr<Shown> shown_;
  // The account logged in to, and a SASL exchange under way: made by the
  // first AUTHENTICATE, REGISTER or IDENTIFY (most connections never do).
  struct Login {
    std::string account;  // as registered ("" until logged in)
    std::string key;      // its key
    std::int64_t deletions_seen = 0;  // the login's (auth::AccountAnswer), for the hub once registered
    // The key of a name to enforce once the logins asked for are answered (account_ask_settled).
    std::string enforce_after_asks;
    struct Sasl {
      std::string mechanism;  // "PLAIN" or "SCRAM-SHA-256"
      std::string buffer;     // base64 gathered from 400-byte pieces
      std::unique_ptr<auth::ScramServer> scram;
      std::string scram_key;      // the account asked for
      std::string scram_account;  // as registered (empty: no such account)
      std::int64_t scram_deletions_seen = 0;  // the credentials' answer's
      bool scram_proved = false;  // server-final sent; the client's "+" ends it
    };
    std::unique_ptr<Sasl> sasl;
    // draft/read-marker: the markers of channels being joined, read before
    // the JOIN so that each goes out before its RPL_ENDOFNAMES.
    std::vector<std::pair<std::string, std::optional<core::WallTime>>> join_markers;
    // draft/read-marker while not logged in: this connection's own markers
    // (by marker_key), kept in memory only, until it closes.
    std::vector<std::pair<std::string, core::WallTime>> own_markers;
  };
  std::unique_ptr<Login> login_;
  Login& login() {
    if (!login_) login_ = std::make_unique<Login>();
    return *login_;
  }
  Shown& shown() {
    if (!shown_) shown_ = std::make_unique<Shown>();
    return *shown_;
  }
  core::LoopIndex loop_;
  std::uint32_t caps_ = 0;
  bool attached_ = false;
  bool registered_ = false;
  bool closing_ = false;  // QUIT: no more input; output until what came before is out
  bool ended_ = false;    // nothing more is sent
  bool awaiting_pong_ = false;
  // Account asks under way (a login's password check, then its server-ban
  // check): a login sent within the grace period is waited for, not
  // overtaken (Login::enforce_after_asks).
  std::uint16_t account_asks_ = 0;
};

}  // namespace parley::irc
