// irc/render: moderation events as IRC lines.
#include "irc/render.h"

#include <fmt/chrono.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <utility>

#include "core/history.h"
#include "irc/capabilities.h"
#include "irc/history_render.h"
#include "irc/line_split.h"

#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace parley::irc {
namespace {

using core::RoomChange;
using core::RoomEvent;
using core::RoomSetting;

RoomEvent event_by_raj(RoomEvent::Payload what) {
  RoomEvent ev;
  ev.what = std::move(what);
  ev.room = "lobby";
  ev.room_key = "lobby";
  ev.actor_identity = std::make_shared<const core::Identity>(core::Identity{"Raj Ingle", "Raj_Ingle", "text", "127.0.0.1", {}});
  return ev;
}

std::vector<RoomChange>& changes_of(RoomEvent& ev) { return std::get<RoomEvent::SettingsChanged>(ev.what).changes; }

TEST(IrcRender, SettingsAreOneModeLineWithSignsWhereTheyChange) {
  RoomEvent ev = event_by_raj(RoomEvent::SettingsChanged{});
  changes_of(ev) = {RoomChange{RoomSetting::moderated, true, {}, {}, {}},
                RoomChange{RoomSetting::topic_locked, true, {}, {}, {}},
                RoomChange{RoomSetting::key, false, {}, {}, {}},
                RoomChange{RoomSetting::limit, false, {}, {}, {}},
                RoomChange{RoomSetting::op, true, "Zoë", "Zoë", {}},
                RoomChange{RoomSetting::ban, true, "x!*@*", {}, {}},
                RoomChange{RoomSetting::limit, true, "10", {}, {}}};
  EXPECT_EQ(render_room_event(ev, 0), ":Raj_Ingle!text@127.0.0.1 MODE #lobby +mt-kl+obl * Zoë x!*@* 10\r\n");
}

TEST(IrcRender, LongModeChangesAreSplitToFit512Bytes) {
  RoomEvent ev = event_by_raj(RoomEvent::SettingsChanged{});
  for (int i = 0; i < 5; ++i) changes_of(ev).push_back(RoomChange{RoomSetting::ban, true, std::string(150, 'a' + i) + "!*@*", {}, {}});
  const std::string out = render_room_event(ev, 0);
  std::size_t lines = 0;
  for (std::size_t start = 0; start < out.size();) {
    const auto end = out.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - start, 512u);
    EXPECT_EQ(out.compare(start, 36, ":Raj_Ingle!text@127.0.0.1 MODE #lobb"), 0);
    ++lines;
    start = end + 2;
  }
  EXPECT_EQ(lines, 2u);
  EXPECT_NE(out.find("+bbb "), std::string::npos);
}

TEST(IrcRender, KickNamesTheTargetAndTheReason) {
  RoomEvent ev = event_by_raj(RoomEvent::Kicked{{}, std::make_shared<const core::Identity>(core::Identity{"Zoë", "Zoë", {}, {}, {}}), "spam and more"});
  EXPECT_EQ(render_room_event(ev, 0), ":Raj_Ingle!text@127.0.0.1 KICK #lobby Zoë :spam and more\r\n");
  std::get<RoomEvent::Kicked>(ev.what).reason.clear();
  EXPECT_EQ(render_room_event(ev, 0), ":Raj_Ingle!text@127.0.0.1 KICK #lobby Zoë :Raj_Ingle\r\n");
}

TEST(IrcRender, ChannelModesAndPrefixes) {
  core::RoomSettings s;
  EXPECT_EQ(channel_modes(s, true), (std::vector<std::string>{"+nt"}));
  s.moderated = s.invite_only = s.secret = true;
  s.topic_locked = false;
  s.key = "sesame";
  s.limit = 5;
  EXPECT_EQ(channel_modes(s, true), (std::vector<std::string>{"+iklmns", "sesame", "5"}));
  EXPECT_EQ(channel_modes(s, false), (std::vector<std::string>{"+iklmns", "*", "5"}));
  EXPECT_EQ(member_prefix(true, true, false), "@");
  EXPECT_EQ(member_prefix(true, true, true), "@+");
  EXPECT_EQ(member_prefix(false, true, false), "+");
  EXPECT_EQ(member_prefix(false, false, true), "");
}

