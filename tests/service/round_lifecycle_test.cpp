// service/rounds.hpp: a round's lifecycle (open → closed → reopened) and its closing date, on a
// real store of each backend.
#include <gtest/gtest.h>

#include <chrono>

#include "core/thai.hpp"
#include "fixture.hpp"
#include "service/calendar.hpp"
#include "service/errors.hpp"
#include "service/responses.hpp"
#include "service/rounds.hpp"

namespace ita::testing {
namespace {

namespace chr = std::chrono;

chr::year_month_day plus_days(chr::year_month_day d, int n) {
  return chr::year_month_day{chr::sys_days(d) + chr::days(n)};
}

class RoundLifecycleTest : public ServiceTest {
 protected:
  service::NewRound request(std::optional<chr::year_month_day> closes_at) {
    service::NewRound r;
    r.agency_id = agency_.id;
    r.edition = "2564";
    r.staff_count = 10;
    r.service_users = 100;
    r.closes_at = closes_at;
    return r;
  }
  store::Round open_round(std::optional<chr::year_month_day> closes_at = std::nullopt) {
    return service::create_round(*store_, *catalog_, request(closes_at), admin_.id, today_);
  }
  // The audit entries of `action`, newest first.
  std::vector<store::AuditEntry> audited(const std::string& action) {
    std::vector<store::AuditEntry> out;
    for (auto& e : store_->audit_log(1000))
      if (e.action == action) out.push_back(std::move(e));
    return out;
  }
  template <class Fn>
  void expect_refused(Fn fn, const std::string& message) {
    try {
      fn();
      ADD_FAILURE() << "not refused: " << message;
    } catch (const service::Refused& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  }

  chr::year_month_day today_ = service::thai_today();
};

TEST_P(RoundLifecycleTest, AnOpenRoundClosesAndTheAuditLogSaysWhoClosedIt) {
  const auto round = open_round();
  const auto closed = service::close_round(*store_, round.id, admin_.id, today_);
  EXPECT_EQ(closed.status, store::RoundStatus::Closed);
  EXPECT_TRUE(closed.closed_at);
  EXPECT_EQ(store_->round(round.id)->status, store::RoundStatus::Closed);
  const auto entries = audited("round.close");
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].user_id, admin_.id);
  EXPECT_EQ(entries[0].target, "round:" + std::to_string(round.id));
  expect_refused(
      [&] {
        service::accept_response(edition("2564"), *store_->round(round.id), ToolId::EIT,
                                 complete(ToolId::EIT), std::nullopt);
      },
      "รอบการประเมินนี้ปิดรับคำตอบแล้ว");
}

TEST_P(RoundLifecycleTest, ClosingAClosedRoundIsRefusedAndChangesNothing) {
  const auto round = open_round();
  service::close_round(*store_, round.id, admin_.id, today_);
  const auto log = store_->audit_log(1000).size();
  expect_refused([&] { service::close_round(*store_, round.id, admin_.id, today_); },
                 "รอบการประเมินนี้ปิดรับคำตอบอยู่แล้ว");
  EXPECT_EQ(store_->audit_log(1000).size(), log);
}

TEST_P(RoundLifecycleTest, AClosedRoundReopensAndReopeningAnOpenOneIsRefused) {
  const auto round = open_round(plus_days(today_, 30));
  expect_refused([&] { service::reopen_round(*store_, round.id, admin_.id, today_); },
                 "รอบการประเมินนี้เปิดรับคำตอบอยู่แล้ว");
  EXPECT_TRUE(audited("round.reopen").empty());
  service::close_round(*store_, round.id, admin_.id, today_);
  const auto reopened = service::reopen_round(*store_, round.id, std::nullopt, today_);
  EXPECT_EQ(reopened.status, store::RoundStatus::Open);
  EXPECT_FALSE(reopened.closed_at);
  EXPECT_EQ(reopened.closes_at, plus_days(today_, 30)) << "a closing date ahead is kept";
  const auto entries = audited("round.reopen");
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_FALSE(entries[0].user_id) << "the command line reopens as nobody";
  EXPECT_NO_THROW(service::accept_response(edition("2564"), *store_->round(round.id), ToolId::EIT,
                                           complete(ToolId::EIT), std::nullopt));
}

TEST_P(RoundLifecycleTest, ARoundPastItsClosingDateCountsAsClosed) {
  const auto round = open_round(today_);
  EXPECT_EQ(store::effective_status(round, today_), store::RoundStatus::Open) << "inclusive";
  const auto tomorrow = plus_days(today_, 1);
  EXPECT_EQ(store::effective_status(round, tomorrow), store::RoundStatus::Closed);
  expect_refused([&] { service::close_round(*store_, round.id, admin_.id, tomorrow); },
                 "รอบการประเมินนี้ปิดรับคำตอบอยู่แล้ว");
  expect_refused(
      [&] {
        service::set_closing_date(*store_, round.id, plus_days(tomorrow, 5), admin_.id, tomorrow);
      },
      "รอบการประเมินนี้ปิดรับคำตอบแล้ว เปลี่ยนวันปิดรับคำตอบได้หลังผู้ดูแลระบบเปิดรับคำตอบอีกครั้ง");
  // accept_response reads today's date itself: a round whose closing date was yesterday.
  store::Round yesterday = round;
  yesterday.closes_at = plus_days(today_, -1);
  expect_refused(
      [&] {
        service::accept_response(edition("2564"), yesterday, ToolId::EIT, complete(ToolId::EIT),
                                 std::nullopt);
      },
      "รอบการประเมินนี้ปิดรับคำตอบแล้ว");
  // Reopened after the date, it loses the date that would close it again at once.
  const auto reopened = service::reopen_round(*store_, round.id, admin_.id, tomorrow);
  EXPECT_FALSE(reopened.closes_at);
  EXPECT_EQ(store::effective_status(reopened, tomorrow), store::RoundStatus::Open);
}

TEST_P(RoundLifecycleTest, AClosingDateMustBeFromTodayToTwoYearsAhead) {
  for (const int days : {-1, 2 * 366 + 1}) {
    EXPECT_THROW(service::create_round(*store_, *catalog_, request(plus_days(today_, days)),
                                       admin_.id, today_),
                 service::Invalid)
        << days;
  }
  EXPECT_TRUE(store_->rounds_of_agency(agency_.id).empty());
  const auto round = open_round(plus_days(today_, 2 * 366));
  EXPECT_THROW(
      service::set_closing_date(*store_, round.id, plus_days(today_, -1), admin_.id, today_),
      service::Invalid);
  EXPECT_EQ(store_->round(round.id)->closes_at, plus_days(today_, 2 * 366));
  const auto moved = service::set_closing_date(*store_, round.id, today_, admin_.id, today_);
  EXPECT_EQ(moved.closes_at, today_);
  const auto removed =
      service::set_closing_date(*store_, round.id, std::nullopt, admin_.id, today_);
  EXPECT_FALSE(removed.closes_at);
  EXPECT_EQ(audited("round.closing_date").size(), 2U);
}

TEST_P(RoundLifecycleTest, AnUnknownRoundIsNotFound) {
  const std::int64_t none = 4242;
  EXPECT_THROW(service::close_round(*store_, none, admin_.id, today_), service::NotFound);
  EXPECT_THROW(service::reopen_round(*store_, none, admin_.id, today_), service::NotFound);
  EXPECT_THROW(service::set_closing_date(*store_, none, std::nullopt, admin_.id, today_),
               service::NotFound);
  try {
    service::find_round(*store_, none);
    FAIL() << "found a round that does not exist";
  } catch (const service::NotFound& e) {
    EXPECT_EQ(std::string(e.what()), "ไม่พบรอบการประเมิน 4242");
  }
}

ITA_SERVICE_BACKENDS(RoundLifecycleTest);

TEST(ClosingDate, IsReadAsACommonEraIsoDateOrABuddhistEraDateAndBlankIsNone) {
  const chr::year_month_day jan31{chr::year{2027}, chr::January, chr::day{31}};
  EXPECT_EQ(service::parse_closing_date("2027-01-31"), jan31);
  EXPECT_EQ(service::parse_closing_date("31/01/2570"), jan31);
  EXPECT_EQ(service::parse_closing_date(" 31/1/2570 "), jan31);
  EXPECT_EQ(service::parse_closing_date("๓๑/๑/๒๕๗๐"), jan31);
  EXPECT_FALSE(service::parse_closing_date(""));
  EXPECT_FALSE(service::parse_closing_date("   "));
  for (const char* bad : {"31/1/70", "30/2/2570", "2027-02-30", "31.1.2570", "tomorrow"}) {
    try {
      service::parse_closing_date(bad);
      ADD_FAILURE() << bad << " was read as a date";
    } catch (const service::Invalid& e) {
      EXPECT_NE(std::string(e.what()).find("วันปิดรับคำตอบ"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace ita::testing
