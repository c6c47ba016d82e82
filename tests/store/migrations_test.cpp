// What src/store/sql_store.cpp holds besides transactions: the schema and its migrations, and the
// audit log; on both backends.
#include "store/migrations.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "store_fixture.hpp"

namespace ita::store {
namespace {

using namespace fixture;
using test::RawDb;

// A database as an older ita left it: schema_version and every migration up to and including
// `version`, applied by hand. A SQLite one is a new file in `dir`, a PostgreSQL one a fresh
// database of the test cluster (the test's SetUp has already skipped without one). Throws
// std::runtime_error, which fails the test, when the database refuses a statement.
struct OldDatabase {
  std::string url;
  std::unique_ptr<RawDb> db;
};
OldDatabase database_at_version(Backend backend, const std::string& dir, int version) {
  OldDatabase old;
  if (backend == Backend::SQLite) {
    old.url = dir + "/v" + std::to_string(version) + ".sqlite";
    std::ofstream(old.url).flush();  // an empty file is an empty database
    old.db = test::open_raw_sqlite(old.url);
  } else {
    find_postgres(old.url);
    old.db = test::open_raw_postgres(old.url);
  }
  const auto run = [&](const std::string& sql, const std::string& what) {
    if (!old.db->succeeds(sql)) throw std::runtime_error("the database refused " + what);
  };
  run("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at BIGINT NOT NULL)",
      "schema_version");
  for (const auto& m : backend == Backend::SQLite ? sqlite_migrations() : postgres_migrations()) {
    if (m.version > version) break;
    const std::string name(m.name);
    run(std::string(m.sql), "migration " + name);
    run("INSERT INTO schema_version VALUES (" + std::to_string(m.version) + ", '" + name + "', 0)",
        "the row of " + name);
  }
  return old;
}

TEST_P(StoreTest, AdministrativeActionsAreAudited) {
  const std::int64_t start = unix_now();
  const Agency a = make_agency();
  User admin;
  admin.email = "admin@ita.go.th";
  admin.role = Role::Admin;
  admin.password_hash = "$argon2id$secret-hash";
  admin = store_->create_user(admin, std::nullopt);
  admin_id_ = admin.id;
  const Round round = make_round(a.id, "r1", true);
  store_->add_access_codes(round.id, {code_hash(1), code_hash(2)}, admin.id);
  store_->create_api_token("api-token-hash", admin.id, start + 86400, admin.id);
  store_->create_session({"session-token-hash", admin.id, "csrf-value", start + 3600});
  store_->put_oit_evidence(round.id, "O3", "https://banmai.go.th/o3", "", admin.id);
  store_->review_oit(round.id, "O3", false, "no", admin.id);
  store_->appeal_oit(round.id, "O3", "look again", admin.id);
  store_->confirm_oit(round.id, "O3", true, "ok", admin.id);
  submit(round.id, ToolId::IIT, {{"I1", "4"}}, code_hash(1));  // respondents are never audited

  const auto log = store_->audit_log(100);
  std::vector<std::string> actions;
  for (auto it = log.rbegin(); it != log.rend(); ++it) actions.push_back(it->action);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"agency.create", "user.create", "round.create",
                                      "access_codes.add", "api_token.create", "session.create",
                                      "oit.evidence", "oit.review", "oit.appeal", "oit.confirm"}));
  ASSERT_EQ(log.size(), 10u);
  EXPECT_EQ(log[0].target, "round:" + std::to_string(round.id) + "/O3");
  EXPECT_EQ(log[0].user_id, admin.id);
  EXPECT_EQ(log.back().target, "agency:" + std::to_string(a.id));
  EXPECT_FALSE(log.back().user_id);
  EXPECT_GT(log[0].id, log[1].id) << "newest first";

  const auto confirm_detail = nlohmann::json::parse(log[0].detail);
  EXPECT_EQ(confirm_detail.at("stage"), "confirmed");
  EXPECT_EQ(confirm_detail.at("pass"), true);
  EXPECT_EQ(nlohmann::json::parse(log[6].detail).at("count"), 2);
  const std::vector<std::string> secrets = {"secret-hash", "api-token-hash", "session-token-hash",
                                            "csrf-value",  code_hash(1),     "iit-r1",
                                            "eit-r1"};
  for (const auto& e : log) {
    EXPECT_GE(e.at, start);
    EXPECT_LE(e.at, unix_now());
    EXPECT_TRUE(nlohmann::json::accept(e.detail)) << e.detail;
    for (const std::string& secret : secrets) {
      EXPECT_EQ(e.detail.find(secret), std::string::npos) << e.action << " leaks " << secret;
    }
  }

  store_->log({0, 1234, 42, "report.export", "round:9", "{\"format\":\"pdf\"}"});
  const auto newest = store_->audit_log(2);
  ASSERT_EQ(newest.size(), 2u);
  EXPECT_EQ(newest[0].at, 1234);
  EXPECT_EQ(newest[0].user_id, 42);
  EXPECT_EQ(newest[0].action, "report.export");
  EXPECT_EQ(newest[0].detail, "{\"format\":\"pdf\"}");
  EXPECT_EQ(newest[1].action, "oit.confirm");
  EXPECT_TRUE(store_->audit_log(0).empty());
}

