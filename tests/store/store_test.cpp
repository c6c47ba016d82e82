// One suite for both backends: every TEST_P runs against SQLite and against a throwaway
// PostgreSQL cluster (see pg_cluster.hpp).
#include "store/store.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "pg_cluster.hpp"
#include "raw_db.hpp"
#include "store/migrations.hpp"

namespace ita::store {
namespace {

namespace fs = std::filesystem;
using test::RawDb;

enum class Backend { SQLite, PostgreSQL };
void PrintTo(Backend b, std::ostream* os) {
  *os << (b == Backend::SQLite ? "SQLite" : "PostgreSQL");
}

// Sets `url` to a fresh database on this process's PostgreSQL cluster. Without PostgreSQL it
// skips the test, or fails it when ITA_REQUIRE_POSTGRES=1, and leaves `url` empty.
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

// A 64-hex-digit stand-in for the SHA-256 of a slip code.
std::string code_hash(int n) {
  std::string digits = std::to_string(n);
  return "c0de" + std::string(60 - digits.size(), '0') + digits;
}

bool is_random_id(const std::string& id) {
  return std::regex_match(id, std::regex("[0-9a-f]{32}"));
}

class StoreTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
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

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::unique_ptr<RawDb> raw() const {
    return GetParam() == Backend::SQLite ? test::open_raw_sqlite(path_)
                                         : test::open_raw_postgres(url_);
  }
  std::int64_t raw_count(const std::string& table) const {
    return std::stoll(raw()->query("SELECT COUNT(*) FROM " + table).at(0).at(0).value());
  }
  // Stored answers (one per option in the responses' JSON arrays), counted by SQL.
  std::int64_t raw_answer_count() const {
    return raw_count(GetParam() == Backend::SQLite ? "responses r, json_each(r.answers)"
                                                   : "responses r, json_array_elements(r.answers)");
  }

  Agency make_agency(const std::string& name = "เทศบาลตำบลบ้านใหม่") {
    return store_->create_agency({0, name, "เมืองเชียงใหม่", "เชียงใหม่", "เทศบาลตำบล"}, std::nullopt);
  }
  User make_user(const std::string& email, Role role, std::optional<std::int64_t> agency_id) {
    User u;
    u.email = email;
    u.role = role;
    u.agency_id = agency_id;
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    return store_->create_user(u, std::nullopt);
  }
  Round make_round(std::int64_t agency_id, const std::string& tag, bool codes = false,
                   RoundStatus status = RoundStatus::Open) {
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
  std::string submit(std::int64_t round_id, ToolId tool, std::map<std::string, std::string> answers,
                     std::optional<std::string> code = std::nullopt) {
    return store_->submit_response(
        {round_id, tool, "2024-05-01", std::move(answers), std::move(code)});
  }
  std::vector<AnswerRow> answers_of(std::int64_t round_id) {
    std::vector<AnswerRow> rows;
    store_->for_each_answer(round_id, [&](const AnswerRow& a) { rows.push_back(a); });
    return rows;
  }

  std::string dir_, path_, url_;
  std::unique_ptr<Store> store_;
  std::int64_t admin_id_ = 1;
};

void expect_same_entry(const OitEntry& a, const OitEntry& b) {
  EXPECT_EQ(a.round_id, b.round_id);
  EXPECT_EQ(a.item, b.item);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.note, b.note);
  EXPECT_EQ(a.stage, b.stage);
  EXPECT_EQ(a.verdict, b.verdict);
  EXPECT_EQ(a.review_comment, b.review_comment);
  EXPECT_EQ(a.appeal_explanation, b.appeal_explanation);
  EXPECT_EQ(a.final_verdict, b.final_verdict);
  EXPECT_EQ(a.final_comment, b.final_comment);
}

// ---- agencies, users, sessions, tokens, rounds ----

TEST_P(StoreTest, AgenciesAreStoredAndListedInCreationOrder) {
  const Agency a = make_agency("เทศบาลตำบลบ้านใหม่");
  const Agency b = make_agency("องค์การบริหารส่วนตำบลหนองหอย");
  EXPECT_GT(a.id, 0);
  EXPECT_NE(a.id, b.id);

  const auto found = store_->agency(a.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "เทศบาลตำบลบ้านใหม่");
  EXPECT_EQ(found->district, "เมืองเชียงใหม่");
  EXPECT_EQ(found->province, "เชียงใหม่");
  EXPECT_EQ(found->type, "เทศบาลตำบล");

  const auto all = store_->agencies();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, a.id);
  EXPECT_EQ(all[1].name, "องค์การบริหารส่วนตำบลหนองหอย");
  EXPECT_FALSE(store_->agency(b.id + 100));
}

TEST_P(StoreTest, UsersAreFoundByEmailAndIdAndAnEmailIsUnique) {
  const Agency a = make_agency();
  const User officer = make_user("officer@banmai.go.th", Role::Officer, a.id);
  const User admin = make_user("admin@ita.go.th", Role::Admin, std::nullopt);

  const auto by_email = store_->user_by_email("officer@banmai.go.th");
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, officer.id);
  EXPECT_EQ(by_email->role, Role::Officer);
  EXPECT_EQ(by_email->agency_id, a.id);
  EXPECT_EQ(by_email->password_hash, officer.password_hash);
  EXPECT_EQ(store_->user_by_email("Officer@BanMai.go.th")->id, officer.id);

  const auto by_id = store_->user(admin.id);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->email, "admin@ita.go.th");
  EXPECT_EQ(by_id->role, Role::Admin);
  EXPECT_FALSE(by_id->agency_id);
  EXPECT_FALSE(store_->user(admin.id + officer.id + 100));
  EXPECT_FALSE(store_->user_by_email("nobody@ita.go.th"));

  try {
    make_user("officer@banmai.go.th", Role::Viewer, a.id);
    FAIL() << "a duplicate e-mail was accepted";
  } catch (const Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("officer@banmai.go.th"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make_user("OFFICER@banmai.go.th", Role::Viewer, a.id), Conflict);
  EXPECT_THROW(make_user("viewer@banmai.go.th", Role::Viewer, a.id + 100),
               Conflict);  // unknown agency
  EXPECT_EQ(raw_count("users"), 2);
}

