#pragma once
// What the text/TextSession unit tests share: sessions over a real Hub on
// hand-run loops and a fake transport (TextWorld), and the TextTest and ChatTest
// fixtures. Included by the text_*_test.cpp files.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "test_support.h"
#include "text/text_session.h"

namespace parley::text::text_testing {

using core::HubLimits;
using core::LoopIndex;
using parley::testing::FakeOutbound;
using parley::testing::ManualPoster;
using session::CloseReason;
using Lines = std::vector<std::string>;

const char* const kGreeting = "Welcome to Chat room. To join enter your Name and begin chatting.";
const char* const kAgain = "Please enter a different name.";

inline std::string welcome(const std::string& name) {
  return "Welcome " + name + " to chatroom! Enter LEAVE to exit the chatroom";
}

struct Peer {
  FakeOutbound out;
  std::unique_ptr<TextSession> session;
  Lines take() { return out.take(); }
};

struct TextWorld {
  explicit TextWorld(LoopIndex loops, HubLimits limits = {}) : poster(loops), hub(poster, std::move(limits)) {}
  ~TextWorld() { peers.clear(); }  // sessions detach from a living hub

  Peer& connect(LoopIndex loop) {
    peers.push_back(std::make_unique<Peer>());
    Peer& p = *peers.back();
    p.session = std::make_unique<TextSession>(hub, loop, p.out, config);
    p.out.attach(*p.session);
    p.session->start();
    poster.run_all();
    return p;
  }
  void type(Peer& p, std::string_view line) {
    p.out.arrive(std::string(line));
    run();
  }
  // Every loop's tasks, and the lines that waited while a session held its input.
  void run(ManualPoster::Order order = ManualPoster::Order::round_robin) {
    bool handed = true;
    while (handed) {
      poster.run_all(order);
      handed = false;
      for (auto& p : peers) handed = p->out.hand_over() || handed;
    }
  }
  // Connected, named and in the default room; everyone's lines so far forgotten.
  Peer& login(LoopIndex loop, const std::string& name) {
    Peer& p = connect(loop);
    type(p, name);
    EXPECT_TRUE(p.session->registered()) << name;
    forget();
    return p;
  }
  void forget() {
    for (auto& p : peers) p->out.take();
  }

  ManualPoster poster;
  core::Hub hub;
  TextConfig config;
  std::vector<std::unique_ptr<Peer>> peers;
};

class TextTest : public ::testing::TestWithParam<LoopIndex> {
 protected:
  LoopIndex loop(LoopIndex n) const { return n % GetParam(); }
  void TearDown() override {
    for (auto& p : w.peers) {
      EXPECT_EQ(p->out.unterminated(), 0) << "a send without its line end";
      EXPECT_EQ(p->out.sent_after_close(), 0) << "a line after close_after_flush";
    }
  }
  TextWorld w{GetParam()};
};

class ChatTest : public TextTest {
 protected:
  void SetUp() override {
    raj = &w.login(loop(0), "Raj Ingle");
    zoe = &w.login(loop(1), "Zo\xC3\xAB");
  }
  // The default room has no operator of its own (it belongs to the server):
  // Raj and Zoë leave it for #games, which Raj makes and so operates, and talk
  // there as they did in #lobby.
  void meet_in_games() {
    w.type(*raj, "/join games");
    w.type(*raj, "/part lobby");
    w.type(*zoe, "/join games");
    w.type(*zoe, "/part lobby");
    w.forget();
  }
  // Makes Raj a server operator, through the hub: the text protocol has no
  // command for it. Raj was the first session on loop(0), so its id there is 1.
  void make_raj_server_operator() {
    const core::SessionRef ref{loop(0), 1};
    ASSERT_EQ(w.hub.identity_of(ref).display, "Raj Ingle");
    w.hub.presence().set_operator_logins({{"root", "sesame"}});
    ASSERT_TRUE(w.hub.presence().become_server_operator(ref, "root", "sesame").ok());
    w.run();
  }
  Peer* raj = nullptr;
  Peer* zoe = nullptr;
};

}  // namespace parley::text::text_testing
