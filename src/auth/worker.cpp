#include "auth/worker.h"

#include <pthread.h>

namespace parley::auth {

Worker::Worker(const char* name) : thread_([this, name] { run(name); }) {}

Worker::~Worker() { stop(); }

void Worker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Worker::post(Job job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void Worker::post_after(std::chrono::steady_clock::duration delay, Job job) {
  {
    std::lock_guard lock(mutex_);
    later_.emplace(std::chrono::steady_clock::now() + delay, std::move(job));
  }
  wake_.notify_one();
}

std::size_t Worker::queued() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

void Worker::run(const char* name) {
  pthread_setname_np(pthread_self(), name);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = std::chrono::steady_clock::now();
    while (!later_.empty() && later_.begin()->first <= now) {
      jobs_.push_back(std::move(later_.begin()->second));
      later_.erase(later_.begin());
    }
    if (jobs_.empty()) {
      if (later_.empty()) wake_.wait(lock);
      else wake_.wait_until(lock, later_.begin()->first);
      continue;
    }
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    job = nullptr;  // what it captured is freed outside the lock
    lock.lock();
  }
}

}  // namespace parley::auth
