#include "store_fixture.hpp"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <stdexcept>

#include "pg_cluster.hpp"

namespace ita::store::fixture {

namespace fs = std::filesystem;

void PrintTo(Backend b, std::ostream* os) {
  *os << (b == Backend::SQLite ? "SQLite" : "PostgreSQL");
}

void find_postgres(std::string& url) {
  std::string why;
  test::PgCluster* cluster = test::PgCluster::shared(why);
  if (cluster != nullptr) {
    url = cluster->fresh_database_url();
    return;
  }
  if (test::postgres_required()) FAIL() << "ITA_REQUIRE_POSTGRES=1, but " << why;
  GTEST_SKIP() << "no PostgreSQL, test skipped: " << why;  // CMakeLists.txt matches this text
}

std::string temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "ita-store-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string code_hash(int n) {
  std::string digits = std::to_string(n);
  return "c0de" + std::string(60 - digits.size(), '0') + digits;
}

bool is_random_id(const std::string& id) {
  return std::regex_match(id, std::regex("[0-9a-f]{32}"));
}

void expect_same_entry(const OitEntry& a, const OitEntry& b) {
  EXPECT_EQ(a.round_id, b.round_id);
  EXPECT_EQ(a.item, b.item);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.more_urls, b.more_urls);
  EXPECT_EQ(a.note, b.note);
  EXPECT_EQ(a.stage, b.stage);
  EXPECT_EQ(a.verdict, b.verdict);
  EXPECT_EQ(a.review_comment, b.review_comment);
  EXPECT_EQ(a.appeal_explanation, b.appeal_explanation);
  EXPECT_EQ(a.final_verdict, b.final_verdict);
  EXPECT_EQ(a.final_comment, b.final_comment);
}

void StoreTest::SetUp() {
  if (GetParam() == Backend::SQLite) {
    dir_ = temp_dir();
    path_ = dir_ + "/ita.sqlite";
    url_ = "sqlite:" + path_;
  } else {
    find_postgres(url_);
    if (url_.empty()) return;
  }
  store_ = open_store(url_);
}

void StoreTest::TearDown() {
  store_.reset();
  if (!dir_.empty()) fs::remove_all(dir_);
}

std::unique_ptr<test::RawDb> StoreTest::raw() const {
  return GetParam() == Backend::SQLite ? test::open_raw_sqlite(path_)
                                       : test::open_raw_postgres(url_);
}

std::int64_t StoreTest::raw_count(const std::string& table) const {
  return std::stoll(raw()->query("SELECT COUNT(*) FROM " + table).at(0).at(0).value());
}

std::int64_t StoreTest::raw_answer_count() const {
  return raw_count(GetParam() == Backend::SQLite ? "responses r, json_each(r.answers)"
                                                 : "responses r, json_array_elements(r.answers)");
}

Agency StoreTest::make_agency(const std::string& name) {
  return store_->create_agency({0, name, "เมืองเชียงใหม่", "เชียงใหม่", "เทศบาลตำบล"}, std::nullopt);
}

User StoreTest::make_user(const std::string& email, Role role,
                          std::optional<std::int64_t> agency_id) {
  User u;
  u.email = email;
  u.role = role;
  u.agency_id = agency_id;
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  return store_->create_user(u, std::nullopt);
}

Round StoreTest::make_round(std::int64_t agency_id, const std::string& tag, bool codes,
                            RoundStatus status) {
  Round r;
  r.agency_id = agency_id;
  r.edition_id = "2567";
  r.staff_count = 120;
  r.service_users = 300;
  r.iit_token = "iit-" + tag;
  r.eit_token = "eit-" + tag;
  r.access_codes_required = codes;
  r.status = status;
  return store_->create_round(r, admin_id_);
}

std::string StoreTest::submit(std::int64_t round_id, ToolId tool,
                              std::map<std::string, std::string> answers,
                              std::optional<std::string> code) {
  return store_->submit_response(
      {round_id, tool, "2024-05-01", std::move(answers), std::move(code)});
}

std::vector<AnswerRow> StoreTest::answers_of(std::int64_t round_id) {
  std::vector<AnswerRow> rows;
  store_->for_each_answer(round_id, [&](const AnswerRow& a) { rows.push_back(a); });
  return rows;
}

void PostgresStore::SetUp() {
  find_postgres(url_);
  if (!url_.empty()) store_ = open_store(url_);
}

namespace {

std::string backend_name(const testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::SQLite ? "SQLite" : "PostgreSQL";
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, testing::Values(Backend::SQLite, Backend::PostgreSQL),
                         backend_name);

}  // namespace ita::store::fixture