TEST_P(StoreTest, SessionsExpireAndCanBeDeleted) {
  const User u = make_user("officer@banmai.go.th", Role::Officer, std::nullopt);
  store_->create_session({"hash-of-cookie-1", u.id, "csrf-1", 2000});

  const auto live = store_->session("hash-of-cookie-1", 1999);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->user_id, u.id);
  EXPECT_EQ(live->csrf_token, "csrf-1");
  EXPECT_EQ(live->expires_at, 2000);

  EXPECT_FALSE(store_->session("hash-of-cookie-1", 2000));
  EXPECT_FALSE(store_->session("hash-of-cookie-1", 1000))
      << "an expired session is dropped for good";
  EXPECT_FALSE(store_->session("unknown", 1000));

  store_->create_session({"hash-of-cookie-2", u.id, "csrf-2", 5000});
  store_->delete_session("hash-of-cookie-2");
  EXPECT_FALSE(store_->session("hash-of-cookie-2", 1000));

  EXPECT_THROW(store_->create_session({"hash-of-cookie-3", u.id + 100, "csrf", 5000}), Conflict);
  store_->create_session({"hash-of-cookie-4", u.id, "csrf-4", 5000});
  EXPECT_THROW(store_->create_session({"hash-of-cookie-4", u.id, "csrf-x", 5000}), Conflict);
}

TEST_P(StoreTest, ApiTokensFindTheirUser) {
  const User u = make_user("robot@ita.go.th", Role::Assessor, std::nullopt);
  store_->create_api_token("token-hash-1", u.id, u.id);
  const auto found = store_->user_by_api_token("token-hash-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, u.id);
  EXPECT_EQ(found->role, Role::Assessor);
  EXPECT_FALSE(store_->user_by_api_token("token-hash-2"));
  EXPECT_THROW(store_->create_api_token("token-hash-1", u.id, u.id), Conflict);
  EXPECT_THROW(store_->create_api_token("token-hash-3", u.id + 100, u.id), Conflict);
}

TEST_P(StoreTest, RoundsAreFoundByIdLinkTokenAndAgency) {
  const Agency a = make_agency();
  const Agency other = make_agency("อบต.หนองหอย");
  const Round first = make_round(a.id, "a1", true);
  const Round second = make_round(a.id, "a2");

  const auto found = store_->round(first.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->agency_id, a.id);
  EXPECT_EQ(found->edition_id, "2567");
  EXPECT_EQ(found->staff_count, 120);
  EXPECT_EQ(found->service_users, 300);
  EXPECT_EQ(found->iit_token, "iit-a1");
  EXPECT_EQ(found->eit_token, "eit-a1");
  EXPECT_TRUE(found->access_codes_required);
  EXPECT_EQ(found->status, RoundStatus::Open);
  EXPECT_FALSE(store_->round(second.id)->access_codes_required);

  EXPECT_EQ(store_->round_by_token("iit-a1")->id, first.id);
  EXPECT_EQ(store_->round_by_token("eit-a1")->id, first.id);
  EXPECT_EQ(store_->round_by_token("eit-a2")->id, second.id);
  EXPECT_FALSE(store_->round_by_token("iit-zz"));
  EXPECT_FALSE(store_->round(second.id + 100));

  const auto of_agency = store_->rounds_of_agency(a.id);
  ASSERT_EQ(of_agency.size(), 2u);
  EXPECT_EQ(of_agency[0].id, first.id);
  EXPECT_EQ(of_agency[1].id, second.id);
  EXPECT_TRUE(store_->rounds_of_agency(other.id).empty());

  Round clash = *found;
  clash.eit_token = "eit-new";
  EXPECT_THROW(store_->create_round(clash, admin_id_), Conflict) << "same IIT token";
  clash.iit_token = "eit-a2";
  EXPECT_THROW(store_->create_round(clash, admin_id_), Conflict)
      << "IIT token equal to another round's EIT token";
  EXPECT_THROW(make_round(other.id + 100, "x"), Conflict) << "unknown agency";
  EXPECT_EQ(raw_count("rounds"), 2);
}

TEST_P(StoreTest, APracticeRoundIsStoredAsOne) {
  const Agency a = make_agency();
  Round r = make_round(a.id, "p1");
  EXPECT_FALSE(store_->round(r.id)->practice);
  r.iit_token = "iit-p2";
  r.eit_token = "eit-p2";
  r.practice = true;
  const Round practice = store_->create_round(r, admin_id_);
  EXPECT_TRUE(store_->round(practice.id)->practice);
  EXPECT_TRUE(store_->rounds_of_agency(a.id).back().practice);
}

// ---- published editions ----

TEST_P(StoreTest, PublishingAnEditionAddsAVersionUntilARoundUsesIt) {
  admin_id_ = make_user("admin@ita.go.th", Role::Admin, std::nullopt).id;
  EXPECT_TRUE(store_->published_editions().empty());
  const PublishedEdition v1 = store_->publish_edition("2570", R"({"v":1})", admin_id_);
  EXPECT_EQ(v1.version, 1);
  const PublishedEdition v2 = store_->publish_edition("2570", R"({"v":2})", admin_id_);
  EXPECT_EQ(v2.version, 2);
  store_->publish_edition("2569", R"({"v":1})", std::nullopt);
  const auto all = store_->published_editions();
  ASSERT_EQ(all.size(), 2u) << "the newest version of each id";
  EXPECT_EQ(all[0].id, "2569");
  EXPECT_EQ(all[1].id, "2570");
  EXPECT_EQ(all[1].version, 2);
  EXPECT_EQ(all[1].json, R"({"v":2})");
  EXPECT_EQ(all[1].published_by, admin_id_);
  EXPECT_FALSE(all[0].published_by);

  const Agency a = make_agency();
  Round r = make_round(a.id, "e1");
  r.iit_token = "iit-e2";
  r.eit_token = "eit-e2";
  r.edition_id = "2570";
  store_->create_round(r, admin_id_);
  EXPECT_EQ(store_->rounds_using_edition("2570"), 1);
  EXPECT_EQ(store_->rounds_using_edition("2569"), 0);
  EXPECT_THROW(store_->publish_edition("2570", R"({"v":3})", admin_id_), Conflict)
      << "a round was opened on it";
  EXPECT_EQ(store_->published_editions()[1].version, 2) << "nothing stored";
  EXPECT_EQ(raw_count("editions"), 3);
  const auto log = store_->audit_log(10);  // newest first: two rounds, then the publications
  EXPECT_EQ(log[0].action, "round.create");
  EXPECT_EQ(log[1].action, "round.create");
  EXPECT_EQ(log[2].action, "edition.publish");
  EXPECT_EQ(log[2].target, "edition:2569");
}

TEST_P(StoreTest, AnEditionDraftIsReadOnlyByWhoUploadedIt) {
  const User admin = make_user("admin@ita.go.th", Role::Admin, std::nullopt);
  const User other = make_user("other@ita.go.th", Role::Admin, std::nullopt);
  store_->save_edition_draft("tok1", R"({"draft":1})", admin.id);
  EXPECT_EQ(store_->edition_draft("tok1", admin.id), R"({"draft":1})");
  EXPECT_FALSE(store_->edition_draft("tok1", other.id));
  EXPECT_FALSE(store_->edition_draft("tok2", admin.id));
  EXPECT_TRUE(store_->published_editions().empty()) << "a draft is not in force";
  EXPECT_TRUE(store_->audit_log(10).empty() ||
              store_->audit_log(10)[0].action != "edition.publish");
}

// ---- access codes and responses ----

TEST_P(StoreTest, AnAccessCodeIsUsedOnce) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1", true);
  const Round other = make_round(a.id, "r2", true);
  store_->add_access_codes(round.id, {code_hash(1), code_hash(2), code_hash(3)}, admin_id_);
  store_->add_access_codes(other.id, {code_hash(9)}, admin_id_);
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(3, 0));

  submit(round.id, ToolId::IIT, {{"I1", "4"}}, code_hash(1));
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(3, 1));

  try {
    submit(round.id, ToolId::IIT, {{"I1", "1"}}, code_hash(1));
    FAIL() << "a used code was accepted again";
  } catch (const Conflict& e) {
    EXPECT_STREQ(e.what(), "access code unknown or already used");
  }
  EXPECT_THROW(submit(round.id, ToolId::IIT, {{"I1", "1"}}, code_hash(77)), Conflict)
      << "unknown code";
  EXPECT_THROW(submit(round.id, ToolId::IIT, {{"I1", "1"}}, code_hash(9)), Conflict)
      << "another round's code";
  EXPECT_THROW(submit(round.id, ToolId::IIT, {{"I1", "1"}}), Conflict)
      << "this round requires a code";

  EXPECT_EQ(store_->response_counts(round.id).at(ToolId::IIT), 1);
  EXPECT_EQ(raw_count("responses"), 1);
  EXPECT_EQ(raw_answer_count(), 1);
  EXPECT_EQ(store_->access_code_counts(other.id), std::make_pair(1, 0));

  submit(round.id, ToolId::EIT, {{"E1", "3"}});  // external stakeholders need no code
  EXPECT_EQ(store_->response_counts(round.id).at(ToolId::EIT), 1);

  EXPECT_THROW(store_->add_access_codes(round.id, {code_hash(4), code_hash(1)}, admin_id_),
               Conflict);
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(3, 1))
      << "the failed batch added nothing";
  EXPECT_THROW(store_->add_access_codes(other.id + 100, {code_hash(5)}, admin_id_), Conflict);
}

