#pragma once
// What the bench needs from a chat protocol, one implementation per protocol
// (text_wire, irc_wire, redis_wire, seed_wire): what to send to register,
// join a room, send a message and answer a ping, and how to recognise a
// registration, a join, another member's join and a delivery in what the
// server sends. The client pool owns the sockets; a Session owns one
// connection's protocol state.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace parley::bench {

// Where a session queues bytes for the server.
class Output {
 public:
  virtual ~Output() = default;
  virtual void write(std::string_view bytes) = 0;
};

// What a session reports about its connection, in the order it happens.
class SessionEvents {
 public:
  virtual ~SessionEvents() = default;
  // The server has accepted the connection as a user (text: the welcome line;
  // IRC: the end of the MOTD; Redis: the first reply). Timed for
  // registration latency.
  virtual void registered(std::int64_t now) = 0;
  // The connection is where the scenario wants it (in its room, operator
  // modes set, subscribed) and may send messages.
  virtual void in_room(std::int64_t now) = 0;
  // Another member's join announcement, received after in_room().
  virtual void member_joined() = 0;
  // A chat message reached this connection; `payload` is its text.
  virtual void delivery(std::string_view payload, std::int64_t now) = 0;
  // A refusal from the server that does not end the connection.
  virtual void error_line(std::string_view line) = 0;
};

enum class Role : std::uint8_t {
  member,     // a client in the room
  sender,     // a member that also sends
  publisher,  // an extra connection a sender sends through (Redis)
};

struct SessionSpec {
  std::size_t index = 0;   // connection number (clients first, then publishers)
  Role role = Role::member;
  std::string name;        // PREFIX<client>
  std::string room;        // empty: stay where the server puts a new user (text)
  bool part = false;       // text --part: leave the default room and join none
};

class Session {
 public:
  virtual ~Session() = default;
  // The TCP connection is up.
  virtual void on_connected(Output& out) = 0;
  // Bytes from the server. Returns false, with `reason` set, when the
  // connection has to end (a refusal during registration, a broken stream).
  virtual bool on_data(std::string_view data, std::int64_t now, Output& out, SessionEvents& events,
                       std::string& reason) = 0;
  // Queues one chat message to the room. Only called once in_room() fired.
  virtual void send_message(std::string_view payload, Output& out) = 0;
  // Bytes that ask the server to close the connection politely; empty when
  // closing the socket is polite enough.
  virtual std::string_view farewell() const { return {}; }
};

// One protocol: its sessions and the facts the scenarios account with.
class Protocol {
 public:
  virtual ~Protocol() = default;
  virtual std::string_view name() const = 0;
  virtual std::unique_ptr<Session> make_session(const SessionSpec& spec) const = 0;
  // Does a sender receive its own messages (text, Redis, seed; IRC only with echo-message)?
  virtual bool echoes_to_sender() const = 0;
  // Does every member get one announcement per later joiner, exactly?
  virtual bool announces_joins() const = 0;
  // False when the count of join announcements may fall short (the seed's
  // threads race), so settling also ends after a quiet spell.
  virtual bool exact_join_count() const { return true; }
  // Does each sender send through an extra connection of its own (Redis)?
  virtual bool sends_on_extra_connection() const { return false; }
  // The room a client joins when --room is not given, for --rooms 1.
  virtual std::string default_room() const = 0;
  // The room of one of K rooms (K > 1): bench<k>, with the protocol's sigil.
  virtual std::string numbered_room(std::size_t k) const = 0;
};

}  // namespace parley::bench
