// IRC channels against the real parleyd (docs/irc.md, "Commands"): JOIN, PART,
// TOPIC, NAMES, LIST, and QUIT and NICK as peers in shared channels see them,
// spoken as raw IRC over loopback by several clients at once.
//
// Each test quotes the sentence of the specification it checks: the modern IRC
// client protocol (modern.ircdocs.horse), RFC 2812 where that is silent.
//
// With two loops (the _mt build) a channel's events come from its home loop and
// a nick's answers from the nick's, so a test never assumes an order between
// two channels, or between a channel and a private message; within one
// channel, and between one client's lines, it does.

#include "irc_channels_util.hpp"

namespace parley::test {
namespace {

using namespace irc_channels;

// JOIN: "If a client's JOIN command to the server is successful, the server
// MUST send, in this order:" the JOIN with the client as source, the topic
// (RPL_TOPIC, nothing when there is none), then RPL_NAMREPLY lines and one
// RPL_ENDOFNAMES.
TEST_F(IrcChannels, JoinGivesJoinTopicAndNamesInOrder) {
  auto zoe = user("zoe");
  zoe->send("JOIN #garden");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " JOIN #garden"));
  IrcMessage names;
  ASSERT_TRUE(zoe->expect_command("353", &names));
  EXPECT_EQ(names.param(2), "#garden") << names.raw;
  // The first member of a new channel is its operator (PREFIX=(o)@).
  EXPECT_EQ(names_in(names), (std::set<std::string>{"@zoe"})) << names.raw;
  ASSERT_TRUE(zoe->expect_raw(":parley.local 366 zoe #garden :End of /NAMES list"));

  auto amy = user("amy");
  amy->send("JOIN #garden");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("amy") + " JOIN #garden"));
  ASSERT_TRUE(amy->expect_command("353", &names));
  EXPECT_EQ(names_in(names), (std::set<std::string>{"@zoe", "amy"})) << names.raw;
  ASSERT_TRUE(amy->expect(irc_command_param("366", 1, "#garden"), "366 #garden"));
  // "While a client is joined to a channel, they receive all relevant
  // information about that channel including the JOIN ... messages".
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("amy") + " JOIN #garden"));

  // With a topic, RPL_TOPIC comes between the JOIN and the names.
  zoe->send("TOPIC #garden :Roses and rain");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " TOPIC #garden :Roses and rain"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " TOPIC #garden :Roses and rain"));
  auto bob = user("bob");
  bob->send("JOIN #garden");
  ASSERT_TRUE(bob->expect_raw(":" + prefix_of("bob") + " JOIN #garden"));
  ASSERT_TRUE(bob->expect_raw(":parley.local 332 bob #garden :Roses and rain"));
  // RPL_TOPICWHOTIME (333) may follow RPL_TOPIC.
  IrcMessage m;
  ASSERT_TRUE(bob->wait_for_command("353", &m));
  EXPECT_EQ(names_in(m), (std::set<std::string>{"@zoe", "amy", "bob"})) << m.raw;
  ASSERT_TRUE(bob->expect(irc_command_param("366", 1, "#garden"), "366 #garden"));
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("bob") + " JOIN #garden"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("bob") + " JOIN #garden"));

  // Joining again is not an error, and sends nothing to the others.
  bob->send("JOIN #garden");
  ASSERT_TRUE(bob->sync());
  zoe->send("PRIVMSG #garden :marker");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG #garden :marker"));
}

// JOIN: "Servers MUST process the parameters of this command as lists on
// incoming commands from clients" and "this command also accepts the special
// argument of ("0", 0x30) instead of any of the usual parameters, which
// requests that the sending client leave all channels they are currently
// connected to."
TEST_F(IrcChannels, JoinListAndJoinZero) {
  auto amy = user("amy");
  ASSERT_TRUE(amy->join("#a"));
  ASSERT_TRUE(amy->join("#b"));
  auto zoe = user("zoe");
  zoe->send("JOIN #a,#b");
  // Each channel's JOIN comes before its names; the two channels in any order.
  std::set<std::string> joined, ended;
  auto deadline = Clock::now() + default_timeout();
  while (ended.size() < 2) {
    auto m = zoe->next(remaining(deadline));
    ASSERT_TRUE(m) << "JOIN #a,#b did not complete; recent:" << zoe->recent();
    if (m->is("JOIN")) {
      EXPECT_EQ(m->source, prefix_of("zoe"));
      joined.insert(m->param(0));
    } else if (m->is("366")) {
      EXPECT_TRUE(joined.count(m->param(1))) << "366 before the JOIN of " << m->param(1);
      ended.insert(m->param(1));
    } else {
      EXPECT_TRUE(m->is("353")) << "unexpected " << m->raw;
    }
  }
  EXPECT_EQ(joined, (std::set<std::string>{"#a", "#b"}));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " JOIN #a"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " JOIN #b"));

  // "The server will process this command as though the client had sent a
  // PART command for each channel they are a member of."
  zoe->send("JOIN 0");
  std::set<std::string> parted;
  for (int i = 0; i < 2; ++i) {
    IrcMessage m;
    ASSERT_TRUE(zoe->expect_command("PART", &m));
    EXPECT_EQ(m.source, prefix_of("zoe"));
    parted.insert(m.param(0));
  }
  EXPECT_EQ(parted, (std::set<std::string>{"#a", "#b"}));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PART #a"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PART #b"));
  zoe->send("PRIVMSG #a :still here?");
  ASSERT_TRUE(zoe->expect(irc_command_param("404", 1, "#a"), "404 zoe #a"));
}