TEST_P(StoreTest, SubmittedAnswersComeBackPerRound) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1");
  const Round other = make_round(a.id, "r2");

  std::vector<std::tuple<ToolId, std::string, std::string, std::string>> expected;
  auto submit_and_expect = [&](std::int64_t round_id, ToolId tool,
                               const std::map<std::string, std::string>& answers) {
    const std::string id = submit(round_id, tool, answers);
    EXPECT_TRUE(is_random_id(id)) << id;
    if (round_id != round.id) return;
    for (const auto& [unit, option] : answers) expected.emplace_back(tool, id, unit, option);
  };
  submit_and_expect(round.id, ToolId::IIT, {{"I1", "4"}, {"I2", "3"}, {"I9.2", "Y"}});
  submit_and_expect(round.id, ToolId::IIT, {{"I1", "1"}, {"I2", "2"}, {"I9.2", "N"}});
  submit_and_expect(round.id, ToolId::IIT, {{"I1", "2"}, {"I2", "4"}, {"I9.2", "ไม่ทราบ"}});
  submit_and_expect(round.id, ToolId::EIT, {{"E1", "4"}, {"E2", "4"}});
  submit_and_expect(round.id, ToolId::EIT, {{"E1", "3"}, {"E2", "1"}});
  submit_and_expect(other.id, ToolId::IIT, {{"I1", "3"}});

  EXPECT_EQ(store_->response_counts(round.id),
            (std::map<ToolId, int>{{ToolId::IIT, 3}, {ToolId::EIT, 2}}));
  EXPECT_EQ(store_->response_counts(other.id),
            (std::map<ToolId, int>{{ToolId::IIT, 1}, {ToolId::EIT, 0}}));

  const auto rows = answers_of(round.id);
  std::vector<std::tuple<ToolId, std::string, std::string, std::string>> got;
  for (const auto& r : rows) got.emplace_back(r.tool, r.response_id, r.unit, r.option);
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end(), [](const auto& x, const auto& y) {
    return std::tie(std::get<1>(x), std::get<2>(x)) < std::tie(std::get<1>(y), std::get<2>(y));
  })) << "rows come in response-id order";
  std::sort(got.begin(), got.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected);
  EXPECT_EQ(answers_of(other.id).size(), 1u);
  EXPECT_TRUE(answers_of(other.id + 100).empty());
}

TEST_P(StoreTest, OnlyAnOpenExistingRoundTakesResponses) {
  const Agency a = make_agency();
  const Round closed = make_round(a.id, "c", false, RoundStatus::Closed);
  EXPECT_THROW(submit(closed.id, ToolId::IIT, {{"I1", "4"}}), Conflict);
  EXPECT_THROW(submit(closed.id + 100, ToolId::IIT, {{"I1", "4"}}), Conflict);
  EXPECT_EQ(raw_count("responses"), 0);
}

