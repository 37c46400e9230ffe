#include "backplane/redis_connection.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <sys/ioctl.h>

#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

namespace parley::backplane {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// One connection attempt's life: hiredis's context and our watch of its
// socket. Shared with the handlers waiting on the socket, which check `ac`
// (null once hiredis has freed the context) before touching it.
struct RedisConnection::Link {
  Link(asio::io_context& io, RedisConnection& owner) : fd(io), owner(&owner) {}
  redisAsyncContext* ac = nullptr;
  asio::posix::stream_descriptor fd;
  RedisConnection* owner;  // null once the connection has moved on from this link
  bool connected = false;
  bool want_read = false, want_write = false, reading = false, writing = false;
  Clock::time_point started = Clock::now();
  std::deque<Clock::time_point> sent;  // when each command still unanswered was sent
  std::shared_ptr<Link> self;          // keeps it alive while hiredis holds it
};

// A command's callback, owned by hiredis until it answers.
struct RedisConnection::Pending {
  std::weak_ptr<bool> alive;
  asio::io_context* io;
  Done done;
};

namespace {

RedisReply copy_reply(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING: out.type = RedisReply::Type::string; break;
    case REDIS_REPLY_STATUS: out.type = RedisReply::Type::status; break;
    case REDIS_REPLY_ERROR: out.type = RedisReply::Type::error; break;
    case REDIS_REPLY_INTEGER: out.type = RedisReply::Type::integer; break;
    case REDIS_REPLY_ARRAY: out.type = RedisReply::Type::array; break;
    default: out.type = RedisReply::Type::nil; break;
  }
  if (r->type == REDIS_REPLY_INTEGER) out.integer = r->integer;
  if (r->str) out.str.assign(r->str, r->len);
  for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(copy_reply(r->element[i]));
  return out;
}

RedisReply lost_reply(std::string why) {
  RedisReply r;
  r.type = RedisReply::Type::lost;
  r.str = std::move(why);
  return r;
}

void arm_read(const std::shared_ptr<RedisConnection::Link>& link);
void arm_write(const std::shared_ptr<RedisConnection::Link>& link);

}  // namespace

// (Link is private to the class; these helpers reach it through a friend-free
// path: the struct is complete here and the functions only use its fields.)
namespace {

void arm_read(const std::shared_ptr<RedisConnection::Link>& link) {
  if (!link->ac || link->reading || !link->want_read) return;
  link->reading = true;
  link->fd.async_wait(asio::posix::stream_descriptor::wait_read, [link](boost::system::error_code ec) {
    link->reading = false;
    if (ec || !link->ac) return;
    redisAsyncHandleRead(link->ac);  // may free the context (ac becomes null)
    arm_read(link);
  });
}

void arm_write(const std::shared_ptr<RedisConnection::Link>& link) {
  if (!link->ac || link->writing || !link->want_write) return;
  link->writing = true;
  link->fd.async_wait(asio::posix::stream_descriptor::wait_write, [link](boost::system::error_code ec) {
    link->writing = false;
    if (ec || !link->ac) return;
    redisAsyncHandleWrite(link->ac);
    arm_write(link);
  });
}

}  // namespace

RedisConnection::RedisConnection(asio::io_context& io, RedisAddress address, std::chrono::milliseconds timeout)
    : io_(io), address_(std::move(address)), timeout_(timeout), watchdog_(io) {}

RedisConnection::~RedisConnection() {
  *alive_ = false;  // callbacks hiredis runs while freeing find nobody to tell
  watchdog_.cancel();
  if (link_ && link_->ac) redisAsyncFree(link_->ac);
  if (link_) link_->owner = nullptr;
}

bool RedisConnection::connected() const { return link_ && link_->ac && link_->connected; }

void RedisConnection::open(std::function<void()> up, std::function<void(std::string why)> down) {
  up_ = std::move(up);
  down_ = std::move(down);
  auto link = std::make_shared<Link>(io_, *this);
  link->self = link;
  link_ = link;
  redisAsyncContext* ac = redisAsyncConnect(address_.host.c_str(), address_.port);
  if (!ac || ac->err) {
    std::string why = ac ? ac->errstr : "out of memory";
    if (ac) redisAsyncFree(ac);
    link->self.reset();
    return lost(link.get(), std::string("cannot connect: ").append(why));
  }
  link->ac = ac;
  ac->data = link.get();
  boost::system::error_code ec;
  link->fd.assign(ac->c.fd, ec);
  ac->ev.data = link.get();
  ac->ev.addRead = [](void* p) {
    auto* l = static_cast<Link*>(p);
    l->want_read = true;
    arm_read(l->self);
  };
  ac->ev.delRead = [](void* p) { static_cast<Link*>(p)->want_read = false; };
  ac->ev.addWrite = [](void* p) {
    auto* l = static_cast<Link*>(p);
    l->want_write = true;
    arm_write(l->self);
  };
  ac->ev.delWrite = [](void* p) { static_cast<Link*>(p)->want_write = false; };
  ac->ev.cleanup = [](void* p) {
    // hiredis is freeing the context (and will close the socket): stop
    // watching it without closing it, and let the link go.
    auto* l = static_cast<Link*>(p);
    l->ac = nullptr;
    boost::system::error_code ignored;
    l->fd.cancel(ignored);
    l->fd.release();
    auto keep = std::move(l->self);
    asio::post(l->fd.get_executor(), [keep] {});  // freed after the handlers it has waiting
  };
  redisAsyncSetConnectCallback(ac, [](const redisAsyncContext* c, int status) {
    auto* l = static_cast<Link*>(c->data);
    if (status != REDIS_OK) {
      if (l->owner) l->owner->lost(l, std::string("cannot connect: ") + c->errstr);
      return;
    }
    l->connected = true;
    l->sent.assign(l->sent.size(), Clock::now());  // commands queued before the connect start now
    if (l->owner && l->owner->up_) l->owner->up_();
  });
  redisAsyncSetDisconnectCallback(ac, [](const redisAsyncContext* c, int) {
    auto* l = static_cast<Link*>(c->data);
    if (l->owner) l->owner->lost(l, c->err ? std::string("connection lost: ") + c->errstr : "connection closed");
  });
  // The connect completes when the socket turns writable.
  link->want_write = true;
  arm_write(link);
  watch();
}

