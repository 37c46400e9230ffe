#pragma once
// One epoll set per loop for client connections: the loop's io_context
// watches the set's descriptor (one Asio wait, whatever the number of
// connections), and each time it is readable the ready events are dispatched
// in bounded batches. A connection registers once and owns no Asio state: no
// per-descriptor reactor entry, no pending operation (issue 14's idle memory).
//
// Registrations are edge-triggered: a watcher remembers what became ready and
// asks again only after the descriptor said EAGAIN. Touched only on its loop.
#include <sys/epoll.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/basic_stream_descriptor.hpp>

#include <array>
#include <cstdint>

namespace parley::net {

class ReadinessSet {
 public:
  // Called with the watcher given to add() and its epoll events. One
  // function for the whole set: watchers pay nothing for it.
  using Dispatch = void (*)(void* watcher, std::uint32_t events);

  // Events dispatched per turn of the loop; more wait for the next turn, so
  // timers and posts run in between.
  static constexpr int kBatch = 64;

  ReadinessSet(boost::asio::io_context& io, Dispatch dispatch);  // throws std::system_error
  ~ReadinessSet();
  ReadinessSet(const ReadinessSet&) = delete;
  ReadinessSet& operator=(const ReadinessSet&) = delete;

  // Registers `fd` edge-triggered for `events` (EPOLLET is added). False with
  // errno set when epoll refuses it. Closing the descriptor unregisters it
  // (Parley never duplicates sockets: no fork, no dup).
  bool add(int fd, void* watcher, std::uint32_t events);
  // Call when `watcher` closes its descriptor or is freed: if a set is
  // dispatching a batch on this thread, the batch's later events for it are
  // dropped, so a watcher freed by another's handler is never called. Static:
  // a connection freed after its loop's set (at exit) calls it safely.
  static void forget(void* watcher);
 private:
  void arm();
  void on_ready();

  boost::asio::posix::basic_stream_descriptor<boost::asio::io_context::executor_type> epoll_;
  Dispatch dispatch_;
  std::array<epoll_event, kBatch> batch_{};
  int batch_size_ = 0;
  int batch_next_ = 0;  // the next event of batch_ to dispatch
};

}  // namespace parley::net
