#pragma once
// A real PostgreSQL 15 server for a test suite (started once, stopped after
// its last test) and a fresh, empty database for each test; the tests skip
// where PostgreSQL is not installed.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "postgres_process.hpp"

namespace parley::store::testing {

class PgFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (test::PostgresProcess::available()) server_ = std::make_unique<test::PostgresProcess>();
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    if (!server_) GTEST_SKIP() << "PostgreSQL 15 is not installed (scripts/install-deps.sh installs it)";
    url_ = server_->fresh_database();
  }
  static inline std::unique_ptr<test::PostgresProcess> server_;
  std::string url_;
};

}  // namespace parley::store::testing
