// Name ownership against a login under way (issue 11): a text user who holds
// a registered name and sends /login within the grace period keeps the name,
// whichever way the end of the grace period and the login's answer (the
// password check on the account worker, then the server-ban check on the
// registry loop) fall on the session's loop. The worker's answers are held
// in an inbox, so each test puts them where it wants: no clock, no sleep.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "auth/account_service.h"
#include "auth/memory_account_records.h"
#include "auth/password_hash.h"
#include "test_support.h"
#include "text/text_session.h"

namespace parley::text {
namespace {

using namespace std::chrono_literals;
using parley::testing::FakeOutbound;
using parley::testing::ManualPoster;
using Lines = std::vector<std::string>;

// Posts from the test's own thread go to the hand-run loops at once; posts
// from another thread (the account worker's answers) wait here until the
// test hands them on, one by one, where it chooses.
class WorkerInbox final : public core::LoopPoster {
 public:
  explicit WorkerInbox(core::LoopIndex loops) : loops(loops), owner_(std::this_thread::get_id()) {}

  core::LoopIndex loop_count() const override { return loops.loop_count(); }
  void post(core::LoopIndex loop, core::Task task) override {
    if (std::this_thread::get_id() == owner_) return loops.post(loop, std::move(task));
    std::lock_guard lock(mutex_);
    waiting_.emplace_back(loop, std::move(task));
    arrived_.notify_all();
  }

  // The worker's next post, waited for up to a deadline (nullopt: none came).
  using Post = std::pair<core::LoopIndex, core::Task>;
  std::optional<Post> next() {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, 10s, [&] { return !waiting_.empty(); })) return std::nullopt;
    Post post = std::move(waiting_.front());
    waiting_.pop_front();
    return post;
  }
  // Queues a held post on its loop, behind what is there.
  void hand_on(Post post) { loops.post(post.first, std::move(post.second)); }

  ManualPoster loops;

 private:
  const std::thread::id owner_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<Post> waiting_;
};

auth::AccountSettings no_grace() {
  auth::AccountSettings s;
  s.cost = auth::HashCost::minimum();
  s.name_grace = 0s;  // over as soon as it starts: the test decides when its end is heard
  return s;
}

struct GraceTest : ::testing::Test {
  void SetUp() override {
    auto made = std::make_shared<std::promise<auth::AccountAnswer>>();
    auto answer = made->get_future();
    service.create({"jack", "jack"}, "sesame!!", [made](auth::AccountAnswer a) { made->set_value(std::move(a)); });
    ASSERT_EQ(answer.wait_for(10s), std::future_status::ready);
    ASSERT_TRUE(answer.get().ok());
    config.accounts = &service;
    session = std::make_unique<TextSession>(hub, 0, out, config);
    out.attach(*session);
    session->start();
    run();
    // The registered name: the store is asked (a worker answer), then the warning.
    out.arrive("jack");
    run();
    auto found = inbox.next();
    ASSERT_TRUE(found) << "the account was never looked up";
    inbox.hand_on(std::move(*found));
    run();
    const Lines warned = out.take();
    ASSERT_TRUE(has(warned, "The name jack belongs to the account jack")) << joined(warned);
    // The grace period is over at once; its end waits in the inbox.
    expiry = inbox.next();
    ASSERT_TRUE(expiry) << "the grace period never ended";
  }
  void TearDown() override { session.reset(); }

  void run() {
    bool handed = true;
    while (handed) {
      inbox.loops.run_all();
      handed = out.hand_over();
    }
  }
  static bool has(const Lines& lines, const std::string& start) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.starts_with(start); });
  }
  static std::string joined(const Lines& lines) {
    std::string all;
    for (const auto& l : lines) all.append(l).append("\n");
    return all;
  }
  // /login sent; its password check answered by the worker (held, not yet on the loop).
  WorkerInbox::Post log_in() {
    out.arrive("/login jack sesame!!");
    run();
    auto verified = inbox.next();
    EXPECT_TRUE(verified) << "the password was never checked";
    return verified ? std::move(*verified) : WorkerInbox::Post{0, [] {}};
  }

  core::SystemClock clock;
  auth::MemoryAccountRecords records;
  WorkerInbox inbox{1};
  core::Hub hub{inbox, core::HubLimits{}};
  auth::AccountService service{records, no_grace(), clock};
  TextConfig config;
  FakeOutbound out;
  std::unique_ptr<TextSession> session;
  std::optional<WorkerInbox::Post> expiry;
};

TEST_F(GraceTest, TheGracePeriodEndingDuringThePasswordCheckWaitsForTheLogin) {
  WorkerInbox::Post verified = log_in();
  inbox.hand_on(std::move(*expiry));  // heard first: the login is still being checked
  inbox.hand_on(std::move(verified));
  run();
  const Lines lines = out.take();
  EXPECT_TRUE(has(lines, "You are logged in as jack.")) << joined(lines);
  EXPECT_FALSE(has(lines, "You were renamed")) << joined(lines);
}

TEST_F(GraceTest, TheGracePeriodEndingDuringTheServerBanCheckWaitsForTheLogin) {
  inbox.hand_on(log_in());
  ASSERT_TRUE(inbox.loops.run_one(0));  // the password is right: the server-ban check is asked
  inbox.hand_on(std::move(*expiry));     // heard before that check's answer
  run();
  const Lines lines = out.take();
  EXPECT_TRUE(has(lines, "You are logged in as jack.")) << joined(lines);
  EXPECT_FALSE(has(lines, "You were renamed")) << joined(lines);
}

TEST_F(GraceTest, AWrongPasswordDuringTheGracePeriodStillEndsInARename) {
  out.arrive("/login jack wrong!!");
  run();
  auto refused = inbox.next();
  ASSERT_TRUE(refused);
  inbox.hand_on(std::move(*expiry));  // waits for the check ...
  inbox.hand_on(std::move(*refused));
  run();
  const Lines lines = out.take();
  EXPECT_TRUE(has(lines, "Error: wrong account name or password.")) << joined(lines);
  EXPECT_TRUE(has(lines, "You were renamed to Guest")) << joined(lines);  // ... and then renames
}

}  // namespace
}  // namespace parley::text
