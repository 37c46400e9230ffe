#include "net/loop_pool.h"

#include "core/loop_owned.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <string>

#include <pthread.h>

namespace parley::net {

namespace asio = boost::asio;

struct LoopPool::Loop {
  // concurrency hint 1: each io_context is run by exactly one thread, so Asio can skip locking.
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::vector<std::function<void()>> pass_end;

  void run() {
    while (io.run_one() > 0) {  // 0: stopped
      std::size_t handlers = 1;
      while (handlers < kMaxHandlersPerPass && io.poll_one() > 0) ++handlers;
      for (auto& action : pass_end) action();
    }
  }
};

LoopPool::LoopPool(std::size_t loops) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, loops); ++i) loops_.push_back(std::make_unique<Loop>());
}

LoopPool::~LoopPool() {
  stop();
  join();
}

core::LoopIndex LoopPool::loop_count() const { return static_cast<core::LoopIndex>(loops_.size()); }

void LoopPool::post(core::LoopIndex loop, core::Task task) { asio::post(loops_[loop]->io, std::move(task)); }

asio::io_context& LoopPool::context(core::LoopIndex loop) { return loops_[loop]->io; }

void LoopPool::on_pass_end(core::LoopIndex loop, std::function<void()> action) {
  loops_[loop]->pass_end.push_back(std::move(action));
}

void LoopPool::start() {
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    threads_.emplace_back([this, i] {
      const std::string name = "loop-" + std::to_string(i);
      pthread_setname_np(pthread_self(), name.c_str());
      const core::ThisLoop on_loop(static_cast<core::LoopIndex>(i));  // what LoopOwned checks against
      loops_[i]->run();
    });
  }
}

void LoopPool::stop() {
  for (auto& loop : loops_) {
    loop->work.reset();
    loop->io.stop();
  }
}

void LoopPool::join() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace parley::net
