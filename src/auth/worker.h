#pragma once
// One thread for slow work that must never run on an event loop (hashing
// passwords, the account store), in the order given, and for work due later
// (name-ownership grace periods). Jobs run one at a time; a job must not
// block on the event loops. Thread-safe: any thread may post.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace parley::auth {

class Worker {
 public:
  using Job = std::function<void()>;
  // `name`: the thread's, as top -H and perf show it (at most 15 bytes).
  explicit Worker(const char* name = "worker");
  // Stops the thread (as stop() does).
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void post(Job job);
  // Runs `job` once `delay` has passed (steady clock), in due order.
  void post_after(std::chrono::steady_clock::duration delay, Job job);
  // Jobs waiting to run now (not those due later).
  std::size_t queued() const;
  // Waits for the job running now, then stops the thread; jobs not yet run
  // are dropped, unrun, and later posts are dropped too. Not from a job.
  void stop();

 private:
  void run(const char* name);

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  std::multimap<std::chrono::steady_clock::time_point, Job> later_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace parley::auth
