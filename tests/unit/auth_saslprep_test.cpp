// SASLprep (RFC 4013) for passwords: the RFC's own examples, what it
// prohibits, and the account service comparing prepared passwords: a password
// typed another way logs in, one SASLprep refuses is not registered, and an
// account hashed before passwords were prepared still logs in and is hashed
// again in the prepared form.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "auth/account_service.h"
#include "auth/memory_account_records.h"
#include "auth/password_hash.h"
#include "auth/saslprep.h"

namespace parley::auth {
namespace {

using namespace std::chrono_literals;

TEST(Saslprep, TheRfcExamples) {
  // RFC 4013 section 3: "I<U+00AD>X" -> "IX", "user" -> "user", "USER" -> "USER",
  // "<U+00AA>" -> "a", "<U+2168>" -> "IX", "<U+0007>" -> error, "<U+0627><U+0031>" -> error.
  EXPECT_EQ(saslprep("I\u00ADX"), "IX");
  EXPECT_EQ(saslprep("user"), "user");
  EXPECT_EQ(saslprep("USER"), "USER");
  EXPECT_EQ(saslprep("\u00AA"), "a");
  EXPECT_EQ(saslprep("\u2168"), "IX");
  EXPECT_EQ(saslprep("\x07"), std::nullopt);
  EXPECT_EQ(saslprep("\u0627\u0031"), std::nullopt);
}

TEST(Saslprep, SpacesNormalFormsAndWhatIsRefused) {
  EXPECT_EQ(saslprep("open\u00A0sesame"), "open sesame") << "non-ASCII spaces map to a space";
  EXPECT_EQ(saslprep("cafe\u0301"), "caf\u00E9") << "NFKC: decomposed and composed are one password";
  EXPECT_EQ(saslprep("caf\u00E9"), "caf\u00E9");
  EXPECT_EQ(saslprep("tab\there"), std::nullopt) << "ASCII control characters are prohibited";
  EXPECT_EQ(saslprep(std::string("nul\0inside", 10)), std::nullopt);
  EXPECT_EQ(saslprep("\uE000private"), std::nullopt) << "private use is prohibited";
  EXPECT_EQ(saslprep("\u00AD"), std::nullopt) << "nothing left once prepared";
  EXPECT_EQ(saslprep("\xff\xfe"), std::nullopt) << "not UTF-8";
  EXPECT_EQ(saslprep("emoji \U0001F511"), "emoji \U0001F511") << "unassigned in Unicode 3.2: let through";
}

AccountSettings quick_settings() {
  AccountSettings s;
  s.cost = HashCost::minimum();
  return s;
}

struct PreparedPasswords : ::testing::Test {
  core::SystemClock clock;
  MemoryAccountRecords records;
  AccountService service{records, quick_settings(), clock};

  template <class Start>
  AccountAnswer ask(Start start) {
    auto promise = std::make_shared<std::promise<AccountAnswer>>();
    auto future = promise->get_future();
    start([promise](AccountAnswer a) { promise->set_value(std::move(a)); });
    EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
    return future.get();
  }
  AccountStatus create(const std::string& password) {
    return ask([&](AccountDone d) { service.create(core::CheckedName{"ann", "ann"}, password, d); }).status;
  }
  AccountStatus verify(const std::string& password) {
    return ask([&](AccountDone d) { service.verify("ann", password, "", d); }).status;
  }
};

TEST_F(PreparedPasswords, OnePasswordTypedTwoWays) {
  ASSERT_EQ(create("caf\u00E9\u00A0au lait"), AccountStatus::ok);
  EXPECT_TRUE(verify_password(records.find("ann")->password_hash, "caf\u00E9 au lait")) << "hashed prepared";
  EXPECT_EQ(verify("cafe\u0301 au lait"), AccountStatus::ok);
  EXPECT_EQ(verify("caf\u00E9 au lait"), AccountStatus::ok);
  EXPECT_EQ(verify("cafe au lait"), AccountStatus::wrong_password);
  EXPECT_EQ(verify("caf\u00E9\tau lait"), AccountStatus::wrong_password) << "prohibited: matches nothing";
}

TEST_F(PreparedPasswords, AProhibitedPasswordIsNotRegisteredAndLengthsCountThePreparedForm) {
  EXPECT_EQ(create("bell\x07" "bell"), AccountStatus::password_invalid);
  EXPECT_FALSE(records.find("ann"));
  // Six bytes typed, but the soft hyphens map to nothing: five left, under the minimum of six.
  EXPECT_EQ(create("abc\u00ADde"), AccountStatus::password_too_short);
  EXPECT_EQ(create("abc\u00ADdef"), AccountStatus::ok);
  EXPECT_EQ(verify("abcdef"), AccountStatus::ok);
  EXPECT_EQ(ask([&](AccountDone d) { service.change_password("ann", "new\x01" "pass", d); }).status,
            AccountStatus::password_invalid);
  EXPECT_EQ(ask([&](AccountDone d) { service.change_password("ann", "\u2168\u2168\u2168", d); }).status,
            AccountStatus::ok);
  EXPECT_EQ(verify("IXIXIX"), AccountStatus::ok);
}

TEST_F(PreparedPasswords, AHashFromBeforePreparationLogsInAndIsHashedAgain) {
  // As an older parleyd kept it: the password hashed as typed.
  const std::string typed = "cafe\u0301 au lait";  // decomposed: SASLprep composes it
  AccountRecord old{"ann", "ann", hash_password(typed, HashCost::minimum()), make_scram_credentials(typed), 1};
  ASSERT_TRUE(records.insert(old));
  EXPECT_EQ(verify("caf\u00E9 au lait"), AccountStatus::wrong_password) << "only the old form matches, at first";
  EXPECT_EQ(verify(typed), AccountStatus::ok);
  const auto upgraded = records.find("ann");
  ASSERT_TRUE(upgraded);
  EXPECT_TRUE(verify_password(upgraded->password_hash, "caf\u00E9 au lait")) << "hashed again, prepared";
  EXPECT_NE(upgraded->scram, old.scram) << "SCRAM keys made again too";
  EXPECT_EQ(verify("caf\u00E9 au lait"), AccountStatus::ok) << "now both forms log in";
  EXPECT_EQ(verify(typed), AccountStatus::ok);
}

}  // namespace
}  // namespace parley::auth
