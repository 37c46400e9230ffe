#pragma once
// What the core/hub unit tests share: a hub on hand-run loops (World), members
// that record what reaches them (Recorder), the HubTest fixture (one loop or
// three) and the moderation helpers. Included by the hub_*_test.cpp files.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/hub.h"
#include "test_support.h"

namespace parley::core::hub_testing {

using parley::testing::ManualPoster;
// The kind of an event, as one word (a said event: its speech).
inline std::string kind_name(const RoomEvent& ev) {
  return std::visit(Overloaded{
                        [](const RoomEvent::Joined&) -> std::string { return "joined"; },
                        [](const RoomEvent::Left&) -> std::string { return "left"; },
                        [](const RoomEvent::Said& s) -> std::string {
                          switch (s.speech) {
                            case Speech::message: return "message";
                            case Speech::action: return "action";
                            case Speech::notice: return "notice";
                            case Speech::tagged: return "tagged";
                          }
                          return "?";
                        },
                        [](const RoomEvent::Renamed&) -> std::string { return "renamed"; },
                        [](const RoomEvent::TopicChanged&) -> std::string { return "topic"; },
                        [](const RoomEvent::SettingsChanged&) -> std::string { return "settings"; },
                        [](const RoomEvent::Kicked&) -> std::string { return "kicked"; },
                        [](const RoomEvent::Invited&) -> std::string { return "invited"; },
                        [](const RoomEvent::AwayChanged&) -> std::string { return "away"; },
                        [](const RoomEvent::RealNameChanged&) -> std::string { return "real name"; },
                        [](const RoomEvent::AccountChanged&) -> std::string { return "account"; },
                        [](const RoomEvent::Redacted&) -> std::string { return "redacted"; },
                    },
                    ev.what);
}

// What the old events called `text`: what was said, the reason for leaving or
// a kick, the new name, the topic, the away message, the real name.
inline std::string text_of(const RoomEvent& ev) {
  return std::visit(Overloaded{
                        [](const RoomEvent::Joined&) -> std::string { return {}; },
                        [](const RoomEvent::Left& l) { return l.reason; },
                        [](const RoomEvent::Said& s) { return s.text; },
                        [](const RoomEvent::Renamed& r) { return r.to->display; },
                        [](const RoomEvent::TopicChanged& t) { return t.topic; },
                        [](const RoomEvent::SettingsChanged&) -> std::string { return {}; },
                        [](const RoomEvent::Kicked& k) { return k.reason; },
                        [](const RoomEvent::Invited&) -> std::string { return {}; },
                        [&](const RoomEvent::AwayChanged&) { return ev.by().presence.away; },
                        [&](const RoomEvent::RealNameChanged&) { return ev.by().real_name; },
                        [&](const RoomEvent::AccountChanged&) { return ev.by().presence.account; },
                        [](const RoomEvent::Redacted& r) { return r.msgid; },
                    },
                    ev.what);
}

inline const std::vector<RoomChange>& changes_of(const RoomEvent& ev) {
  static const std::vector<RoomChange> none;
  const auto* c = ev.as<RoomEvent::SettingsChanged>();
  return c ? c->changes : none;
}

inline std::vector<std::string> names_in(const RoomSnapshot& s) {
  std::vector<std::string> out;
  for (const auto& e : s.entries) out.push_back(e.identity->display);
  return out;
}

// "#room seq kind actor: text" -- one comparable line per event.
inline std::string describe(const RoomEvent& ev) {
  std::string s = "#" + ev.room + " " + std::to_string(ev.seq) + " " + kind_name(ev) + " " + ev.by().display;
  if (const auto* k = ev.as<RoomEvent::Kicked>()) s += " " + k->target_identity->display;
  for (const auto& c : changes_of(ev)) s += std::string(" ") + (c.on ? "+" : "-") + std::to_string(static_cast<int>(c.setting)) + c.arg;
  const std::string text = text_of(ev);
  if (!text.empty()) s += ": " + text;
  return s;
}

// A member that records what reaches it, and on which loop.
class Recorder final : public Member {
 public:
  Recorder(ManualPoster& poster, LoopIndex loop, std::map<std::pair<LoopIndex, std::uint32_t>, int>& renders)
      : poster_(poster), loop_(loop), renders_(renders) {}

