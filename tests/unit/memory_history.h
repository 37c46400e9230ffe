#pragma once
// A History kept in memory for the hub's tests: the lines recorded, in order,
// and the reads counted. A room's read returns its speech, newest last, and
// is answered when the test says (answer_all), as a store's thread would
// answer later, or at once when `answer_at_once` is set.
#include <algorithm>
#include <functional>
#include <iterator>
#include <utility>
#include <vector>

#include "core/history.h"

namespace parley::testing {

class MemoryHistory final : public core::History {
 public:
  using Lines = std::vector<core::HistoryLine>;

  bool accepting() override { return true; }
  bool record(const core::HistoryLineRef& line) override {
    kept.push_back(line.owned());
    return true;
  }
  void fetch(core::HistoryQuery query, std::function<void(core::Result<Lines>)> done) override {
    ++reads;
    Lines latest;
    std::copy_if(kept.begin(), kept.end(), std::back_inserter(latest),
                 [&](const core::HistoryLine& line) { return line.target == query.target && line.is_speech(); });
    if (latest.size() > query.limit) latest.erase(latest.begin(), latest.end() - static_cast<std::ptrdiff_t>(query.limit));
    answer([done = std::move(done), latest = std::move(latest)] { done(latest); });
  }
  void fetch_targets(core::TargetsQuery, std::function<void(core::Result<std::vector<core::HistoryTarget>>)> done) override {
    ++reads;
    answer([done = std::move(done)] { done(std::vector<core::HistoryTarget>{}); });
  }
  void search(core::SearchQuery, std::function<void(core::Result<Lines>)> done) override {
    ++reads;
    answer([done = std::move(done)] { done(Lines{}); });
  }
  bool keeps_before_delivery() const override { return false; }
  void after_commit(core::Task then) override { then(); }

  void answer_all() {
    for (auto& a : std::exchange(answers, {})) a();
  }

  bool answer_at_once = false;
  Lines kept;
  std::vector<std::function<void()>> answers;  // waiting for answer_all()
  int reads = 0;

 private:
  void answer(std::function<void()> a) {
    if (answer_at_once) a();
    else answers.push_back(std::move(a));
  }
};

}  // namespace parley::testing