// A room message for a plain client: the sender's nick!user@host, the channel
// and the text, exactly (built by appends since issue 14, not fmt::format).
TEST(IrcRender, RoomMessagesKeepTheirExactLines) {
  RoomEvent ev = event_by_raj(RoomEvent::Said{core::Speech::message, "hello there", "", core::Audience::members, {}, false});
  EXPECT_EQ(render_room_event(ev, 0), ":Raj_Ingle!text@127.0.0.1 PRIVMSG #lobby :hello there\r\n");
  ev.what = RoomEvent::Said{core::Speech::action, "waves", "", core::Audience::members, {}, false};
  EXPECT_EQ(render_room_event(ev, 0), ":Raj_Ingle!text@127.0.0.1 PRIVMSG #lobby :\x01" "ACTION waves\x01\r\n");
  ev.what = RoomEvent::Said{core::Speech::notice, "note", "", core::Audience::voiced, {}, false};
  EXPECT_EQ(render_room_event(ev, 0), ":Raj_Ingle!text@127.0.0.1 NOTICE +#lobby :note\r\n");
  // No user or host known: "*" stands in for each.
  ev.actor_identity = std::make_shared<const core::Identity>(core::Identity{"Raj", "Raj", "", "", {}});
  ev.what = RoomEvent::Said{core::Speech::message, "hi", "", core::Audience::members, {}, false};
  EXPECT_EQ(render_room_event(ev, 0), ":Raj!*@* PRIVMSG #lobby :hi\r\n");
}

// A message that fits one line is built in place (the usual case); one byte
// more is two lines. The edge: a line of exactly 512 bytes with CR LF.
TEST(IrcRender, AMessageOfExactlyOneLineIsOneLineAndOneByteMoreIsTwo) {
  const std::string source = user_prefix("Raj_Ingle", "text", "127.0.0.1");
  const std::size_t room = text_room(1 + source.size() + std::string_view(" PRIVMSG #lobby :").size());
  const auto render = [](std::string text) {
    return render_room_event(
        event_by_raj(RoomEvent::Said{core::Speech::message, std::move(text), "", core::Audience::members, {}, false}), 0);
  };
  const std::string fits = render(std::string(room, 'z'));
  EXPECT_EQ(fits, ":" + source + " PRIVMSG #lobby :" + std::string(room, 'z') + "\r\n");
  EXPECT_EQ(fits.size(), 512u);
  const std::string past = render(std::string(room + 1, 'z'));
  EXPECT_EQ(std::count(past.begin(), past.end(), '\n'), 2);
  EXPECT_EQ(std::count(past.begin(), past.end(), 'z'), static_cast<std::ptrdiff_t>(room + 1));
}

// A message split over several lines: each carries the time, only the
// first the message's id (an id names one line).
TEST(IrcRender, EveryLineOfASplitMessageHasTheTimeAndOnlyTheFirstItsId) {
  RoomEvent ev = event_by_raj(RoomEvent::Said{core::Speech::message, std::string(1200, 'w'), "", core::Audience::members, {}, false});
  ev.id = "m1";
  ev.time = core::WallTime(std::chrono::milliseconds(1733385600123));
  const std::string out = render_room_event(ev, kCapServerTime | kCapMessageTags);
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < out.size();) {
    const std::size_t end = out.find("\r\n", at);
    ASSERT_NE(end, std::string::npos);
    lines.push_back(out.substr(at, end - at));
    at = end + 2;
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines[0].starts_with("@time=2024-12-05T08:00:00.123Z;msgid=m1 :Raj_Ingle!text@127.0.0.1 PRIVMSG #lobby :"))
      << lines[0];
  for (std::size_t i = 1; i < lines.size(); ++i)
    EXPECT_TRUE(lines[i].starts_with("@time=2024-12-05T08:00:00.123Z :Raj_Ingle!text@127.0.0.1 PRIVMSG #lobby :"))
        << lines[i];
}