TEST_P(StoreTest, ARefusedResponseSaysWhyAsAReason) {
  const Agency a = make_agency();
  const Round coded = make_round(a.id, "r1", true);
  const Round closed = make_round(a.id, "c", false, RoundStatus::Closed);
  store_->add_access_codes(coded.id, {code_hash(1)}, admin_id_);
  auto response = [](std::int64_t round, ToolId tool, std::optional<std::string> code,
                     const std::string& option = "4") {
    return NewResponse{round, tool, "2024-05-01", {{"I1", option}}, std::move(code)};
  };
  const auto out = store_->submit_responses(
      {response(coded.id, ToolId::IIT, code_hash(1)),
       response(coded.id, ToolId::IIT, code_hash(1)),  // consumed earlier in this batch
       response(coded.id, ToolId::IIT, code_hash(2)),  // not one of the round's
       response(coded.id, ToolId::IIT, std::nullopt),
       response(closed.id, ToolId::EIT, std::nullopt),
       response(closed.id + 100, ToolId::EIT, std::nullopt),
       response(coded.id, ToolId::OIT, std::nullopt),
       response(coded.id, ToolId::EIT, std::nullopt, "")},
      {});
  using Refusal = SubmitOutcome::Refusal;
  const std::vector<Refusal> want = {Refusal::None,
                                     Refusal::AccessCodeUnknownOrUsed,
                                     Refusal::AccessCodeUnknownOrUsed,
                                     Refusal::AccessCodeMissing,
                                     Refusal::RoundClosed,
                                     Refusal::RoundUnknown,
                                     Refusal::Malformed,
                                     Refusal::Malformed};
  ASSERT_EQ(out.size(), want.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].status,
              i == 0 ? SubmitOutcome::Status::Stored : SubmitOutcome::Status::Refused)
        << i;
    EXPECT_EQ(out[i].refusal, want[i]) << i << ": " << out[i].message;
  }
  EXPECT_EQ(out[4].message,
            "round " + std::to_string(closed.id) + " is closed; it accepts no more responses");
  EXPECT_EQ(store_->response_counts(coded.id),
            (std::map<ToolId, int>{{ToolId::IIT, 1}, {ToolId::EIT, 0}}));
}

TEST_P(StoreTest, AMalformedSubmissionIsRefusedAndLeavesNothingBehind) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1", true);
  store_->add_access_codes(round.id, {code_hash(1)}, admin_id_);

  // The store's own rules, whoever calls it: every answer has a unit code and an option code.
  std::map<std::string, std::string> answers;
  for (int i = 0; i < 300; ++i) answers["U" + std::to_string(1000 + i)] = "3";
  answers["U1250"] = "";
  try {
    submit(round.id, ToolId::IIT, answers, code_hash(1));
    FAIL() << "an empty option was stored";
  } catch (const Conflict& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("answer_option_given"), std::string::npos)
        << "names the broken rule: " << message;
    EXPECT_EQ(message.find("U12"), std::string::npos)
        << "error messages must not quote answers: " << message;
  }
  for (const auto& [unit, option] : std::vector<std::pair<std::string, std::string>>{
           {"", "3"}, {"U1", "\xff"}, {"\xe0\x80", "3"}}) {
    EXPECT_THROW(submit(round.id, ToolId::IIT, {{unit, option}}, code_hash(1)), Conflict)
        << unit << "=" << option;
  }
  EXPECT_THROW(submit(round.id, ToolId::OIT, {{"U1", "3"}}), Conflict) << "not a survey tool";

  EXPECT_EQ(store_->response_counts(round.id).at(ToolId::IIT), 0);
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(1, 0))
      << "the code was not consumed";
  EXPECT_EQ(raw_count("responses"), 0);
  EXPECT_EQ(raw_answer_count(), 0);

  answers["U1250"] = "2";
  submit(round.id, ToolId::IIT, answers, code_hash(1));
  EXPECT_EQ(raw_answer_count(), 300);
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(1, 1));
}

TEST_P(StoreTest, ConcurrentSubmissionsAreAllStored) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1");
  constexpr int kThreads = 4;
  constexpr int kEach = 200;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        try {
          ids[t].push_back(submit(round.id, t % 2 ? ToolId::EIT : ToolId::IIT,
                                  {{"X1", std::to_string(t)}, {"X2", "4"}}));
          if (i % 50 == 0) store_->response_counts(round.id);  // readers interleave with writers
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  EXPECT_EQ(store_->response_counts(round.id),
            (std::map<ToolId, int>{{ToolId::IIT, 400}, {ToolId::EIT, 400}}));
  std::set<std::string> distinct;
  for (const auto& per_thread : ids) distinct.insert(per_thread.begin(), per_thread.end());
  EXPECT_EQ(distinct.size(), 800u);
  std::set<std::string> stored;
  std::size_t rows = 0;
  store_->for_each_answer(round.id, [&](const AnswerRow& r) {
    stored.insert(r.response_id);
    ++rows;
  });
  EXPECT_EQ(stored, distinct);
  EXPECT_EQ(rows, 1600u);
}

TEST_P(StoreTest, ACallbackCallingTheStoreGetsAnErrorInsteadOfADeadlock) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1");
  submit(round.id, ToolId::IIT, {{"I1", "4"}});
  EXPECT_THROW(store_->for_each_answer(
                   round.id, [&](const AnswerRow&) { store_->response_counts(round.id); }),
               StoreError);
  EXPECT_EQ(store_->response_counts(round.id).at(ToolId::IIT), 1)
      << "the store still works afterwards";
}

// ---- anonymity ----

