// The account service: its jobs run on the worker thread; the test waits for
// each answer (with a deadline) through a promise.
#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>

#include "auth/account_service.h"
#include "auth/memory_account_records.h"
#include "auth/password_hash.h"

namespace parley::auth {
namespace {

using namespace std::chrono_literals;

class FailingRecords final : public AccountRecords {
 public:
  std::optional<AccountRecord> find(const std::string&) override { throw std::runtime_error("disk on fire"); }
  bool insert(const AccountRecord&) override { return false; }
  bool update(const AccountRecord&) override { return false; }
  std::optional<std::int64_t> remove(const std::string&) override { return std::nullopt; }
  std::vector<AccountDeletion> deletions_after(std::int64_t) override { throw std::runtime_error("disk on fire"); }
  std::int64_t last_deletion() override { throw std::runtime_error("disk on fire"); }
};

AccountSettings quick_settings() {
  AccountSettings s;
  s.cost = HashCost::minimum();
  s.pacing = PacingPolicy{1, 60s, 300s, 900s, 100};
  return s;
}

core::CheckedName named(std::string display, std::string key) { return {std::move(display), std::move(key)}; }

struct Service : ::testing::Test {
  core::SystemClock clock;
  MemoryAccountRecords records;
  AccountService service{records, quick_settings(), clock};