void RedisConnection::watch() {
  watchdog_.expires_after(std::chrono::milliseconds(100));
  watchdog_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
    if (ec || alive.expired() || !*alive.lock() || !link_ || !link_->owner) return;
    const auto now = Clock::now();
    if (!link_->connected && now - link_->started > timeout_) return fail("connect timed out");
    if (!link_->sent.empty() && now - link_->sent.front() > timeout_ && !unread()) return fail("a command timed out");
    watch();
  });
}

bool RedisConnection::unread() const {
  int bytes = 0;
  return link_ && link_->ac && ::ioctl(link_->ac->c.fd, FIONREAD, &bytes) == 0 && bytes > 0;
}

void RedisConnection::fail(std::string why) {
  if (!link_ || !link_->owner) return;
  auto link = link_;
  if (link->ac) {
    redisAsyncContext* ac = link->ac;
    link->owner = nullptr;  // the disconnect callback hiredis runs now is ours, not news
    redisAsyncFree(ac);     // answers every waiting command with null (lost)
    link->owner = this;
  }
  lost(link.get(), std::move(why));
}

// The link is gone (or going): tell the owner once, later.
void RedisConnection::lost(Link* link, std::string why) {
  if (!link || link->owner != this) return;
  link->owner = nullptr;
  watchdog_.cancel();
  asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_), why = std::move(why)] {
    if (alive.expired() || !*alive.lock()) return;
    if (down_) down_(why);
  });
}

void RedisConnection::on_reply(redisAsyncContext* ac, void* reply, void* privdata) {
  std::unique_ptr<Pending> p(static_cast<Pending*>(privdata));
  auto alive = p->alive.lock();
  if (!alive || !*alive) return;
  if (!reply) {
    // The connection went first: answered later, never from inside hiredis.
    asio::post(*p->io, [done = std::move(p->done), alive = p->alive] {
      if (auto a = alive.lock(); a && *a) done(lost_reply("connection lost"));
    });
    return;
  }
  auto* l = static_cast<Link*>(ac->data);
  if (!l->sent.empty()) l->sent.pop_front();
  p->done(copy_reply(static_cast<redisReply*>(reply)));
}

void RedisConnection::on_push_reply(redisAsyncContext* ac, void* reply, void*) {
  auto* l = static_cast<Link*>(ac->data);
  if (!reply || !l->owner || !l->owner->push_) return;
  l->owner->push_(copy_reply(static_cast<redisReply*>(reply)));
}

namespace {

void send(redisAsyncContext* ac, redisCallbackFn* fn, void* privdata, const std::vector<std::string>& args,
          bool& sent) {
  std::vector<const char*> argv;
  std::vector<size_t> argvlen;
  for (const auto& a : args) {
    argv.push_back(a.data());
    argvlen.push_back(a.size());
  }
  sent = redisAsyncCommandArgv(ac, fn, privdata, static_cast<int>(args.size()), argv.data(), argvlen.data()) ==
         REDIS_OK;
}

}  // namespace

void RedisConnection::command(const std::vector<std::string>& args, Done done) {
  if (!link_ || !link_->ac || !link_->owner) {
    asio::post(io_, [done = std::move(done), alive = std::weak_ptr<bool>(alive_)] {
      if (auto a = alive.lock(); a && *a) done(lost_reply("not connected"));
    });
    return;
  }
  auto* pending = new Pending{alive_, &io_, std::move(done)};
  bool sent = false;
  send(link_->ac, &RedisConnection::on_reply, pending, args, sent);
  if (!sent) {
    std::unique_ptr<Pending> p(pending);
    asio::post(io_, [done = std::move(p->done)] { done(lost_reply("could not send")); });
    return;
  }
  link_->sent.push_back(Clock::now());
}

void RedisConnection::subscription(const std::vector<std::string>& args) {
  if (!link_ || !link_->ac || !link_->owner) return;
  bool sent = false;
  send(link_->ac, &RedisConnection::on_push_reply, nullptr, args, sent);
}

}  // namespace parley::backplane
