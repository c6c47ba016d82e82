#pragma once
// The service tests' fixture: a fresh store of the test's backend (a temporary SQLite file, or a
// database on this process's throwaway PostgreSQL cluster), the built-in editions, an
// administrator and one agency. No HTTP: the tests call src/service directly.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "io/edition_registry.hpp"
#include "service/edition_catalog.hpp"
#include "service/secrets.hpp"
#include "store/store.hpp"
#include "web/test_databases.hpp"

namespace ita::testing {

class ServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = make_test_database(GetParam(),
                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    if (db_.url.empty()) GTEST_SKIP() << "no PostgreSQL, test skipped: " << db_.skip_reason;
    service::init_crypto();
    store_ = store::open_store(db_.url);
    catalog_ = std::make_unique<service::EditionCatalog>(*store_, io::EditionSet::builtin());
    admin_ = store_->create_user({0, "admin@test", store::Role::Admin, std::nullopt,
                                  "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"},
                                 std::nullopt);
    agency_ = store_->create_agency({0, "เทศบาลตำบลทดสอบ", "เมือง", "น่าน", "เทศบาลตำบล"}, admin_.id);
  }

  void TearDown() override {
    catalog_.reset();
    store_.reset();
    drop_test_database(db_);
  }

  const Edition& edition(const char* id) { return *catalog_->find(id); }

  // Every answer unit of `tool` in edition 2564 answered with its scale's first option: a
  // complete response.
  std::map<std::string, std::string> complete(ToolId tool) {
    const Edition& e = edition("2564");
    std::map<std::string, std::string> out;
    for (const auto& item : e.questionnaire(tool).items) {
      for (const auto& sub : item.sub_items)
        out[sub.code] = e.scales.at(sub.scale).options.front().code;
    }
    return out;
  }

  TestDatabase db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<service::EditionCatalog> catalog_;
  store::User admin_;
  store::Agency agency_;
};

// "SQLite" / "PostgreSQL" in the test names.
inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param == "sqlite" ? "SQLite" : "PostgreSQL";
}

}  // namespace ita::testing

// Runs every test of SUITE on SQLite (…/0) and PostgreSQL (…/1).
#define ITA_SERVICE_BACKENDS(SUITE)                                                  \
  INSTANTIATE_TEST_SUITE_P(Backends, SUITE, ::testing::Values("sqlite", "postgres"), \
                           ::ita::testing::backend_name)
