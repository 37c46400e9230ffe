// text/render: the words /whois adds about someone's rooms and idle time.
#include <gtest/gtest.h>

#include "text/render.h"

namespace parley::text {
namespace {

using namespace std::chrono_literals;

core::UserDetails quiet_for(std::chrono::nanoseconds idle) {
  core::UserDetails d;
  d.now = core::WallTime(std::chrono::hours(500000));
  d.signed_on = d.now - 10h;
  d.last_spoke = d.now - std::chrono::duration_cast<core::WallTime::duration>(idle);
  return d;
}

TEST(TextWhois, RoomsWithRoles) {
  core::UserDetails d = quiet_for(0s);
  EXPECT_EQ(whois_rooms_and_idle(d), "");
  d.rooms = {{"lobby", false, false}, {"games", true, true}, {"den", false, true}};
  EXPECT_EQ(whois_rooms_and_idle(d), "; in #lobby, #games (operator), #den (voice)");
}

TEST(TextWhois, IdleFromAMinuteOn) {
  EXPECT_EQ(whois_rooms_and_idle(quiet_for(59s)), "");
  EXPECT_EQ(whois_rooms_and_idle(quiet_for(60s)), "; idle 1 minute");
  EXPECT_EQ(whois_rooms_and_idle(quiet_for(59min + 59s)), "; idle 59 minutes");
  EXPECT_EQ(whois_rooms_and_idle(quiet_for(60min)), "; idle 1 hour");
  EXPECT_EQ(whois_rooms_and_idle(quiet_for(125min)), "; idle 2 hours 5 minutes");
  // A clock that went back is no idle time at all.
  EXPECT_EQ(whois_rooms_and_idle(quiet_for(-5min)), "");
}

}  // namespace
}  // namespace parley::text