TEST_P(StoreTest, StoredResponsesCarryNothingThatIdentifiesARespondent) {
  const Agency a = make_agency();
  const User officer = make_user("officer@banmai.go.th", Role::Officer, a.id);
  const Round round = make_round(a.id, "r1", true);
  std::vector<std::string> hashes;
  for (int i = 1; i <= 20; ++i) hashes.push_back(code_hash(i));
  store_->add_access_codes(round.id, hashes, officer.id);

  std::vector<std::string> submitted;  // ids in submission order
  for (int i = 0; i < 20; ++i) {
    submitted.push_back(
        submit(round.id, ToolId::IIT, {{"I1", std::to_string(1 + i % 4)}, {"I2", "Y"}}, hashes[i]));
    submitted.push_back(submit(round.id, ToolId::EIT, {{"E1", std::to_string(1 + i % 4)}}));
  }
  auto db = raw();

  // Exactly these columns and no others: no user, code, IP, user agent or time of day.
  EXPECT_EQ(db->columns("responses"),
            (std::set<std::string>{"slot", "round_id", "id", "tool", "day", "layout", "answers"}));
  EXPECT_EQ(db->columns("answer_layouts"), (std::set<std::string>{"id", "units"}));
  EXPECT_EQ(db->columns("access_codes"), (std::set<std::string>{"round_id", "code_hash", "used"}));

  const std::set<std::string> forbidden = {officer.email, officer.password_hash, "iit-r1",
                                           "eit-r1"};
  auto check_value = [&](const std::string& table, const std::string& value) {
    for (const auto& h : hashes)
      EXPECT_EQ(value.find(h), std::string::npos) << table << " holds a code hash";
    EXPECT_EQ(forbidden.count(value), 0u) << table << " holds " << value;
  };
  const auto responses = db->query(
      "SELECT r.id, r.round_id, r.tool, r.day, r.answers, l.units, r.slot FROM responses r "
      "JOIN answer_layouts l ON l.id = r.layout");
  ASSERT_EQ(responses.size(), 40u);
  for (const auto& row : responses) {
    const std::string id = row.at(0).value();
    EXPECT_TRUE(is_random_id(id));
    EXPECT_EQ(row.at(1).value(), std::to_string(round.id));
    EXPECT_TRUE(row.at(2) == "IIT" || row.at(2) == "EIT");
    EXPECT_TRUE(std::regex_match(row.at(3).value(), std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}")))
        << *row.at(3);
    check_value("responses", id);
    // The answers and nothing else: options in the order of the layout's units
    // (store/answers_json.hpp).
    const std::string answers = row.at(4).value(), units = row.at(5).value();
    if (row.at(2) == "IIT") {
      EXPECT_EQ(units, R"(["I1","I2"])");
      EXPECT_TRUE(std::regex_match(answers, std::regex(R"(\["[1-4]","Y"\])"))) << answers;
    } else {
      EXPECT_EQ(units, R"(["E1"])");
      EXPECT_TRUE(std::regex_match(answers, std::regex(R"(\["[1-4]"\])"))) << answers;
    }
    // The key is the round and the first 40 bits of the random id: nothing of the time.
    EXPECT_EQ(std::stoll(row.at(6).value()),
              (round.id << 40) | std::stoll(id.substr(0, 10), nullptr, 16));
  }
  EXPECT_EQ(raw_count("answer_layouts"), 2) << "one layout per set of units";
  const auto codes = db->query("SELECT code_hash, round_id, used FROM access_codes");
  ASSERT_EQ(codes.size(), 20u);
  for (const auto& row : codes) {
    EXPECT_EQ(std::find(submitted.begin(), submitted.end(), row.at(0).value()), submitted.end());
  }

  // Response ids are random: neither their order nor the order reads return says who came first.
  std::vector<std::string> sorted = submitted;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_NE(sorted, submitted);
  std::vector<std::string> read_order;
  for (const auto& row : answers_of(round.id)) {
    if (read_order.empty() || read_order.back() != row.response_id)
      read_order.push_back(row.response_id);
  }
  EXPECT_EQ(read_order, sorted);
  if (GetParam() == Backend::SQLite) {
    // The rowid is the slot (random within the round), never a counter of submissions.
    EXPECT_EQ(raw_count("responses WHERE rowid <> slot"), 0);
    EXPECT_FALSE(db->succeeds("SELECT rowid FROM access_codes"));
  }

  // The schema itself refuses a time of day, a non-random id, a key of another round or answers
  // that are not an array.
  const std::string rid = std::to_string(round.id);
  const std::string layout = db->query("SELECT MIN(id) FROM answer_layouts").at(0).at(0).value();
  const std::int64_t free_slot =
      (round.id << 40) + 1;  // ids of 20 responses never start with 9 zeros
  const auto insert = [&](std::int64_t slot, const std::string& id, const std::string& day,
                          const std::string& answers) {
    return db->succeeds(
        "INSERT INTO responses (slot, round_id, id, tool, day, layout, answers) VALUES (" +
        std::to_string(slot) + ", " + rid + ", '" + id + "', 'IIT', '" + day + "', " + layout +
        ", '" + answers + "')");
  };
  const std::string probe_id = "00000000010000000000000000000001";
  EXPECT_FALSE(insert(free_slot, probe_id, "2024-05-01 10:42:07", "[]"));
  EXPECT_FALSE(insert(free_slot, "1", "2024-05-01", "[]"));
  EXPECT_FALSE(insert(free_slot, probe_id, "2024-05-01", R"({"I1":"4"})"));
  EXPECT_FALSE(insert(free_slot, probe_id, "2024-05-01", R"(["4")"));
  EXPECT_FALSE(insert(free_slot + (std::int64_t{1} << 40), probe_id, "2024-05-01", R"(["4","Y"])"));
  EXPECT_TRUE(insert(free_slot, probe_id, "2024-05-01", R"(["4","Y"])"))
      << "the probe statements above are valid apart from the value under test";
}

// ---- OIT ----

TEST_P(StoreTest, OitWorkflowRunsFromEvidenceToConfirmation) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1");
  store_->put_oit_evidence(round.id, "O1", "https://banmai.go.th/o1-draft", "first try", 7);
  store_->put_oit_evidence(round.id, "O1", "https://banmai.go.th/o1", "โครงสร้างหน่วยงาน", 7);
  store_->review_oit(round.id, "O1", false, "ไม่พบผังโครงสร้าง", 8);
  store_->appeal_oit(round.id, "O1", "the chart is on page 2", 7);
  store_->confirm_oit(round.id, "O1", true, "found on page 2", 8);

  store_->put_oit_evidence(round.id, "O10", "https://banmai.go.th/o10", "", 7);
  store_->review_oit(round.id, "O10", true, "ok", 8);
  store_->put_oit_evidence(round.id, "O2", "https://banmai.go.th/o2", "", 7);

  const auto entries = store_->oit_entries(round.id);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].item, "O1");
  EXPECT_EQ(entries[1].item, "O2");
  EXPECT_EQ(entries[2].item, "O10");

  const OitEntry& o1 = entries[0];
  EXPECT_EQ(o1.round_id, round.id);
  EXPECT_EQ(o1.url, "https://banmai.go.th/o1");
  EXPECT_EQ(o1.note, "โครงสร้างหน่วยงาน");
  EXPECT_EQ(o1.stage, OitStage::Confirmed);
  EXPECT_EQ(o1.verdict, false);
  EXPECT_EQ(o1.review_comment, "ไม่พบผังโครงสร้าง");
  EXPECT_EQ(o1.appeal_explanation, "the chart is on page 2");
  EXPECT_EQ(o1.final_verdict, true);
  EXPECT_EQ(o1.final_comment, "found on page 2");
  EXPECT_EQ(o1.effective_verdict(), true);

  EXPECT_EQ(entries[1].stage, OitStage::Submitted);
  EXPECT_FALSE(entries[1].verdict);
  EXPECT_EQ(entries[2].stage, OitStage::Reviewed);
  EXPECT_EQ(entries[2].verdict, true);
  EXPECT_FALSE(entries[2].final_verdict);
  EXPECT_TRUE(store_->oit_entries(round.id + 100).empty());
}