// PART: "On sending a successful PART command, the user will receive a PART
// message from the server for each channel they have been removed from.
// <reason> is the reason that the client has left the channel(s)." and "if the
// channel exists and the client is not joined to it, they will receive an
// ERR_NOTONCHANNEL reply".
TEST_F(IrcChannels, PartWithAndWithoutReason) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #garden"), "amy's JOIN"));
  amy->send("PART #garden :see you later");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("amy") + " PART #garden :see you later"));
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("amy") + " PART #garden :see you later"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("amy") + " JOIN #garden"));
  amy->send("PART #garden");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("amy") + " PART #garden"));
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("amy") + " PART #garden"));
  amy->send("PART #garden");
  ASSERT_TRUE(amy->expect(irc_command_param("442", 1, "#garden"), "442 amy #garden"));
  amy->send("PART garden");
  ASSERT_TRUE(amy->expect(irc_command_param("403", 1, "garden"), "403 amy garden"));
}

// TOPIC: "If <topic> is not given, either RPL_TOPIC or RPL_NOTOPIC is
// returned" and "If the topic of a channel is changed or cleared, every client
// in that channel (including the author of the topic change) will receive a
// TOPIC command with the new topic as argument (or an empty argument if the
// topic was cleared)". "If <topic> is an empty string, the topic for the
// channel will be cleared."
TEST_F(IrcChannels, TopicQuerySetAndClear) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #garden"), "amy's JOIN"));
  zoe->send("TOPIC #garden");
  ASSERT_TRUE(zoe->expect(irc_command_param("331", 1, "#garden"), "331 zoe #garden"));
  zoe->send("TOPIC #garden :Tulips in spring");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " TOPIC #garden :Tulips in spring"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " TOPIC #garden :Tulips in spring"));
  amy->send("TOPIC #garden");
  ASSERT_TRUE(amy->expect_raw(":parley.local 332 amy #garden :Tulips in spring"));
  ASSERT_TRUE(amy->expect(irc_command_param("333", 2, "zoe"), "333 amy #garden zoe <time>"));
  zoe->send("TOPIC #garden :");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("TOPIC", &m));
  EXPECT_EQ(m.source, prefix_of("zoe"));
  EXPECT_EQ(m.param(0), "#garden");
  EXPECT_EQ(m.params.size(), 2u) << m.raw;
  EXPECT_EQ(m.param(1), "") << m.raw;
  amy->send("TOPIC #garden");
  ASSERT_TRUE(amy->expect(irc_command_param("331", 1, "#garden"), "331 amy #garden (the topic was cleared)"));
  // A client not in the channel cannot set it.
  auto bob = user("bob");
  bob->send("TOPIC #garden :hijack");
  ASSERT_TRUE(bob->expect(irc_command_param("442", 1, "#garden"), "442 bob #garden"));
}

// NAMES: "For each channel that exists and they are able to see the users in,
// the server returns one of more RPL_NAMREPLY numerics containing the users
// joined to the channel and a single RPL_ENDOFNAMES numeric. If the channel
// name is invalid or the channel does not exist, one RPL_ENDOFNAMES numeric
// containing the given channel name should be returned."
TEST_F(IrcChannels, Names) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  amy->send("NAMES #garden");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("353", &m));
  EXPECT_EQ(m.param(0), "amy");
  EXPECT_EQ(m.param(2), "#garden");
  EXPECT_EQ(names_in(m), (std::set<std::string>{"@zoe", "amy"})) << m.raw;
  ASSERT_TRUE(amy->expect_raw(":parley.local 366 amy #garden :End of /NAMES list"));
  amy->send("NAMES #nowhere");
  ASSERT_TRUE(amy->expect(irc_command_param("366", 1, "#nowhere"), "366 amy #nowhere"));
}