  void on_room_event(const RoomEvent& ev, RenderCache& cache) override {
    check_loop();
    events.push_back(ev);
    if (const auto* j = ev.as<RoomEvent::Joined>(); j && j->snapshot) snapshots.push_back(names_in(*j->snapshot));
    const std::string& rendered = cache.get(form, [&] {
      ++renders_[{loop_, form}];
      return describe(ev) + " (form " + std::to_string(form) + ")";
    });
    bytes.push_back(rendered);
    byte_sources.push_back(rendered.data());
  }
  void on_private_message(const PrivateMessage& pm) override {
    check_loop();
    private_messages.push_back(pm);
  }
  void on_read_marker(const ReadMarkerNotice& notice) override {
    check_loop();
    read_markers.push_back(notice);
  }
  void on_logged_out(const LoggedOut& why) override {
    check_loop();
    logged_out.push_back(why.reason);
  }
  void on_invite(const Invitation& inv) override {
    check_loop();
    invitations.push_back(inv);
  }

  // Descriptions of the events of one room ("" for all).
  std::vector<std::string> seen(const std::string& room = "") const {
    std::vector<std::string> out;
    for (const auto& ev : events) {
      if (room.empty() || ev.room_key == room) out.push_back(describe(ev));
    }
    return out;
  }
  std::vector<std::uint64_t> seqs(const std::string& room_key) const {
    std::vector<std::uint64_t> out;
    for (const auto& ev : events) {
      if (ev.room_key == room_key) out.push_back(ev.seq);
    }
    return out;
  }

  std::uint32_t form = 1;
  std::vector<RoomEvent> events;
  std::vector<std::vector<std::string>> snapshots;
  std::vector<std::string> bytes;
  std::vector<const char*> byte_sources;  // where each rendering was: shared renderings are one
  std::vector<PrivateMessage> private_messages;
  std::vector<Invitation> invitations;
  std::vector<ReadMarkerNotice> read_markers;  // on_read_marker
  std::vector<std::string> logged_out;         // on_logged_out: the reasons
  int wrong_loop = 0;

 private:
  void check_loop() {
    if (poster_.current() && *poster_.current() != loop_) ++wrong_loop;
  }
  ManualPoster& poster_;
  LoopIndex loop_;
  std::map<std::pair<LoopIndex, std::uint32_t>, int>& renders_;
};

struct Person {
  Person(ManualPoster& poster, LoopIndex loop, std::map<std::pair<LoopIndex, std::uint32_t>, int>& renders)
      : member(poster, loop, renders) {}
  Recorder member;
  SessionRef ref;
};

// A hub on `loops` hand-run loops, and the people on it.
struct World {
  explicit World(LoopIndex loops, HubLimits limits = {}) : poster(loops), hub(poster, std::move(limits)) {}

  Person& attach(LoopIndex loop) {
    people.push_back(std::make_unique<Person>(poster, loop, renders));
    Person& p = *people.back();
    p.ref = hub.attach(loop, p.member);
    return p;
  }

  Result<Identity> claim(Person& p, std::string_view name) {
    std::optional<Result<Identity>> got;
    hub.claim_name(p.ref, name, [&](Result<Identity> r) { got = std::move(r); });
    poster.run_all();
    if (!got) {
      ADD_FAILURE() << "claim_name never answered";
      return Refusal::no_such_user;
    }
    return *got;
  }

  // Attached, named, and in the given rooms, with everything settled.
  Person& enter(LoopIndex loop, std::string_view name, std::vector<std::string> rooms = {"lobby"}) {
    Person& p = attach(loop);
    auto r = claim(p, name);
    EXPECT_TRUE(r.ok()) << name;
    for (const auto& room : rooms) EXPECT_TRUE(hub.rooms().join(p.ref, room).ok()) << room;
    poster.run_all();
    return p;
  }

