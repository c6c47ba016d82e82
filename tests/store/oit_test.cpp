// The OIT workflow as stored (src/store/sql_oit.cpp), on both backends.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "store_fixture.hpp"

namespace ita::store {
namespace {

using namespace fixture;

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

TEST_P(StoreTest, SeveralEvidenceUrlsAreKeptInOrderAndADeclineIsAudited) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1");
  const std::vector<std::string> three = {"https://banmai.go.th/o1", "https://banmai.go.th/o1/a",
                                          "https://banmai.go.th/o1/b"};
  store_->put_oit_evidence(round.id, "O1", three, "สามลิงก์", 7);
  EXPECT_EQ(store_->oit_entries(round.id).at(0).urls(), three);
  EXPECT_EQ(store_->oit_entries(round.id).at(0).url, three[0]);
  const auto log = store_->audit_log(1).at(0);
  EXPECT_NE(log.detail.find("https://banmai.go.th/o1/b"), std::string::npos) << log.detail;
  EXPECT_THROW(
      store_->put_oit_evidence(round.id, "O1", std::vector<std::string>{three[0], three[0]}, "", 7),
      InputError);
  EXPECT_EQ(store_->oit_entries(round.id).at(0).urls(), three) << "a refused step changes nothing";
  store_->put_oit_evidence(round.id, "O1", three[1], "", 7);  // fewer: the others are gone
  EXPECT_EQ(store_->oit_entries(round.id).at(0).urls(), std::vector<std::string>{three[1]});

  store_->review_oit(round.id, "O1", false, "ไม่ครบ", 8);
  store_->decline_oit_appeal(round.id, "O1", 7);
  const OitEntry declined = store_->oit_entries(round.id).at(0);
  EXPECT_EQ(declined.stage, OitStage::Confirmed);
  EXPECT_EQ(declined.final_verdict, false);
  EXPECT_EQ(store_->audit_log(1).at(0).action, "oit.decline");
  EXPECT_EQ(store_->audit_log(1).at(0).user_id, 7);
  EXPECT_THROW(store_->decline_oit_appeal(round.id, "O1", 7), InputError);
  EXPECT_THROW(store_->appeal_oit(round.id, "O1", "late", 7), InputError);
}

// ---- readiness checks ----

OitCheck finished_check(std::int64_t id, std::int64_t round_id) {
  OitCheck c;
  c.id = id;
  c.round_id = round_id;
  c.predicted_oit = 87.5;
  c.predicted_total = std::nullopt;
  c.results = {
      {"O1", Readiness::LikelyFine, "พบข้อมูลปีงบประมาณ 2567", "https://banmai.go.th/o1", 200},
      {"O10", Readiness::ErrorStatus, "ตอบกลับรหัส 404", "https://banmai.go.th/o10", 404},
      {"O2", Readiness::NoEvidence, "ยังไม่มีลิงก์หลักฐาน", "", 0}};
  return c;
}

TEST_P(StoreTest, AReadinessCheckIsKeptWithItsResultsInItemOrder) {
  const Round round = make_round(make_agency().id, "r1");
  const std::int64_t id = store_->start_oit_check(round.id, std::nullopt, 1700000000);
  auto running = store_->oit_checks(round.id, 10, true);
  ASSERT_EQ(running.size(), 1u);
  EXPECT_EQ(running[0].id, id);
  EXPECT_FALSE(running[0].finished_at);
  EXPECT_TRUE(running[0].results.empty());

  store_->finish_oit_check(finished_check(id, round.id), 1700000042);
  const auto done = store_->oit_checks(round.id, 10, true).at(0);
  EXPECT_EQ(done.started_at, 1700000000);
  EXPECT_EQ(done.finished_at, 1700000042);
  EXPECT_EQ(done.predicted_oit, 87.5);
  EXPECT_FALSE(done.predicted_total);
  ASSERT_EQ(done.results.size(), 3u);
  EXPECT_EQ(done.results[0].item, "O1");
  EXPECT_EQ(done.results[1].item, "O2");
  EXPECT_EQ(done.results[2].item, "O10");
  EXPECT_EQ(done.results[2].verdict, Readiness::ErrorStatus);
  EXPECT_EQ(done.results[2].http_status, 404);
  EXPECT_EQ(done.results[1].url, "");
  EXPECT_EQ(store_->audit_log(1).at(0).action, "oit.check");
  EXPECT_TRUE(store_->oit_checks(round.id, 10, false).at(0).results.empty());
}

TEST_P(StoreTest, AFinishedCheckIsNeverWrittenAgain) {
  const Round round = make_round(make_agency().id, "r1");
  const std::int64_t id = store_->start_oit_check(round.id, std::nullopt, 1700000000);
  store_->finish_oit_check(finished_check(id, round.id), 1700000042);
  OitCheck again = finished_check(id, round.id);
  again.results.pop_back();
  EXPECT_THROW(store_->finish_oit_check(again, 1700000099), Conflict);
  EXPECT_EQ(store_->oit_checks(round.id, 10, true).at(0).results.size(), 3u);
  EXPECT_THROW(store_->finish_oit_check(finished_check(id + 100, round.id), 1), Conflict);
}

TEST_P(StoreTest, ChecksAreListedNewestFirstUpToTheLimit) {
  const Round round = make_round(make_agency().id, "r1");
  const Round other = make_round(round.agency_id, "r2");
  for (int i = 0; i < 4; ++i) store_->start_oit_check(round.id, std::nullopt, 1700000000 + i);
  store_->start_oit_check(other.id, std::nullopt, 1700000000);
  const auto two = store_->oit_checks(round.id, 2, false);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].started_at, 1700000003);
  EXPECT_EQ(two[1].started_at, 1700000002);
  EXPECT_EQ(store_->oit_checks(other.id, 10, false).size(), 1u);
  EXPECT_TRUE(store_->oit_checks(999999, 10, false).empty());
}

TEST_P(StoreTest, OneCheckIsReadByItsIdWithinItsRound) {
  const Round round = make_round(make_agency().id, "r1");
  const Round other = make_round(round.agency_id, "r2");
  const std::int64_t first = store_->start_oit_check(round.id, std::nullopt, 1700000000);
  store_->finish_oit_check(finished_check(first, round.id), 1700000042);
  for (int i = 0; i < 25; ++i) store_->start_oit_check(round.id, std::nullopt, 1700000100 + i);
  const auto read = store_->oit_check(round.id, first);  // older than any history page
  ASSERT_TRUE(read);
  EXPECT_EQ(read->finished_at, 1700000042);
  EXPECT_EQ(read->predicted_oit, 87.5);
  ASSERT_EQ(read->results.size(), 3u);
  EXPECT_EQ(read->results[2].item, "O10");
  EXPECT_FALSE(store_->oit_check(other.id, first)) << "another round's check";
  EXPECT_FALSE(store_->oit_check(round.id, 999999));
}

TEST_P(StoreTest, ACheckOfAnUnknownRoundOrUserIsAConflict) {
  const Round round = make_round(make_agency().id, "r1");
  EXPECT_THROW(store_->start_oit_check(999999, std::nullopt, 1), Conflict);
  EXPECT_THROW(store_->start_oit_check(round.id, 999999, 1), Conflict);
  EXPECT_TRUE(store_->oit_checks(round.id, 10, false).empty());
}

}  // namespace
}  // namespace ita::store
