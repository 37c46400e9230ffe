#pragma once
// N event loops, one thread each (DESIGN.md, "Threads and ownership"). The core
// crosses loops through this pool's post().
#include <cstddef>
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
