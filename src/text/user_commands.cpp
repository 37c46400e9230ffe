// Text commands about yourself and other people: /msg, /me, /nick, /away, /quit.
#include "text/text_session.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/name_registry.h"
#include "core/unicode.h"
#include "text/command_line.h"
#include "text/refusal_text.h"
#include "text/render.h"
#include "text/text_helpers.h"

namespace parley::text {

void TextSession::cmd_msg(std::string_view args) {
  FirstArg target = split_first_arg(args);
  if (!target.ok || target.arg.empty() || blank_when_shown(target.rest)) return send("Usage: /msg NAME text");
  const bool quoted = args.starts_with('"');
  hub_.directory().private_message(ref_, target.arg, core::Speech::message, std::string(target.rest),
                       [this, target = target.arg, text = std::string(target.rest), quoted](const core::Result<core::Identity>& r) {
                         if (!r.ok() && r.refusal() == core::Refusal::no_such_user && !quoted)
                           return suggest_quoting(target, text, 1);
                         if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), core::sanitize_for_display(target)));
                         core::PrivateMessage echo;
                         echo.sender = std::make_shared<const core::Identity>(hub_.identity_of(ref_));
                         echo.to_name = r.value().display;
                         echo.text = text;
                         emit(render_private(echo, true));
                         if (const std::string& away = r.value().presence.away; !away.empty())
                           send(fmt::format("{} is away: {}", r.value().display, core::sanitize_for_display(away)));
                       });
}

// "/msg Rajesh Ingle hi" went nowhere, as "Rajesh" is nobody: if the first
// word and the next one or two are someone's name, say to quote it. The
// message is not sent: what was meant is the writer's to say.
void TextSession::suggest_quoting(const std::string& first, const std::string& text, std::size_t words) {
  constexpr std::size_t kMostWords = 2;
  std::string name = first;
  std::string_view rest = text;
  for (std::size_t i = 0; i < words; ++i) {
    const std::size_t end = std::min(rest.find(' '), rest.size());
    if (end == 0 || end == rest.size()) {  // no word left, or nothing would be left to send
      name.clear();
      break;
    }
    name += ' ';
    name += rest.substr(0, end);
    rest.remove_prefix(end + 1);
  }
  auto no_such_user = [this, first] {
    send_error(refusal_text(core::Refusal::no_such_user, hub_.limits(), core::sanitize_for_display(first)));
  };
  if (name.empty()) return no_such_user();
  hub_.directory().find_user(ref_, name, [this, first, text, words, name, rest = std::string(rest),
                                          no_such_user](const core::Result<core::Identity>& r) {
    if (r.ok()) {
      return send_error(fmt::format("there is no user named \"{}\"; to write to {}, quote the name: /msg \"{}\" {}",
                                    core::sanitize_for_display(first), r.value().display, r.value().display,
                                    core::sanitize_for_display(rest)));
    }
    if (words < kMostWords) return suggest_quoting(first, text, words + 1);
    no_such_user();
  });
}

void TextSession::cmd_whois(std::string_view args) {
  const std::string name = unquote(args);
  if (name.empty()) return send("Usage: /whois NAME");
  hub_.directory().user_details(ref_, name, [this, name](const core::Result<core::UserDetails>& r) {
    if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), core::sanitize_for_display(name)));
    const core::Identity& id = r.value().identity;
    std::string line = fmt::format("{} (IRC: {}!{}@{}): {}", id.display, id.nick, id.user, id.host,
                                   id.user == "text" ? "a text user" : "on IRC, real name " + id.real_name);
    if (!id.presence.account.empty()) line += fmt::format("; logged in as {}", id.presence.account);
    if (!id.presence.away.empty()) line += fmt::format("; away: {}", id.presence.away);
    if (id.presence.server_operator) line += "; a server operator";
    line += whois_rooms_and_idle(r.value());
    // The address behind a cloak is for server operators only.
    if (hub_.identity_of(ref_).presence.server_operator && !id.address.empty() && id.address != id.host)
      line += fmt::format("; connects from {}", id.address);
    send(core::sanitize_for_display(line));
  });
}

void TextSession::cmd_me(std::string_view args) {
  if (blank_when_shown(args)) return send("Usage: /me action");
  say_here(core::Speech::action, std::string(args));
}

void TextSession::cmd_nick(std::string_view args) {
  std::string wanted = unquote(args);
  if (wanted.empty()) return send("Usage: /nick NEWNAME");
  // Lines after /nick are read once it is settled, so they come from the new name.
  out_.hold_input();
  hub_.claim_name(ref_, wanted, [this, wanted](const core::Result<core::Identity>& r) {
    out_.resume_input();
    if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits(), core::to_nfc(wanted).value_or(wanted)));
    const bool changed = r.value().display != name_;
    name_ = r.value().display;
    // Rooms you are in tell you themselves ("OLD is now known as NEW.").
    if (changed && rooms_.empty()) send(fmt::format("You are now known as {}.", name_));
    // As at the welcome: say so when IRC users know the new name by another nick.
    if (const std::string wanted = core::nick_for(name_, hub_.limits().nick_chars); changed && r.value().nick != wanted)
      send(fmt::format("IRC users see you as {} ({} is taken).", r.value().nick, wanted));
    if (changed) guard_my_name();
  });
}

void TextSession::cmd_quit(std::string_view args) { leave(std::string(args)); }

void TextSession::cmd_away(std::string_view args) {
  const std::string message = blank_when_shown(args) ? std::string() : std::string(args);
  auto r = hub_.presence().set_away(ref_, message);
  if (!r.ok()) return send_error(refusal_text(r.refusal(), hub_.limits()));
  if (message.empty()) return send("You are back.");
  send(fmt::format("You are away: {}", core::sanitize_for_display(hub_.identity_of(ref_).presence.away)));
}

}  // namespace parley::text
