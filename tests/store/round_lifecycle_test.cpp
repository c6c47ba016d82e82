// A round's lifecycle in the store (src/store/sql_rounds.cpp: change_round) and the closing date
// the write transaction of submit_responses honours (sql_responses.cpp), on both backends.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/thai.hpp"
#include "store_fixture.hpp"

namespace ita::store {
namespace {

using namespace fixture;
namespace chr = std::chrono;

constexpr chr::year_month_day kClosingDay{chr::year{2024}, chr::May, chr::day{1}};

// The newest audit entry.
AuditEntry last_audit(Store& s) {
  const auto log = s.audit_log(1);
  return log.empty() ? AuditEntry{} : log.front();
}

TEST_P(StoreTest, ARoundClosesReopensAndGetsAClosingDateEachAudited) {
  const Agency a = make_agency();
  const Round r = make_round(a.id, "r");
  EXPECT_FALSE(r.closes_at);
  EXPECT_FALSE(r.closed_at);
  const std::int64_t before = unix_now();

  const Round dated = store_->change_round(r.id, RoundChange::ClosingDate, kClosingDay, admin_id_);
  EXPECT_EQ(dated.status, RoundStatus::Open);
  EXPECT_EQ(store_->round(r.id)->closes_at, kClosingDay);
  AuditEntry e = last_audit(*store_);
  EXPECT_EQ(e.action, "round.closing_date");
  EXPECT_EQ(e.target, "round:" + std::to_string(r.id));
  EXPECT_EQ(e.user_id, admin_id_);
  EXPECT_EQ(nlohmann::json::parse(e.detail),
            nlohmann::json::parse(R"({"before":{"status":"open","closes_at":null},
                                      "after":{"status":"open","closes_at":"2024-05-01"}})"));

  const Round closed = store_->change_round(r.id, RoundChange::Close, kClosingDay, std::nullopt);
  EXPECT_EQ(closed.status, RoundStatus::Closed);
  const auto stored = store_->round_by_token("iit-r");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, RoundStatus::Closed);
  ASSERT_TRUE(stored->closed_at);
  EXPECT_GE(*stored->closed_at, before);
  EXPECT_LE(*stored->closed_at, unix_now());
  EXPECT_EQ(stored->closes_at, kClosingDay);
  e = last_audit(*store_);
  EXPECT_EQ(e.action, "round.close");
  EXPECT_FALSE(e.user_id) << "the command line closes as nobody";

  const Round reopened = store_->change_round(r.id, RoundChange::Reopen, std::nullopt, admin_id_);
  EXPECT_EQ(reopened.status, RoundStatus::Open);
  EXPECT_FALSE(store_->round(r.id)->closed_at);
  EXPECT_FALSE(store_->round(r.id)->closes_at);
  EXPECT_EQ(last_audit(*store_).action, "round.reopen");
  EXPECT_EQ(store_->rounds_of_agency(a.id).front().status, RoundStatus::Open);
}

TEST_P(StoreTest, ChangingAnUnknownRoundIsAConflictAndAuditsNothing) {
  const auto audited = store_->audit_log(1000).size();
  EXPECT_THROW(store_->change_round(999, RoundChange::Close, std::nullopt, admin_id_), Conflict);
  EXPECT_EQ(store_->audit_log(1000).size(), audited);
}

TEST_P(StoreTest, AResponseDatedAfterTheClosingDateIsRefusedInsideTheWriteTransaction) {
  const Agency a = make_agency();
  const Round r = make_round(a.id, "r");
  store_->change_round(r.id, RoundChange::ClosingDate, kClosingDay, admin_id_);
  auto response = [&](const std::string& day) {
    NewResponse n;
    n.round_id = r.id;
    n.tool = ToolId::EIT;
    n.day = day;
    n.answers = {{"E1", "3"}};
    return n;
  };
  const auto out =
      store_->submit_responses({response("2024-05-01"), response("2024-05-02"), response("x")}, {});
  ASSERT_EQ(out.size(), 3U);
  EXPECT_EQ(out[0].status, SubmitOutcome::Status::Stored) << "the closing day itself counts";
  EXPECT_EQ(out[1].status, SubmitOutcome::Status::Refused);
  EXPECT_EQ(out[1].refusal, SubmitOutcome::Refusal::RoundClosed);
  EXPECT_EQ(out[1].message, "round " + std::to_string(r.id) +
                                " closed after 2024-05-01; it accepts no more responses");
  EXPECT_EQ(out[2].refusal, SubmitOutcome::Refusal::Malformed) << out[2].message;
  EXPECT_EQ(store_->response_counts(r.id).at(ToolId::EIT), 1);
}

TEST(EffectiveStatus, IsClosedWhenClosedOrPastTheClosingDate) {
  Round r;
  EXPECT_EQ(effective_status(r, kClosingDay), RoundStatus::Open);
  r.closes_at = kClosingDay;
  EXPECT_EQ(effective_status(r, kClosingDay), RoundStatus::Open);
  const chr::year_month_day next{chr::sys_days(kClosingDay) + chr::days(1)};
  EXPECT_EQ(effective_status(r, next), RoundStatus::Closed);
  r.status = RoundStatus::Closed;
  EXPECT_EQ(effective_status(r, kClosingDay), RoundStatus::Closed);
  r.closes_at.reset();
  EXPECT_EQ(effective_status(r, kClosingDay), RoundStatus::Closed);
}

}  // namespace
}  // namespace ita::store