TEST_P(StoreTest, RefusedOitStepsChangeNothing) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1");
  const auto audit_rows = [&] { return raw_count("audit_log"); };

  std::int64_t before = audit_rows();
  EXPECT_THROW(store_->review_oit(round.id, "O1", true, "", 8), InputError)
      << "nothing submitted yet";
  EXPECT_THROW(store_->put_oit_evidence(round.id, "O1", "ftp://banmai.go.th/o1", "", 7),
               InputError);
  EXPECT_TRUE(store_->oit_entries(round.id).empty());
  EXPECT_EQ(audit_rows(), before);

  store_->put_oit_evidence(round.id, "O1", "https://banmai.go.th/o1", "note", 7);
  store_->review_oit(round.id, "O1", true, "fine", 8);
  const OitEntry passed = store_->oit_entries(round.id).at(0);
  before = audit_rows();
  EXPECT_THROW(store_->appeal_oit(round.id, "O1", "why not", 7), InputError) << "a passed item";
  EXPECT_THROW(store_->put_oit_evidence(round.id, "O1", "https://banmai.go.th/other", "", 7),
               InputError)
      << "the URL cannot change after review";
  EXPECT_THROW(store_->review_oit(round.id, "O1", false, "second review", 8), InputError);
  expect_same_entry(store_->oit_entries(round.id).at(0), passed);
  EXPECT_EQ(audit_rows(), before);

  store_->put_oit_evidence(round.id, "O2", "https://banmai.go.th/o2", "", 7);
  store_->review_oit(round.id, "O2", false, "missing", 8);
  store_->appeal_oit(round.id, "O2", "it is there", 7);
  const OitEntry appealed = store_->oit_entries(round.id).at(1);
  before = audit_rows();
  EXPECT_THROW(store_->appeal_oit(round.id, "O2", "again", 7), InputError) << "a second appeal";
  EXPECT_THROW(store_->put_oit_evidence(round.id, "O2", "https://banmai.go.th/o2-new", "", 7),
               InputError);
  expect_same_entry(store_->oit_entries(round.id).at(1), appealed);
  EXPECT_EQ(audit_rows(), before);

  store_->confirm_oit(round.id, "O2", false, "still missing", 8);
  const OitEntry confirmed = store_->oit_entries(round.id).at(1);
  EXPECT_THROW(store_->confirm_oit(round.id, "O2", true, "changed my mind", 8), InputError);
  expect_same_entry(store_->oit_entries(round.id).at(1), confirmed);

  EXPECT_THROW(store_->put_oit_evidence(round.id + 100, "O1", "https://banmai.go.th/o1", "", 7),
               Conflict);
}

// ---- measures tracker ----

std::string plan_text(int fiscal_year, const std::vector<std::string>& ids) {
  nlohmann::json measures = nlohmann::json::array();
  for (const auto& id : ids) measures.push_back({{"id", id}, {"title_th", "มาตรการ " + id}});
  return nlohmann::json{{"format", "ita-measures/1"}, {"fiscal_year", fiscal_year}, {"measures", measures}}.dump();
}

ProgressReport progress(const std::string& measure, int y, unsigned m, unsigned d, MeasureStatus status,
                        const std::string& text = "ดำเนินการแล้ว", const std::string& url = "") {
  return {measure, std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}, text,
          url, status};
}

TEST_P(StoreTest, AMeasuresPlanIsKeptPerRoundAndCanBeReplaced) {
  const Agency a = make_agency();
  const User officer = make_user("officer@banmai.go.th", Role::Officer, a.id);
  const Round r1 = make_round(a.id, "r1");
  const Round r2 = make_round(a.id, "r2");
  EXPECT_FALSE(store_->measures_plan(r1.id));

  const std::string first = plan_text(2568, {"conflict-of-interest", "gifts"});
  store_->put_measures_plan(r1.id, first, officer.id);
  EXPECT_EQ(store_->measures_plan(r1.id), first);
  EXPECT_FALSE(store_->measures_plan(r2.id));

  const std::string second = plan_text(2568, {"conflict-of-interest", "gifts", "open-data"});
  store_->put_measures_plan(r1.id, second, officer.id);
  EXPECT_EQ(store_->measures_plan(r1.id), second);
  EXPECT_EQ(raw_count("measures_plans"), 1);

  const auto log = store_->audit_log(2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "measures.plan");
  EXPECT_EQ(log[0].target, "round:" + std::to_string(r1.id));
  EXPECT_EQ(log[0].user_id, officer.id);
  const auto detail = nlohmann::json::parse(log[0].detail);
  EXPECT_EQ(detail.at("measures"), 3);
  EXPECT_EQ(detail.at("fiscal_year"), 2568);
  EXPECT_EQ(detail.at("replaced"), true);
  EXPECT_EQ(nlohmann::json::parse(log[1].detail).at("replaced"), false);
}