// server-time's value, built digit by digit, against fmt's chrono formatting
// (what it was before): the epoch, a leap day, the ends of days and years,
// and a day in every month from 1970 to 2100 at a different time of day.
TEST(IrcRender, ServerTimeIsIso8601InUtcWithMilliseconds) {
  const auto by_fmt = [](core::WallTime t) {
    const auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(ms)),
                       ms.time_since_epoch().count() % 1000);
  };
  const auto at = [](std::int64_t ms) { return core::WallTime(std::chrono::milliseconds(ms)); };
  EXPECT_EQ(server_time(at(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(server_time(at(1709164799999)), "2024-02-28T23:59:59.999Z");
  EXPECT_EQ(server_time(at(1709164800001)), "2024-02-29T00:00:00.001Z");
  EXPECT_EQ(server_time(at(1798761599999) + std::chrono::microseconds(999)), "2026-12-31T23:59:59.999Z")
      << "below a millisecond is cut, not rounded";
  for (std::int64_t ms = 0; ms < 4102444800000; ms += 2629743123) {  // about a month, to 2100
    EXPECT_EQ(server_time(at(ms)), by_fmt(at(ms))) << ms;
  }
}

// The stack buffer's prefix is the string's, short or past the buffer's own 128 bytes.
TEST(IrcRender, UserPrefixInABufferIsTheSameAsTheString) {
  PrefixBuffer buffer;
  EXPECT_EQ(user_prefix(buffer, "raj", "", ""), "raj!*@*");
  const std::string long_host(200, 'h');
  EXPECT_EQ(user_prefix(buffer, "raj", "~r", long_host), user_prefix("raj", "~r", long_host));
  EXPECT_EQ(user_prefix(buffer, "raj", "~r", long_host).size(), 3 + 1 + 2 + 1 + 200u);
  for (const std::string_view user : {"", "~r"}) {
    for (const std::string_view host : {std::string_view(), std::string_view("h"), std::string_view(long_host)})
      EXPECT_EQ(user_prefix_size("raj", user, host), user_prefix("raj", user, host).size()) << user << "@" << host;
  }
}

// A long ACTION is cut into several lines, each wrapped in its own CTCP marks.
TEST(IrcRender, ALongActionIsSplitWithMarksOnEveryLine) {
  RoomEvent ev = event_by_raj(RoomEvent::Said{core::Speech::action, std::string(900, 'x'), "", core::Audience::members, {}, false});
  const std::string out = render_room_event(ev, 0);
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = out.find(" PRIVMSG #lobby :\x01" "ACTION x", at)) != std::string::npos; ++at) ++lines;
  EXPECT_GE(lines, 2u) << out;
  std::size_t ends = 0;
  for (std::size_t at = 0; (at = out.find("x\x01\r\n", at)) != std::string::npos; ++at) ++ends;
  EXPECT_EQ(ends, lines);
  // Every x of the text once, plus the one in each line's "text@" user.
  EXPECT_EQ(std::count(out.begin(), out.end(), 'x'), static_cast<std::ptrdiff_t>(900 + lines));
}

}  // namespace
}  // namespace parley::irc

