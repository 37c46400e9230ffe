// irc/refusal_numerics: every core::Refusal has an IRC reply, and the replies
// clients know (474 for a ban, 433 for a nick in use, ...) stay where they are.
#include "irc/refusal_numerics.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "irc/numerics.h"

namespace parley::irc {
namespace {

using core::Refusal;

// The first and last values of core::Refusal. A value added after the last
// one fails to compile in irc_refusal's switch (-Wswitch -Werror); move
// kLastRefusal along with it.
constexpr Refusal kFirstRefusal = Refusal::name_empty;
constexpr Refusal kLastRefusal = Refusal::wrong_password;

bool is_numeric(std::string_view code) {
  return code.size() == 3 && std::isdigit(static_cast<unsigned char>(code[0])) &&
         std::isdigit(static_cast<unsigned char>(code[1])) && std::isdigit(static_cast<unsigned char>(code[2]));
}

template <class F>
void for_each_refusal(F f) {
  for (int i = static_cast<int>(kFirstRefusal); i <= static_cast<int>(kLastRefusal); ++i) f(static_cast<Refusal>(i));
}

TEST(IrcNumerics, EveryRefusalHasANumericAndAText) {
  int count = 0;
  for_each_refusal([&](Refusal r) {
    ++count;
    const IrcRefusal reply = irc_refusal(r);
    EXPECT_FALSE(reply.text.empty()) << "refusal " << static_cast<int>(r);
    if (r == Refusal::real_name_invalid) {
      // SETNAME's specification asks for FAIL SETNAME INVALID_REALNAME; there is no numeric.
      EXPECT_TRUE(reply.numeric.empty());
      EXPECT_EQ(reply.fail_code, "INVALID_REALNAME");
      return;
    }
    EXPECT_TRUE(is_numeric(reply.numeric)) << "refusal " << static_cast<int>(r) << ": \"" << reply.numeric << '"';
    EXPECT_TRUE(reply.fail_code.empty()) << "refusal " << static_cast<int>(r);
    // Refusals are errors: 4xx to 6xx, never a success reply.
    EXPECT_GE(reply.numeric, "400") << "refusal " << static_cast<int>(r);
    EXPECT_LT(reply.numeric, "700") << "refusal " << static_cast<int>(r);
  });
  EXPECT_EQ(count, static_cast<int>(kLastRefusal) + 1);
}

TEST(IrcNumerics, RefusalsClientsKnow) {
  struct Case {
    Refusal refusal;
    std::string_view numeric;
    std::string_view text;
  };
  const Case cases[] = {
      {Refusal::banned, "474", "Cannot join channel (+b)"},
      {Refusal::invite_only, "473", "Cannot join channel (+i)"},
      {Refusal::bad_key, "475", "Cannot join channel (+k)"},
      {Refusal::room_full, "471", "Cannot join channel (+l)"},
      {Refusal::name_in_use, "433", "Nickname is already in use"},
      {Refusal::name_control_character, "432", "Erroneous nickname"},
      {Refusal::too_many_rooms, "405", "You have joined too many channels"},
      {Refusal::not_in_room, "442", "You're not on that channel"},
      {Refusal::not_operator, "482", "You're not channel operator"},
      {Refusal::topic_locked, "482", "You're not channel operator"},
      {Refusal::no_such_member, "441", "They aren't on that channel"},
      {Refusal::already_member, "443", "is already on channel"},
      {Refusal::no_such_user, "401", "No such nick/channel"},
      {Refusal::ban_list_full, "478", "Channel ban list is full"},
      {Refusal::invalid_setting, "696", "Invalid mode parameter"},
      {Refusal::not_server_operator, "481", "Permission Denied- You're not an IRC operator"},
      {Refusal::no_operator_logins, "491", "No O-lines for your host"},
      {Refusal::wrong_password, "464", "Password incorrect"},
  };
  for (const Case& c : cases) {
    const IrcRefusal reply = irc_refusal(c.refusal);
    EXPECT_EQ(reply.numeric, c.numeric) << "refusal " << static_cast<int>(c.refusal);
    EXPECT_EQ(reply.text, c.text) << "refusal " << static_cast<int>(c.refusal);
  }
  EXPECT_EQ(irc_refusal(Refusal::banned).numeric, kErrBannedFromChan);
  EXPECT_EQ(irc_refusal(Refusal::name_in_use).numeric, kErrNicknameInUse);
}

// ERR_CANNOTSENDTOCHAN for every reason a channel refuses a message; a
// channel that does not exist is ERR_NOSUCHCHANNEL ("Indicates that no
// channel can be found for the supplied channel name").
TEST(IrcNumerics, AChannelMessageIsRefusedWithCannotSendToChan) {
  for_each_refusal([](Refusal r) {
    if (r == Refusal::no_such_room) return;
    EXPECT_EQ(irc_refusal(r, RefusalContext::channel_message).numeric, kErrCannotSendToChan)
        << "refusal " << static_cast<int>(r);
  });
  EXPECT_EQ(irc_refusal(Refusal::no_such_room, RefusalContext::channel_message).numeric, kErrNoSuchChannel);
  EXPECT_EQ(irc_refusal(Refusal::banned, RefusalContext::channel_message).text, "Cannot send to channel (+b)");
  EXPECT_EQ(irc_refusal(Refusal::moderated, RefusalContext::channel_message).text, "Cannot send to channel (+m)");
  EXPECT_EQ(irc_refusal(Refusal::not_in_room, RefusalContext::channel_message).text, "Cannot send to channel (+n)");
}

}  // namespace
}  // namespace parley::irc