  template <class Start>
  AccountAnswer ask(Start start) {
    auto promise = std::make_shared<std::promise<AccountAnswer>>();
    auto future = promise->get_future();
    const auto caller = std::this_thread::get_id();
    start([promise, caller, this](AccountAnswer a) {
      on_caller_thread = std::this_thread::get_id() == caller;
      promise->set_value(std::move(a));
    });
    EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
    return future.get();
  }
  bool on_caller_thread = true;
};

TEST_F(Service, RegistersOnTheWorkerAndStoresHashesNotPasswords) {
  const auto a = ask([&](AccountDone d) { service.create(named("Raj Ingle", "raj ingle"), "sesame!", d); });
  EXPECT_EQ(a.status, AccountStatus::ok);
  EXPECT_EQ(a.name, "Raj Ingle");
  EXPECT_FALSE(on_caller_thread);
  const auto record = records.find("raj ingle");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->name, "Raj Ingle");
  EXPECT_TRUE(verify_password(record->password_hash, "sesame!"));
  EXPECT_EQ(record->password_hash.find("sesame!"), std::string::npos);
  EXPECT_EQ(record->scram.iterations, kScramIterations);
  EXPECT_EQ(record->scram.stored_key.size(), 32u);
  EXPECT_GT(record->created, 1600000000);
}

TEST_F(Service, ANameIsRegisteredOnce) {
  ask([&](AccountDone d) { service.create(named("raj", "raj"), "sesame!", d); });
  EXPECT_EQ(ask([&](AccountDone d) { service.create(named("RAJ", "raj"), "other!!", d); }).status,
            AccountStatus::account_exists);
  EXPECT_TRUE(verify_password(records.find("raj")->password_hash, "sesame!"));
}

TEST_F(Service, PasswordLengthLimitsAtAndPastTheirEdges) {
  const auto& s = service.settings();
  EXPECT_EQ(ask([&](AccountDone d) { service.create(named("a", "a"), std::string(s.min_password - 1, 'x'), d); })
                .status,
            AccountStatus::password_too_short);
  EXPECT_EQ(ask([&](AccountDone d) { service.create(named("b", "b"), std::string(s.min_password, 'x'), d); }).status,
            AccountStatus::ok);
  EXPECT_EQ(ask([&](AccountDone d) { service.create(named("c", "c"), std::string(s.max_password, 'x'), d); }).status,
            AccountStatus::ok);
  EXPECT_EQ(ask([&](AccountDone d) { service.create(named("e", "e"), std::string(s.max_password + 1, 'x'), d); })
                .status,
            AccountStatus::password_too_long);
}

TEST_F(Service, VerifiesPasswords) {
  ask([&](AccountDone d) { service.create(named("Raj", "raj"), "sesame!", d); });
  const auto ok = ask([&](AccountDone d) { service.verify("raj", "sesame!", "10.0.0.1", d); });
  EXPECT_EQ(ok.status, AccountStatus::ok);
  EXPECT_EQ(ok.name, "Raj");
  EXPECT_EQ(ask([&](AccountDone d) { service.verify("raj", "sesame", "10.0.0.1", d); }).status,
            AccountStatus::wrong_password);
  // No account: the same answer as a wrong password.
  EXPECT_EQ(ask([&](AccountDone d) { service.verify("nobody", "sesame!", "10.0.0.2", d); }).status,
            AccountStatus::wrong_password);
}

TEST_F(Service, FailedLoginsArePaced) {
  ask([&](AccountDone d) { service.create(named("Raj", "raj"), "sesame!", d); });
  EXPECT_EQ(ask([&](AccountDone d) { service.verify("raj", "nope", "10.0.0.1", d); }).status,
            AccountStatus::wrong_password);  // the one free failure
  EXPECT_EQ(ask([&](AccountDone d) { service.verify("raj", "nope", "10.0.0.1", d); }).status,
            AccountStatus::wrong_password);  // paced from now on
  const auto paced = ask([&](AccountDone d) { service.verify("raj", "sesame!", "10.0.0.3", d); });
  EXPECT_EQ(paced.status, AccountStatus::paced);  // even the right password, from elsewhere: the account is paced
  EXPECT_GT(paced.retry_after.count(), 50);
  EXPECT_LE(paced.retry_after.count(), 60);
}

TEST_F(Service, ScramCredentialsForAccountsAndMadeUpOnesForOthers) {
  ask([&](AccountDone d) { service.create(named("Raj", "raj"), "sesame!", d); });
  const auto real = ask([&](AccountDone d) { service.scram_credentials("raj", "", d); });
  EXPECT_EQ(real.status, AccountStatus::ok);
  EXPECT_EQ(real.scram, records.find("raj")->scram);
  const auto fake1 = ask([&](AccountDone d) { service.scram_credentials("ghost", "", d); });
  const auto fake2 = ask([&](AccountDone d) { service.scram_credentials("ghost", "", d); });
  EXPECT_EQ(fake1.status, AccountStatus::no_such_account);
  EXPECT_EQ(fake1.scram.salt, fake2.scram.salt);  // the same each time, as a real account's
  EXPECT_EQ(fake1.scram.iterations, kScramIterations);
  service.scram_finished("raj", "10.9.9.9", false);
  service.scram_finished("raj", "10.9.9.9", false);
  EXPECT_EQ(ask([&](AccountDone d) { service.scram_credentials("raj", "", d); }).status, AccountStatus::paced);
}

TEST_F(Service, ChangesPasswordsAndScramKeysTogether) {
  ask([&](AccountDone d) { service.create(named("Raj", "raj"), "sesame!", d); });
  const auto before = records.find("raj")->scram;
  EXPECT_EQ(ask([&](AccountDone d) { service.change_password("raj", "opensesame", d); }).status, AccountStatus::ok);
  EXPECT_NE(records.find("raj")->scram, before);
  EXPECT_EQ(ask([&](AccountDone d) { service.verify("raj", "opensesame", "", d); }).status, AccountStatus::ok);
  EXPECT_EQ(ask([&](AccountDone d) { service.change_password("ghost", "opensesame", d); }).status,
            AccountStatus::no_such_account);
}

TEST_F(Service, RemovesAndFinds) {
  ask([&](AccountDone d) { service.create(named("Raj", "raj"), "sesame!", d); });
  EXPECT_EQ(ask([&](AccountDone d) { service.find("raj", d); }).name, "Raj");
  EXPECT_EQ(ask([&](AccountDone d) { service.remove("raj", d); }).status, AccountStatus::ok);
  EXPECT_EQ(ask([&](AccountDone d) { service.find("raj", d); }).status, AccountStatus::no_such_account);
  EXPECT_EQ(ask([&](AccountDone d) { service.remove("raj", d); }).status, AccountStatus::no_such_account);
}

// Deletions watched (a running server): each handed on once, before a login
// or registration is answered, and numbered so that a session of the name
// registered again is told apart from one of the deleted account.
struct Watching : Service {
  std::mutex mutex;
  std::vector<AccountDeletion> seen;
  void watch(std::int64_t after) {
    service.watch_deletions(after, [this](const AccountDeletion& d) {
      std::lock_guard lock(mutex);
      seen.push_back(d);
    });
  }
  std::vector<std::string> seen_keys() {
    std::lock_guard lock(mutex);
    std::vector<std::string> keys;
    for (const auto& d : seen) keys.push_back(d.key);
    return keys;
  }
};

TEST_F(Watching, ADeletionIsHandedOnBeforeTheNameIsRegisteredAgain) {
  ask([&](AccountDone d) { service.create(named("Ann", "ann"), "sesame!", d); });
  ask([&](AccountDone d) { service.create(named("Raj", "raj"), "sesame!", d); });
  const auto gone_before = ask([&](AccountDone d) { service.remove("ann", d); });
  ASSERT_TRUE(gone_before.ok());
  watch(gone_before.deletion);  // what the server applied at start
  const auto login = ask([&](AccountDone d) { service.verify("raj", "sesame!", "", d); });
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login.deletions_seen, gone_before.deletion);
  EXPECT_TRUE(seen_keys().empty()) << "deletions from before the watch are not handed on";