// Replayed lines (draft/chathistory with draft/event-playback, replays on
// join) are rendered by the live renderer: each kind history keeps is the
// line seen live again, tags included (extended-join aside: real names are
// not kept).
namespace parley::irc {
namespace {

core::SharedIdentity raj_logged_in() {
  core::Identity raj;
  raj.display = "Raj Ingle";
  raj.nick = "Raj_Ingle";
  raj.user = "text";
  raj.host = "127.0.0.1";
  raj.presence.account = "raj";
  return std::make_shared<const core::Identity>(std::move(raj));
}

core::SharedIdentity named(const std::string& nick, const std::string& display) {
  core::Identity id;
  id.display = display;
  id.nick = nick;
  return std::make_shared<const core::Identity>(std::move(id));
}

RoomEvent::Said said(core::Speech speech, std::string text, std::string client_tags = {}) {
  RoomEvent::Said s;
  s.speech = speech;
  s.text = std::move(text);
  s.client_tags = std::move(client_tags);
  return s;
}

TEST(IrcHistoryRender, EachKeptKindReplaysAsItWasSeenLive) {
  const std::vector<std::pair<std::string, RoomEvent::Payload>> kinds = {
      {"PRIVMSG", said(core::Speech::message, "hello")},
      {"PRIVMSG with client tags", said(core::Speech::message, "hi", "+draft/react=x")},
      {"PRIVMSG split", said(core::Speech::message, std::string(900, 'w'))},
      {"NOTICE", said(core::Speech::notice, "note")},
      {"ACTION", said(core::Speech::action, "waves")},
      {"JOIN", RoomEvent::Joined{}},
      {"PART", RoomEvent::Left{"", false, {}, false}},
      {"PART with reason", RoomEvent::Left{"off to bed", false, {}, false}},
      {"QUIT asked", RoomEvent::Left{"bye", true, {}, true}},
      {"QUIT asked, no reason", RoomEvent::Left{"", true, {}, true}},
      {"QUIT lost", RoomEvent::Left{"", true, {}, false}},
      {"QUIT timed out", RoomEvent::Left{"Ping timeout: 240 seconds", true, {}, false}},
      {"QUIT killed", RoomEvent::Left{"flooding", true, "root", false}},
      {"KICK", RoomEvent::Kicked{{}, named("Zoe", "Zoë"), "spam"}},
      {"KICK, no reason", RoomEvent::Kicked{{}, named("Zoe", "Zoë"), ""}},
      {"TOPIC", RoomEvent::TopicChanged{"news of the day"}},
      {"NICK", RoomEvent::Renamed{named("Raj_2", "Raj 2")}},
  };
  const std::uint32_t caps = kCapServerTime | kCapMessageTags | kCapAccountTag | kCapEventPlayback;
  for (const auto& [what, payload] : kinds) {
    SCOPED_TRACE(what);
    RoomEvent ev = event_by_raj(payload);
    ev.actor_identity = raj_logged_in();
    ev.id = "m42";
    ev.time = core::WallTime(std::chrono::milliseconds(1764700000123));
    const auto line = core::history_line(ev);
    ASSERT_TRUE(line);
    const std::string live = render_room_event(ev, caps);
    EXPECT_EQ(render_history_line(*line, caps, {}), live);
    EXPECT_EQ(render_history_line(*line, caps | kCapExtendedJoin, {}), live) << "no real name to show again";
    // In a batch: the same lines, batch first among the tags.
    std::string batched;
    for (std::size_t at = 0; at < live.size();) {
      const auto end = live.find("\r\n", at);
      batched += "@batch=b1;" + live.substr(at + 1, end + 2 - at - 1);
      at = end + 2;
    }
    EXPECT_EQ(render_history_line(*line, caps, "b1"), batched);
    // Without message-tags and server-time: the bare lines.
    EXPECT_EQ(render_history_line(*line, kCapEventPlayback, {}), render_room_event(ev, 0));
  }
}

TEST(IrcHistoryRender, APrivateMessageReplaysAsItWasSeenLive) {
  core::PrivateMessage pm;
  pm.sender = raj_logged_in();
  pm.to_nick = "bo";
  pm.speech = core::Speech::action;
  pm.text = "waves at you";
  pm.time = core::WallTime(std::chrono::milliseconds(1764700000123));
  pm.id = "p7";
  const auto line = core::history_line(pm, "bo");
  ASSERT_TRUE(line);
  const std::uint32_t caps = kCapServerTime | kCapMessageTags | kCapAccountTag;
  EXPECT_EQ(render_history_line(*line, caps, {}), render_private(pm, caps, pm.id));
}

}  // namespace
}  // namespace parley::irc