TEST_P(StoreTest, ProgressReportsComeBackInTheOrderTheyWereRecorded) {
  const Agency a = make_agency();
  const User officer = make_user("officer@banmai.go.th", Role::Officer, a.id);
  const Round round = make_round(a.id, "r1");
  const Round other = make_round(a.id, "r2");
  store_->put_measures_plan(round.id, plan_text(2568, {"gifts", "open-data"}), officer.id);
  store_->put_measures_plan(other.id, plan_text(2568, {"gifts"}), officer.id);
  const std::int64_t start = unix_now();

  const auto a1 = store_->add_progress_report(
      round.id,
      progress("gifts", 2025, 3, 2, MeasureStatus::Done, "ประกาศนโยบาย No Gift Policy แล้ว 'ทุกกอง'",
               "https://banmai.go.th/ita/no-gift?year=2568&x=1"),
      officer.id);
  const auto a2 = store_->add_progress_report(round.id, progress("open-data", 2024, 11, 15, MeasureStatus::InProgress),
                                              officer.id);
  store_->add_progress_report(other.id, progress("gifts", 2025, 1, 1, MeasureStatus::Cancelled), officer.id);
  EXPECT_GT(a2.id, a1.id);

  const auto reports = store_->progress_reports(round.id);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].id, a1.id);
  EXPECT_EQ(reports[0].round_id, round.id);
  EXPECT_EQ(reports[0].report, a1.report);
  EXPECT_EQ(reports[0].report.text_th, "ประกาศนโยบาย No Gift Policy แล้ว 'ทุกกอง'");
  EXPECT_EQ(reports[0].report.evidence_url, "https://banmai.go.th/ita/no-gift?year=2568&x=1");
  EXPECT_EQ(reports[0].report.status, MeasureStatus::Done);
  EXPECT_EQ(reports[0].user_id, officer.id);
  EXPECT_GE(reports[0].created_at, start);
  EXPECT_LE(reports[0].created_at, unix_now());
  EXPECT_EQ(reports[1].report.measure_id, "open-data");
  EXPECT_EQ(reports[1].report.date, (std::chrono::year_month_day{std::chrono::year{2024}, std::chrono::November,
                                                                  std::chrono::day{15}}));
  EXPECT_EQ(reports[1].report.evidence_url, "");
  EXPECT_EQ(store_->progress_reports(other.id).size(), 1u);
  EXPECT_TRUE(store_->progress_reports(other.id + 100).empty());

  const auto log = store_->audit_log(1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "measures.progress");
  EXPECT_EQ(log[0].target, "round:" + std::to_string(other.id) + "/gifts");
  const auto detail = nlohmann::json::parse(log[0].detail);
  EXPECT_EQ(detail.at("status"), "cancelled");
  EXPECT_EQ(detail.at("date"), "2025-01-01");
}

TEST_P(StoreTest, RefusedTrackerWritesChangeNothing) {
  const Agency a = make_agency();
  const User officer = make_user("officer@banmai.go.th", Role::Officer, a.id);
  const Round round = make_round(a.id, "r1");
  const auto audit_rows = [&] { return raw_count("audit_log"); };
  std::int64_t before = audit_rows();

  EXPECT_THROW(store_->add_progress_report(round.id, progress("gifts", 2025, 1, 1, MeasureStatus::Done), officer.id),
               Conflict)
      << "no plan yet";
  EXPECT_THROW(store_->put_measures_plan(round.id + 100, plan_text(2568, {"gifts"}), officer.id), Conflict);
  EXPECT_THROW(store_->put_measures_plan(round.id, plan_text(2568, {"gifts"}), officer.id + 100), Conflict);
  EXPECT_THROW(store_->put_measures_plan(round.id, "not json", officer.id), InputError);
  EXPECT_THROW(store_->put_measures_plan(round.id, R"({"measures": [{"title_th": "no id"}]})", officer.id), InputError);
  EXPECT_FALSE(store_->measures_plan(round.id));
  EXPECT_EQ(audit_rows(), before);

  const std::string plan = plan_text(2568, {"gifts", "open-data"});
  store_->put_measures_plan(round.id, plan, officer.id);
  store_->add_progress_report(round.id, progress("gifts", 2025, 1, 1, MeasureStatus::InProgress), officer.id);
  before = audit_rows();
  EXPECT_THROW(store_->add_progress_report(round.id, progress("nope", 2025, 1, 1, MeasureStatus::Done), officer.id),
               InputError);
  EXPECT_THROW(store_->add_progress_report(round.id, progress("gifts", 2025, 1, 1, MeasureStatus::Done), officer.id + 100),
               Conflict);
  EXPECT_THROW(store_->add_progress_report(round.id, progress("gifts", 2025, 2, 30, MeasureStatus::Done), officer.id),
               InputError);
  // A new plan may not leave out a measure that has reports; one that keeps it may replace it.
  EXPECT_THROW(store_->put_measures_plan(round.id, plan_text(2568, {"open-data"}), officer.id), Conflict);
  EXPECT_EQ(store_->measures_plan(round.id), plan);
  EXPECT_EQ(store_->progress_reports(round.id).size(), 1u);
  EXPECT_EQ(audit_rows(), before);
  store_->put_measures_plan(round.id, plan_text(2568, {"gifts"}), officer.id);
  EXPECT_EQ(store_->progress_reports(round.id).size(), 1u);

  // The schema itself refuses a time of day or an unknown status.
  auto db = raw();
  const std::string values = std::to_string(round.id) + ", 'gifts', '2025-01-01', 't', '', ";
  const std::string cols = "INSERT INTO progress_reports (round_id, measure_id, day, text, evidence_url, status, "
                           "user_id, created_at) VALUES (";
  EXPECT_FALSE(db->succeeds(cols + std::to_string(round.id) + ", 'gifts', '2025-01-01 10:00', 't', '', 'done', " +
                            std::to_string(officer.id) + ", 0)"));
  EXPECT_FALSE(db->succeeds(cols + values + "'finished', " + std::to_string(officer.id) + ", 0)"));
  EXPECT_TRUE(db->succeeds(cols + values + "'done', " + std::to_string(officer.id) + ", 0)"))
      << "the probe statements above are valid apart from the value under test";
}

