#pragma once
// One connection to Redis through hiredis's async API, driven by an Asio
// io_context (the node's loop): the socket is watched with a
// posix::stream_descriptor, and since hiredis 0.14 has no timeouts of its
// own, a timer of ours ends a connection whose connect or oldest command
// takes longer than `timeout`. Not thread-safe: every call, and every
// callback, on the io_context's thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backplane/redis_address.h"
#include "backplane/redis_reply.h"

struct redisAsyncContext;  // hiredis's

namespace parley::backplane {

class RedisConnection {
 public:
  using Done = std::function<void(const RedisReply&)>;

  RedisConnection(boost::asio::io_context& io, RedisAddress address, std::chrono::milliseconds timeout);
  ~RedisConnection();  // drops the connection; no callback runs after
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Connects. `up` runs once connected; `down` runs once (posted, never from
  // inside another call of ours) when the attempt fails or the connection
  // is lost or timed out, after every command still waiting was answered
  // with a `lost` reply. Then open() may be called again.
  void open(std::function<void()> up, std::function<void(std::string why)> down);
  // Drops the connection as a loss would (commands answered `lost`, `down` posted).
  void fail(std::string why);
  bool connected() const;
  // Whether Redis's answers wait in the socket, unread: this node is behind,
  // not Redis (a busy loop), so nothing has timed out.
  bool unread() const;

  // Sends a command; `done` gets its reply, or `lost` (posted) if the
  // connection goes first. Commands sent before `up` wait for the connect.
  void command(const std::vector<std::string>& args, Done done);
  // For a subscriber connection: SUBSCRIBE and UNSUBSCRIBE, whose replies,
  // and every message after, go to `push` (set before open()).
  void subscription(const std::vector<std::string>& args);
  void on_push(std::function<void(const RedisReply&)> push) { push_ = std::move(push); }

  // Internal (redis_connection.cpp): one connection attempt, one command's callback.
  struct Link;
  struct Pending;

 private:
  static void on_reply(::redisAsyncContext* ac, void* reply, void* privdata);
  static void on_push_reply(::redisAsyncContext* ac, void* reply, void* privdata);
  void watch();
  void lost(Link* link, std::string why);  // the link stays alive while hiredis frees it

  boost::asio::io_context& io_;
  RedisAddress address_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<Link> link_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // false once destroyed
  std::function<void()> up_;
  std::function<void(std::string)> down_;
  std::function<void(const RedisReply&)> push_;
  boost::asio::steady_timer watchdog_;
};

}  // namespace parley::backplane
