#pragma once
// One text-protocol client: the seed's conversation (name prompt, welcome,
// LEAVE) plus slash commands. Turns lines into Hub calls and events into lines.
// Lives on one loop and is touched only there.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/account_service.h"
#include "auth/host_cloak.h"
#include "core/hub.h"
#include "session/outbound.h"
#include "session/protocol_session.h"
#include "session/reply_order.h"

namespace parley::text {

struct TextConfig {
  std::chrono::seconds name_timeout{60};
  // Accounts (/register, /login); null: the server keeps none. Outlives every session.
  auth::AccountService* accounts = nullptr;
  // Hides each user's address from other users ([privacy] cloak); null:
  // addresses are shown. Outlives every session.
  const auth::HostCloak* cloak = nullptr;
  // The message of the day ([irc] motd_file), shown after the welcome line; empty: none.
  std::string motd;
};

class TextSession final : public session::ProtocolSession, public core::Member {
 public:
  TextSession(core::Hub& hub, core::LoopIndex loop, session::Outbound& out, TextConfig config,
              std::string peer_address = "text");
  ~TextSession() override;

  // The last line for a close the server decides ("" for none).
  static std::string farewell(session::CloseReason reason, const TextConfig& config);

  void start() override;
  void on_line(std::string_view line) override;
  void on_line_too_long(std::size_t limit) override;
  bool registered() const override { return state_ == State::chatting; }
  void on_input_ended() override;
  void on_closed(session::CloseReason reason) override;
  std::string log_name() const override { return name_; }

  void on_room_event(const core::RoomEvent& event, core::RenderCache& cache) override;
  void on_private_message(const core::PrivateMessage& message) override;
  void on_name_lost(const core::Identity& lost) override;
  void on_invite(const core::Invitation& invitation) override;
  void on_removed(const core::Removal& removal) override;
  void on_logged_out(const core::LoggedOut& why) override;
  void answering(core::CommandId command) override { order_.answering(command); }
  void on_settled(core::CommandId command) override { order_.settled(command); }

 private:
  enum class State { awaiting_name, claiming_name, chatting, ended };
  struct JoinedRoom {
    std::string display;
    std::string key;
  };
  using Handler = void (TextSession::*)(std::string_view args);
  struct Command;
  static const std::vector<Command>& commands();

  void handle_name(std::string_view line);
  void on_name_result(const core::Result<core::Identity>& result, const std::string& attempted);
  void handle_chat(std::string_view line);
  void too_long(std::size_t limit);
  void say_here(core::Speech speech, std::string text);
  void leave(std::string reason);
  void end_session(std::string reason, core::Ending how = core::Ending::lost);

  void cmd_help(std::string_view args);
  void cmd_join(std::string_view args);
  void cmd_part(std::string_view args);
  void cmd_rooms(std::string_view args);
  void cmd_search(std::string_view args);  // history_commands.cpp
  void cmd_who(std::string_view args);
  void cmd_msg(std::string_view args);
  void cmd_whois(std::string_view args);
  void suggest_quoting(const std::string& first, const std::string& text, std::size_t words);
  void send_motd();  // TextConfig::motd, line by line
  void cmd_me(std::string_view args);
  void cmd_nick(std::string_view args);
  void cmd_topic(std::string_view args);
  void cmd_quit(std::string_view args);
  void cmd_away(std::string_view args);
  void cmd_invite(std::string_view args);
  void cmd_mode(std::string_view args);
  void cmd_kick(std::string_view args);
  void cmd_ban(std::string_view args);
  void cmd_unban(std::string_view args);
  void cmd_op(std::string_view args);
  void cmd_deop(std::string_view args);
  void cmd_voice(std::string_view args);
  void cmd_devoice(std::string_view args);
  // Accounts (account_commands.cpp).
  void cmd_register(std::string_view args);
  void cmd_login(std::string_view args);
  void cmd_logout(std::string_view args);
  void cmd_access(std::string_view args);
  // Runs `proceed` unless a server ban names `account` ("$a:"), else
  // `refused`; input waits meanwhile (account_commands.cpp).
  void unless_banned(const std::string& account, std::function<void()> proceed,
                     std::function<void(const core::ServerBan&)> refused);
  void create_account(core::CheckedName name, std::string password);
  // Registered rooms, server operators and server bans (room_registration_commands.cpp).
  void cmd_register_room(std::string_view args);
  void cmd_unregister(std::string_view args);
  void cmd_roominfo(std::string_view args);
  void cmd_oper(std::string_view args);
  void cmd_kline(std::string_view args);
  void cmd_unkline(std::string_view args);
  void cmd_klines(std::string_view args);
  void ask_accounts(std::function<void(auth::AccountService&, auth::AccountDone)> ask,
                    std::function<void(const auth::AccountAnswer&)> answered);
  // `deletions_seen`: the login's answer's (auth::AccountAnswer).
  void logged_in(const std::string& account, std::int64_t deletions_seen);
  // The name held belongs to an account this session is not logged in to:
  // warn, and rename it to a guest name once the grace period is over.
  void guard_my_name();
  void enforce_name(const std::string& name_key, int tries = 3);
  // Another node holds our name now (cluster): take a guest name, say why.
  void take_fallback_name(const std::string& lost_name, int tries = 3);
  // An account ask (ask_accounts, unless_banned) is over: a grace period that
  // ended while one was under way (a login sent in time) is enforced now.
  void account_ask_settled();
  std::string name_key() const;  // the account key of the name held
  const std::string& account_key() const;
  void change_here(std::vector<core::RoomChange> changes);
  void role_command(std::string_view args, core::RoomSetting role, bool on, std::string_view usage);
  void ban_command(std::string_view args, bool on);
  void show_settings();
  // What to do when a room refuses to let this session in.
  core::Refused join_refused_handler(std::string raw_room);
  // Shows the room's earlier lines after a join.
  core::Callback<std::vector<core::HistoryLine>> replay_handler();

  void send(std::string text);  // appends the line end
  // Every line to this client passes here, and through order_: in the order
  // of the commands it answers (`stream`: the room it is about, if any).
  void emit(std::string_view bytes, std::string_view stream = {});
  // For others' messages in a room: may wait a few milliseconds on a busy loop (Outbound::send_relayed).
  void emit_relayed(std::string_view bytes, std::string_view stream);
  void send_error(std::string_view sentence);
  const JoinedRoom* find_room(const std::string& key) const;
  const JoinedRoom* current_room() const;
  std::string where_now() const;

  core::Hub& hub_;
  core::LoopIndex loop_;
  session::Outbound& out_;
  session::ReplyOrder order_;
  TextConfig config_;
  std::string peer_address_;
  core::SessionRef ref_;
  State state_ = State::awaiting_name;
  bool attached_ = false;
  bool leaving_ = false;  // LEAVE: no more input; output until what came before is out
  std::string name_;
  std::vector<JoinedRoom> rooms_;  // joined or joining, in order
  std::string current_key_;
  std::string quiet_join_key_;     // the automatic first join: no "You joined" line
  // The last rename shown per person, so one announced by several shared rooms shows once.
  std::vector<std::pair<core::SessionRef, std::string>> shown_renames_;
  // The account logged in to: made at the first login (most sessions never do).
  struct Login {
    std::string account;  // as registered
    std::string key;
  };
  std::unique_ptr<Login> login_;
  // Account asks under way (a login's password check, then its server-ban
  // check), and the name key whose grace period ended meanwhile ("" for none):
  // a login sent within the grace period is waited for, not overtaken.
  std::uint16_t account_asks_ = 0;
  std::string enforce_after_asks_;
};

}  // namespace parley::text