// LIST: "In response to a successful LIST command, the server MAY send one
// RPL_LISTSTART numeric, MUST send back zero or more RPL_LIST numerics, and
// MUST send back one RPL_LISTEND numeric."
TEST_F(IrcChannels, List) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(amy->join("#kitchen"));
  zoe->send("TOPIC #garden :Roses");
  ASSERT_TRUE(zoe->wait_for_command("TOPIC"));
  zoe->send("LIST");
  std::vector<IrcMessage> lines;
  IrcMessage end;
  ASSERT_TRUE(zoe->wait_for_command("323", &end, &lines));
  std::map<std::string, IrcMessage> rows;
  for (const auto& l : lines) {
    if (l.is("321")) continue;
    ASSERT_TRUE(l.is("322")) << "unexpected line in the LIST reply: " << l.raw;
    rows[l.param(1)] = l;
  }
  ASSERT_TRUE(rows.count("#garden")) << describe_lines(lines);
  ASSERT_TRUE(rows.count("#kitchen")) << describe_lines(lines);
  EXPECT_EQ(rows["#garden"].param(2), "2") << rows["#garden"].raw;
  EXPECT_EQ(rows["#garden"].last(), "Roses") << rows["#garden"].raw;
  EXPECT_EQ(rows["#kitchen"].param(2), "1") << rows["#kitchen"].raw;
}

// QUIT: "The server acknowledges this by replying with an ERROR message and
// closing the connection to the client." Others who share a channel get one
// QUIT each (however many channels they share), its reason prefixed with
// "Quit: " as the document recommends.
TEST_F(IrcChannels, QuitIsSeenOnceByAPeerSharingTwoChannels) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  auto bob = user("bob");
  for (const char* channel : {"#a", "#b"}) {
    ASSERT_TRUE(zoe->join(channel));
    ASSERT_TRUE(amy->join(channel));
    ASSERT_TRUE(bob->join(channel));
  }
  ASSERT_TRUE(amy->sync());
  zoe->send("QUIT :gone fishing");
  std::vector<IrcMessage> last;
  ASSERT_TRUE(zoe->expect_closed(&last));
  ASSERT_FALSE(last.empty()) << "no ERROR before the close";
  EXPECT_EQ(last.back().command, "ERROR") << describe_lines(last);

  std::vector<IrcMessage> seen;
  IrcMessage quit;
  ASSERT_TRUE(amy->wait_for_command("QUIT", &quit, &seen));
  EXPECT_EQ(quit.raw, ":" + prefix_of("zoe") + " QUIT :Quit: gone fishing");
  // bob speaks in both channels once amy has seen the QUIT: each channel's
  // QUIT was queued before bob's line there, so anything else comes first.
  ASSERT_TRUE(bob->wait_for_command("QUIT"));
  bob->send("PRIVMSG #a :marker a");
  bob->send("PRIVMSG #b :marker b");
  auto marker = [](const IrcMessage& m) { return m.is("PRIVMSG") && m.last().rfind("marker", 0) == 0; };
  ASSERT_TRUE(amy->wait_for(marker, "bob's first marker", nullptr, &seen));
  ASSERT_TRUE(amy->wait_for(marker, "bob's second marker", nullptr, &seen));
  EXPECT_EQ(count_of(seen, irc_command("QUIT")), 0u) << "zoe's QUIT came twice:" << describe_lines(seen);
  // The others still in the channels see no PART for zoe either.
  EXPECT_EQ(count_of(seen, irc_command("PART")), 0u) << describe_lines(seen);
}

// A connection closed without QUIT: "the server MUST distribute a QUIT message
// to other clients informing them of this ... Servers MUST fill <reason> with a
// message reflecting the nature of the event which caused it to happen."
TEST_F(IrcChannels, DroppedConnectionIsAQuitWithAReason) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #garden"), "amy's JOIN"));
  zoe->close();
  IrcMessage quit;
  ASSERT_TRUE(amy->expect_command("QUIT", &quit));
  EXPECT_EQ(quit.source, prefix_of("zoe"));
  EXPECT_FALSE(quit.last().empty()) << quit.raw;
}