// ---- audit log ----

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
  store_->create_api_token("api-token-hash", admin.id, admin.id);
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
  std::string url;
  std::unique_ptr<RawDb> db;
  if (GetParam() == Backend::SQLite) {
    url = dir_ + "/v2.sqlite";
    std::ofstream(url).flush();  // an empty file is an empty database
    db = test::open_raw_sqlite(url);
  } else {
    find_postgres(url);
    db = test::open_raw_postgres(url);
  }
  const auto& migrations =
      GetParam() == Backend::SQLite ? sqlite_migrations() : postgres_migrations();
  ASSERT_TRUE(
      db->succeeds("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                   "applied_at BIGINT NOT NULL)"));
  for (const auto& m : migrations) {
    if (m.version > 2) break;
    ASSERT_TRUE(db->succeeds(std::string(m.sql))) << m.name;
    ASSERT_TRUE(db->succeeds("INSERT INTO schema_version VALUES (" + std::to_string(m.version) +
                             ", '" + std::string(m.name) + "', 0)"));
  }
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

std::string backend_name(const testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::SQLite ? "SQLite" : "PostgreSQL";
}
INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, testing::Values(Backend::SQLite, Backend::PostgreSQL),
                         backend_name);

// ---- backend-specific and helpers ----

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

TEST(Roles, CodesRoundTrip) {
  for (Role r : {Role::Admin, Role::Officer, Role::Assessor, Role::Viewer})
    EXPECT_EQ(parse_role(role_code(r)), r);
  EXPECT_EQ(role_code(Role::Assessor), "assessor");
  EXPECT_FALSE(parse_role("root"));
  EXPECT_FALSE(parse_role("Admin"));
}

TEST(RoundStatuses, CodesRoundTrip) {
  for (RoundStatus s : {RoundStatus::Open, RoundStatus::Closed})
    EXPECT_EQ(parse_round_status(round_status_code(s)), s);
  EXPECT_EQ(round_status_code(RoundStatus::Open), "open");
  EXPECT_EQ(round_status_code(RoundStatus::Closed), "closed");
  EXPECT_FALSE(parse_round_status("Open"));
  EXPECT_FALSE(parse_round_status(""));
}

TEST(OpenStore, AcceptsSqliteUrlsAndPlainPaths) {
  const std::string dir = temp_dir();
  for (const std::string& url :
       {"sqlite:" + dir + "/a.db", "sqlite://" + dir + "/b.db", dir + "/c.db"}) {
    auto s = open_store(url);
    s->create_agency({0, "x", "", "", ""}, std::nullopt);
  }
  EXPECT_TRUE(fs::exists(dir + "/a.db"));
  EXPECT_TRUE(fs::exists(dir + "/b.db"));
  EXPECT_TRUE(fs::exists(dir + "/c.db"));
  fs::remove_all(dir);
  EXPECT_THROW(open_store(""), StoreError);
  EXPECT_THROW(open_store("sqlite:"), StoreError);
}

TEST(OpenStore, ErrorsNameWhatFailed) {
  try {
    open_store("sqlite:/nonexistent-ita-folder/ita.db");
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-ita-folder/ita.db"), std::string::npos)
        << e.what();
  }
  try {
    open_store("postgresql://ita:secret-pw@127.0.0.1:1/ita_nowhere");
    FAIL();
  } catch (const StoreError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
    EXPECT_NE(message.find("ita_nowhere"), std::string::npos) << message;
    EXPECT_EQ(message.find("secret-pw"), std::string::npos) << "the password leaked: " << message;
  }
}

class PostgresStore : public testing::Test {
 protected:
  void SetUp() override {
    find_postgres(url_);
    if (!url_.empty()) store_ = open_store(url_);
  }
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_F(PostgresStore, ReconnectsAfterTheServerDroppedTheConnection) {
  const Agency a = store_->create_agency({0, "x", "", "", ""}, std::nullopt);
  const auto terminated = test::open_raw_postgres(url_)->query(
      "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_EQ(terminated.size(), 1u) << "the store's connection was not found";
  ASSERT_EQ(terminated[0][0], "t");
  ASSERT_TRUE(store_->agency(a.id));
  EXPECT_EQ(store_->agency(a.id)->name, "x");
}

// PostgreSQL keeps the writing transaction of each row version (xmin). Consuming a code
// rewrites every used code of the round, so the codes all share the newest xmin and none of
// them pairs with the response stored in the same transaction.
TEST_F(PostgresStore, UsedAccessCodesCannotBePairedWithResponsesThroughXmin) {
  const Agency a = store_->create_agency({0, "x", "", "", ""}, std::nullopt);
  const Round round =
      store_->create_round({0, a.id, "2564", 5, 5, "ti", "te", true, RoundStatus::Open}, 1);
  store_->add_access_codes(round.id, {"h1", "h2", "h3"}, 1);
  for (const char* h : {"h1", "h2", "h3"}) {
    store_->submit_response({round.id, ToolId::IIT, "2026-11-24", {{"I1", "4"}}, std::string(h)});
  }
  auto db = test::open_raw_postgres(url_);
  const auto codes = db->query("SELECT DISTINCT xmin::text FROM access_codes WHERE used");
  ASSERT_EQ(codes.size(), 1u) << "used codes carry different transaction ids";
  const auto linked = db->query(
      "SELECT COUNT(*) FROM responses r JOIN access_codes c ON c.xmin = r.xmin WHERE c.used");
  EXPECT_EQ(linked.at(0).at(0), "3") << "only the last response shares the codes' xmin, with all 3 codes";
}

// WAL with synchronous=NORMAL: a process killed right after a commit loses nothing.
TEST(SqliteStore, AKilledProcessLosesNoCommittedResponse) {
  const std::string dir = temp_dir();
  const std::string url = "sqlite:" + dir + "/ita.sqlite";
  std::int64_t round_id = 0;
  {
    auto s = open_store(url);
    const Agency a = s->create_agency({0, "x", "", "", ""}, std::nullopt);
    Round r;
    r.agency_id = a.id;
    r.edition_id = "2567";
    r.iit_token = "i";
    r.eit_token = "e";
    round_id = s->create_round(r, 1).id;
  }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto s = open_store(url);
    s->submit_response({round_id, ToolId::IIT, "2024-05-01", {{"I1", "4"}}, std::nullopt});
    kill(getpid(), SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(open_store(url)->response_counts(round_id).at(ToolId::IIT), 1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ita::store