// ---- schema ----

TEST_P(StoreTest, MigrationsRunOnceAndDataSurvivesReopening) {
  const auto& migrations =
      GetParam() == Backend::SQLite ? sqlite_migrations() : postgres_migrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(store_->schema_version(), migrations.back().version);
  const Agency a = make_agency();

  for (int i = 0; i < 2; ++i) {
    store_.reset();
    store_ = open_store(url_);
    EXPECT_EQ(store_->schema_version(), migrations.back().version);
  }
  EXPECT_EQ(raw_count("schema_version"), static_cast<std::int64_t>(migrations.size()));
  ASSERT_TRUE(store_->agency(a.id));
  EXPECT_EQ(store_->agency(a.id)->name, a.name);
}

// A store of schema version 2 (one row per answer) with responses is brought to version 3: every
// answer comes back the same, each response keyed by its round and random id.
TEST_P(StoreTest, MigrationToOneRowPerResponseKeepsEveryAnswer) {
  auto [url, db] = database_at_version(GetParam(), dir_, 2);
  const auto& migrations =
      GetParam() == Backend::SQLite ? sqlite_migrations() : postgres_migrations();
  const std::string no = GetParam() == Backend::SQLite ? "0" : "FALSE";
  ASSERT_TRUE(db->succeeds(
      "INSERT INTO agencies (id, name, district, province, type) VALUES (1, 'a', '', '', '')"));
  ASSERT_TRUE(db->succeeds(
      "INSERT INTO rounds (id, agency_id, edition_id, staff_count, service_users, iit_token, "
      "eit_token, access_codes_required, status) VALUES (7, 1, '2564', 5, 5, 'i', 'e', " +
      no + ", 'open')"));
  // Three responses: two sets of units (one with a unit that sorts between the others), one
  // without answers.
  const std::map<std::string, std::map<std::string, std::string>> stored = {
      {"0123456789abcdef0123456789abcdef", {{"I1", "4"}, {"I10", "Y"}, {"I2", "1"}}},
      {"fedcba9876543210fedcba9876543210", {{"I1", "3"}, {"I10", "N"}, {"I2", "2"}}},
      {"00000000000000000000000000000007", {{"E1", "2"}, {"E1.1", "4"}}},
      {"11111111111111111111111111111111", {}}};
  for (const auto& [id, answers] : stored) {
    ASSERT_TRUE(db->succeeds("INSERT INTO responses (id, round_id, tool, day) VALUES ('" + id +
                             "', 7, '" +
                             (answers.empty() || answers.begin()->first[0] == 'I' ? "IIT" : "EIT") +
                             "', '2024-05-01')"));
    for (const auto& [unit, option] : answers) {
      ASSERT_TRUE(db->succeeds("INSERT INTO answers (response_id, unit, option) VALUES ('" + id +
                               "', '" + unit + "', '" + option + "')"));
    }
  }
  db.reset();

  auto store = open_store(url);
  EXPECT_EQ(store->schema_version(), migrations.back().version);
  std::map<std::string, std::map<std::string, std::string>> read;
  std::vector<std::string> order;
  store->for_each_answer(7, [&](const AnswerRow& a) {
    if (order.empty() || order.back() != a.response_id) order.push_back(a.response_id);
    read[a.response_id][a.unit] = a.option;
  });
  std::map<std::string, std::map<std::string, std::string>> with_answers = stored;
  with_answers.erase("11111111111111111111111111111111");
  EXPECT_EQ(read, with_answers);
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end())) << "read in random-id order";
  EXPECT_EQ(store->response_counts(7), (std::map<ToolId, int>{{ToolId::IIT, 3}, {ToolId::EIT, 1}}));
  db = GetParam() == Backend::SQLite ? test::open_raw_sqlite(url) : test::open_raw_postgres(url);
  for (const auto& row : db->query("SELECT slot, id FROM responses")) {
    EXPECT_EQ(std::stoll(*row.at(0)),
              (std::int64_t{7} << 40) | std::stoll(row.at(1)->substr(0, 10), nullptr, 16));
  }
  EXPECT_EQ(*db->query("SELECT COUNT(*) FROM answer_layouts").at(0).at(0), "3");
  // New responses after the migration use the migrated layouts.
  store->submit_response(
      {7, ToolId::IIT, "2024-05-02", {{"I1", "1"}, {"I10", "Y"}, {"I2", "3"}}, std::nullopt});
  EXPECT_EQ(*db->query("SELECT COUNT(*) FROM answer_layouts").at(0).at(0), "3");
}