// NICK: "The NICK message may be sent from the server to clients to
// acknowledge their NICK command was successful, and to inform other clients
// about the change of nickname." The source is the old nick; each client gets
// it once, however many channels it shares.
TEST_F(IrcChannels, NickChangeIsSeenOnceByPeers) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  for (const char* channel : {"#a", "#b"}) {
    ASSERT_TRUE(zoe->join(channel));
    ASSERT_TRUE(amy->join(channel));
  }
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #b"), "amy's JOIN #b"));
  zoe->send("NICK zoey");
  std::vector<IrcMessage> own;
  IrcMessage nick;
  ASSERT_TRUE(zoe->wait_for_command("NICK", &nick, &own));
  EXPECT_EQ(nick.source, prefix_of("zoe")) << nick.raw;
  EXPECT_EQ(nick.param(0), "zoey") << nick.raw;
  // Markers in both channels, sent after the rename: each channel's NICK was
  // queued before them.
  zoe->send("PRIVMSG #a :marker a");
  zoe->send("PRIVMSG #b :marker b");
  auto marker = [](const IrcMessage& m) { return m.is("PRIVMSG") && m.last().rfind("marker", 0) == 0; };
  std::vector<IrcMessage> seen;
  IrcMessage m;
  ASSERT_TRUE(amy->wait_for(marker, "zoey's first marker", &m, &seen));
  EXPECT_EQ(m.source, prefix_of("zoey")) << m.raw;
  ASSERT_TRUE(amy->wait_for(marker, "zoey's second marker", &m, &seen));
  EXPECT_EQ(m.source, prefix_of("zoey")) << m.raw;
  EXPECT_EQ(count_of(seen, irc_command("NICK")), 1u) << describe_lines(seen);
  EXPECT_EQ(count_of(seen, irc_raw(":" + prefix_of("zoe") + " NICK :zoey")) +
                count_of(seen, irc_raw(":" + prefix_of("zoe") + " NICK zoey")),
            1u)
      << describe_lines(seen);
  // zoe herself saw it once as well: amy answers in both channels, after both
  // channels announced the rename.
  amy->send("PRIVMSG #a :back a");
  amy->send("PRIVMSG #b :back b");
  auto back = [](const IrcMessage& m) { return m.is("PRIVMSG") && m.last().rfind("back", 0) == 0; };
  ASSERT_TRUE(zoe->wait_for(back, "amy's first answer", nullptr, &own));
  ASSERT_TRUE(zoe->wait_for(back, "amy's second answer", nullptr, &own));
  EXPECT_EQ(count_of(own, irc_command("NICK")), 0u) << "zoe saw her NICK more than once:" << describe_lines(own);
  // The old nick is free again, the new one taken.
  auto other = connect_irc(server_.irc_port(), "other");
  other->send("NICK zoey");
  other->send("USER u 0 * :Other");
  ASSERT_TRUE(other->expect_command("433"));
  other->send("NICK zoe");
  ASSERT_TRUE(other->expect_command("001"));
}

// Others joining and leaving may wait a moment to share a write with later
// lines (issue 14: net::LoopState::kUnhurriedDelay). A burst of JOINs reaches
// a member in the room's order with no further traffic to push it out, and
// before anything the room relays after it; the member's own command is not
// held behind it. Fails if the batch is never written or is reordered.
TEST_F(IrcChannels, BurstOfJoinsArrivesInOrderBeforeLaterLines) {
  auto zoe = user("zoe");
  ASSERT_TRUE(zoe->join("#hall"));
  std::vector<std::unique_ptr<IrcClient>> guests;
  for (int i = 0; i < 6; ++i) {
    guests.push_back(user("guest" + std::to_string(i)));
    // One at a time (each waits for its own JOIN), so the room's order is known.
    ASSERT_TRUE(guests.back()->join("#hall"));
  }
  // The last JOIN is written by the batch's timer, nothing else.
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("guest" + std::to_string(i)) + " JOIN #hall")) << zoe->recent();
  }
  // Held JOINs go out with a line relayed after them, in order.
  auto ann = user("ann");
  ASSERT_TRUE(ann->join("#hall"));
  guests[0]->send("PART #hall :bye");
  ASSERT_TRUE(guests[0]->wait_for_command("PART"));  // after the later guests' JOINs
  guests[1]->send("PRIVMSG #hall :after the join");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("ann") + " JOIN #hall")) << zoe->recent();
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("guest0") + " PART #hall :bye")) << zoe->recent();
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("guest1") + " PRIVMSG #hall :after the join")) << zoe->recent();
  // zoe's own command is answered at once, whatever waits for her.
  zoe->send("TOPIC #hall :mine");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " TOPIC #hall :mine")) << zoe->recent();
}

}  // namespace
}  // namespace parley::test