  void forget_events() {
    for (auto& p : people) {
      p->member.events.clear();
      p->member.snapshots.clear();
      p->member.bytes.clear();
      p->member.byte_sources.clear();
      p->member.private_messages.clear();
    }
  }

  std::optional<Result<RoomSnapshot>> info(Person& p, std::string_view room) {
    std::optional<Result<RoomSnapshot>> got;
    hub.rooms().room_info(p.ref, room, [&](Result<RoomSnapshot> r) { got = std::move(r); });
    poster.run_all();
    return got;
  }

  std::vector<std::string> rooms(Person& p) {
    std::optional<Result<std::vector<RoomSummary>>> got;
    hub.rooms().list_rooms(p.ref, [&](Result<std::vector<RoomSummary>> r) { got = std::move(r); });
    poster.run_all();
    std::vector<std::string> out;
    if (!got || !got->ok()) {
      ADD_FAILURE() << "list_rooms did not answer";
      return out;
    }
    for (const auto& s : got->value()) {
      out.push_back("#" + s.room + " (" + std::to_string(s.members) + ")" + (s.topic.empty() ? "" : " " + s.topic));
    }
    return out;
  }

  int wrong_loop() const {
    int n = 0;
    for (const auto& p : people) n += p->member.wrong_loop;
    return n;
  }

  ManualPoster poster;
  Hub hub;
  std::map<std::pair<LoopIndex, std::uint32_t>, int> renders;
  std::vector<std::unique_ptr<Person>> people;
};

class HubTest : public ::testing::TestWithParam<LoopIndex> {
 protected:
  LoopIndex loops() const { return GetParam(); }
  // Spreads people over the loops: the n-th person's loop.
  LoopIndex loop(LoopIndex n) const { return n % loops(); }
  void TearDown() override { EXPECT_EQ(w.wrong_loop(), 0) << "a callback ran on another loop"; }

  World w{GetParam()};
};

inline RoomChange mode(RoomSetting setting, bool on, std::string arg = {}) { return RoomChange{setting, on, std::move(arg), {}, {}}; }

struct Moderation {
  // Runs change_settings to its answer.
  static Result<std::vector<Room::RefusedChange>> change(World& w, Person& p, const std::string& room,
                                                         std::vector<RoomChange> changes) {
    std::optional<Result<std::vector<Room::RefusedChange>>> got;
    w.hub.rooms().change_settings(p.ref, room, std::move(changes), [&](Result<std::vector<Room::RefusedChange>> r) { got = std::move(r); });
    w.poster.run_all();
    if (!got) {
      ADD_FAILURE() << "change_settings never answered";
      return Refusal::no_such_room;
    }
    return *got;
  }
  static Result<Done> kick(World& w, Person& p, const std::string& room, std::string target, std::string reason = {}) {
    std::optional<Result<Done>> got;
    w.hub.rooms().kick(p.ref, room, std::move(target), std::move(reason), [&](Result<Done> r) { got = std::move(r); });
    w.poster.run_all();
    if (!got) {
      ADD_FAILURE() << "kick never answered";
      return Refusal::no_such_room;
    }
    return *got;
  }
  static Result<Identity> invite(World& w, Person& p, std::string target, std::string room) {
    std::optional<Result<Identity>> got;
    w.hub.rooms().invite(p.ref, target, room, [&](Result<Identity> r) { got = std::move(r); });
    w.poster.run_all();
    if (!got) {
      ADD_FAILURE() << "invite never answered";
      return Refusal::no_such_room;
    }
    return *got;
  }
  // Joins and runs to the end; the room's refusal, if any.
  static std::optional<Refusal> join(World& w, Person& p, std::string room, std::string key = {}) {
    std::optional<Refusal> refused;
    auto r = w.hub.rooms().join(p.ref, room, std::move(key), [&](Refusal no) { refused = no; });
    if (!r.ok()) return r.refusal();
    w.poster.run_all();
    return refused;
  }
};

inline bool in_rooms(World& w, Person& p, const std::string& key) {
  auto rooms = w.hub.rooms_of(p.ref);
  return std::find(rooms.begin(), rooms.end(), key) != rooms.end();
}

}  // namespace parley::core::hub_testing