  // Another process deletes raj; the name is registered again here: the
  // registration hears of the deletion first, and is numbered past it.
  const auto gone = records.remove("raj");
  ASSERT_TRUE(gone);
  EXPECT_GT(*gone, gone_before.deletion);
  const auto created = ask([&](AccountDone d) { service.create(named("Raj", "raj"), "sesame!", d); });
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(seen_keys(), (std::vector<std::string>{"raj"}));
  EXPECT_EQ(created.deletions_seen, *gone);
  const auto relogin = ask([&](AccountDone d) { service.verify("raj", "sesame!", "", d); });
  ASSERT_TRUE(relogin.ok());
  EXPECT_EQ(relogin.deletions_seen, *gone);
  EXPECT_EQ(seen_keys().size(), 1u) << "each deletion once";
}

TEST_F(Watching, SaslCredentialsCarryTheDeletionsSeen) {
  ask([&](AccountDone d) { service.create(named("Raj", "raj"), "sesame!", d); });
  ask([&](AccountDone d) { service.create(named("Ann", "ann"), "sesame!", d); });
  watch(0);
  ASSERT_TRUE(records.remove("ann"));
  const auto a = ask([&](AccountDone d) { service.scram_credentials("raj", "", d); });
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.deletions_seen, records.last_deletion());
  EXPECT_EQ(seen_keys(), (std::vector<std::string>{"ann"}));
}

TEST(ServiceWatch, DeletionsAreReadEveryDeletedCheck) {
  core::SystemClock clock;
  MemoryAccountRecords records;
  AccountSettings settings = quick_settings();
  settings.deleted_check = 1s;
  AccountService service(records, settings, clock);
  ASSERT_TRUE(records.insert(AccountRecord{"raj", "Raj", "x", {}, 0}));
  auto heard = std::make_shared<std::promise<AccountDeletion>>();
  service.watch_deletions(0, [heard](const AccountDeletion& d) { heard->set_value(d); });
  const auto id = records.remove("raj");  // nobody logs in: only the check can notice
  ASSERT_TRUE(id);
  auto f = heard->get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  const AccountDeletion d = f.get();
  EXPECT_EQ(d.id, *id);
  EXPECT_EQ(d.name, "Raj");
}

TEST(ServiceStore, AFailingStoreIsReportedAndTheWorkerGoesOn) {
  core::SystemClock clock;
  FailingRecords records;
  AccountService service(records, quick_settings(), clock);
  for (int i = 0; i < 2; ++i) {
    std::promise<AccountAnswer> p;
    service.find("raj", [&](AccountAnswer a) { p.set_value(a); });
    auto f = p.get_future();
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(f.get().status, AccountStatus::unavailable);
  }
}

TEST(ServiceQueue, AFullQueueAnswersBusyAtOnce) {
  core::SystemClock clock;
  MemoryAccountRecords records;
  AccountSettings settings = quick_settings();
  settings.max_queued = 1;
  AccountService service(records, settings, clock);
  // Hold the worker so that queued jobs stay queued.
  std::promise<void> release;
  std::promise<void> holding;
  service.after(0s, [&] {
    holding.set_value();
    release.get_future().wait();
  });
  holding.get_future().wait();
  std::promise<AccountAnswer> first;
  service.find("a", [&](AccountAnswer a) { first.set_value(a); });  // queued: at the limit
  std::optional<AccountAnswer> second;
  service.find("b", [&](AccountAnswer a) { second = a; });  // past it
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, AccountStatus::busy);
  release.set_value();
  auto f = first.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(f.get().status, AccountStatus::no_such_account);
}

TEST(Worker, JobsDueLaterRunInDueOrder) {
  Worker worker;
  std::mutex m;
  std::vector<int> order;
  std::promise<void> done;
  worker.post_after(60ms, [&] {
    std::lock_guard l(m);
    order.push_back(2);
    done.set_value();
  });
  worker.post_after(20ms, [&] {
    std::lock_guard l(m);
    order.push_back(1);
  });
  worker.post([&] {
    std::lock_guard l(m);
    order.push_back(0);
  });
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  std::lock_guard l(m);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
}

}  // namespace
}  // namespace parley::auth