// API tokens made before schema version 8 have neither an id nor an expiry: the migration gives
// them both, 90 days from the upgrade, and keeps them working.
TEST_P(StoreTest, TokensFromBeforeVersionEightGetAnIdAndNinetyDays) {
  auto [url, db] = database_at_version(GetParam(), dir_, 7);
  ASSERT_TRUE(
      db->succeeds("INSERT INTO users (id, email, role, password_hash) VALUES (1, 'a@ita.go.th', "
                   "'admin', 'h')"));
  ASSERT_TRUE(
      db->succeeds("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES "
                   "('old-1', 1, 1000), ('old-2', 1, 2000)"));
  db.reset();

  const std::int64_t before = unix_now();
  auto store = open_store(url);
  const auto tokens = store->api_tokens(std::nullopt);
  ASSERT_EQ(tokens.size(), 2U);
  EXPECT_NE(tokens[0].id, tokens[1].id);
  for (const auto& t : tokens) {
    EXPECT_GT(t.id, 0);
    EXPECT_GE(t.expires_at, before + 90 * 86400);
    EXPECT_LE(t.expires_at, unix_now() + 90 * 86400);
    EXPECT_FALSE(t.last_used_at);
  }
  EXPECT_TRUE(store->user_by_api_token("old-1", unix_now()));
  EXPECT_FALSE(store->user(1)->disabled_at);
  // New tokens continue the ids.
  const ApiToken fresh = store->create_api_token("new-1", 1, unix_now() + 60, std::nullopt);
  EXPECT_GT(fresh.id, std::max(tokens[0].id, tokens[1].id));
}

TEST_P(StoreTest, ADatabaseFromANewerVersionIsRefused) {
  ASSERT_TRUE(raw()->succeeds(
      "INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 0)"));
  store_.reset();
  try {
    store_ = open_store(url_);
    FAIL() << "a newer schema was accepted";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("999"), std::string::npos) << e.what();
  }
}

TEST(StoreMigrations, BothBackendsHaveTheSameVersionsInOrder) {
  const auto& lite = sqlite_migrations();
  const auto& pg = postgres_migrations();
  ASSERT_EQ(lite.size(), pg.size());
  for (std::size_t i = 0; i < lite.size(); ++i) {
    EXPECT_EQ(lite[i].version, static_cast<int>(i + 1));
    EXPECT_EQ(lite[i].name, pg[i].name);
    EXPECT_FALSE(lite[i].sql.empty());
    EXPECT_FALSE(pg[i].sql.empty());
  }
}

}  // namespace
}  // namespace ita::store
