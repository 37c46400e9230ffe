#pragma once
// N event loops, one thread each (DESIGN.md, "Threads and ownership"). The core
// crosses loops through this pool's post().
#include <cstddef>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "core/loop_poster.h"

namespace boost::asio {
class io_context;
}

namespace parley::net {

class LoopPool final : public core::LoopPoster {
 public:
  explicit LoopPool(std::size_t loops);
  ~LoopPool() override;

  core::LoopIndex loop_count() const override;
  void post(core::LoopIndex loop, core::Task task) override;
  boost::asio::io_context& context(core::LoopIndex loop);

  // A loop works in passes: it waits for something to do, then runs what is
  // ready, and what becomes ready meanwhile, up to kMaxHandlersPerPass
  // handlers, then calls its pass end actions (added before start(), each
  // port adds its own, run in the order added). Output written at the
  // pass end carries everything the pass produced: under load, many messages
  // per write; when idle, a pass is one handler and nothing waits.
  static constexpr std::size_t kMaxHandlersPerPass = 256;
  void on_pass_end(core::LoopIndex loop, std::function<void()> action);

  // Starts one thread per loop; each runs until stop().
  void start();
  void stop();
  void join();

 private:
  struct Loop;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::vector<std::thread> threads_;
};

}  // namespace parley::net
