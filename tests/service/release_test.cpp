// service/release.hpp: what an open round may show (its last release, renewed only once IIT and
// EIT each have `min` more respondents) and a closed round's final figures, on a real store of
// each backend.
#include "service/release.hpp"

#include <gtest/gtest.h>

#include <random>

#include "fixture.hpp"
#include "service/errors.hpp"
#include "service/rounds.hpp"
#include "service/scoring.hpp"

namespace ita::testing {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

constexpr std::size_t kMin = 5;
const std::chrono::year_month_day kToday = year{2026} / month{12} / day{3};

class ReleaseTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped()) return;
    round_ = service::create_round(*store_, *catalog_, {agency_.id, "2564", 40, 400, false, false},
                                   admin_.id, kToday);
  }

  const Edition& e() { return edition("2564"); }

  // `n` more respondents of `tool`, each answering every unit at random.
  void answer(ToolId tool, int n) {
    for (int k = 0; k < n; ++k) {
      store::NewResponse r;
      r.round_id = round_.id;
      r.tool = tool;
      r.day = "2026-12-01";
      for (const auto& item : e().questionnaire(tool).items) {
        for (const auto& sub : item.sub_items) {
          const auto& options = e().scales.at(sub.scale).options;
          r.answers[sub.code] = options[rng_() % options.size()].code;
        }
      }
      store_->submit_response(r);
    }
  }

  // Every OIT item judged; `failed` fails.
  void judge(const std::string& failed = "") {
    for (const auto& item : e().oit.items) {
      store_->put_oit_evidence(round_.id, item.code, "https://example.go.th/" + item.code, "",
                               admin_.id);
      store_->review_oit(round_.id, item.code, item.code != failed, "", admin_.id);
    }
  }

  service::ReleasedResult shown(std::chrono::year_month_day today = kToday) {
    return service::released_result(*store_, e(), round_, kMin, today);
  }
  Result scored_now() { return *service::score_round(*store_, e(), round_).result; }

  store::Round closed() const {
    store::Round r = round_;
    r.status = store::RoundStatus::Closed;
    return r;
  }

  store::Round round_;
  std::mt19937 rng_{7};
};

void expect_same_figures(const Result& got, const Result& want) {
  EXPECT_EQ(got.total, want.total);
  ASSERT_EQ(got.indicators.size(), want.indicators.size());
  for (std::size_t i = 0; i < want.indicators.size(); ++i)
    EXPECT_EQ(got.indicators[i].score, want.indicators[i].score) << want.indicators[i].id;
  ASSERT_EQ(got.items.size(), want.items.size());
  for (std::size_t i = 0; i < want.items.size(); ++i)
    EXPECT_EQ(got.items[i].score, want.items[i].score) << want.items[i].code;
  EXPECT_EQ(got.respondents, want.respondents);
}

std::map<ToolId, std::size_t> counts(std::size_t iit, std::size_t eit) {
  return {{ToolId::IIT, iit}, {ToolId::EIT, eit}};
}

// The attack: read the figures, wait for one submission, read again. The difference would be
// that respondent's answers; it is nothing until `min` more of each tool have answered.
TEST_P(ReleaseTest, AnOpenRoundShowsItsReleaseUntilEachToolHasTheMinimumMore) {
  answer(ToolId::IIT, 5);
  answer(ToolId::EIT, 6);
  judge();
  const Result first = scored_now();
  const service::ReleasedResult a = shown();
  ASSERT_TRUE(a.result) << service::reasons(a.missing);
  EXPECT_TRUE(a.provisional);
  ASSERT_TRUE(a.release);
  EXPECT_EQ(a.release->respondents, counts(5, 6));
  EXPECT_EQ(a.release->released_on, kToday);
  expect_same_figures(*a.result, first);

  answer(ToolId::IIT, 1);
  answer(ToolId::EIT, 1);
  ASSERT_NE(scored_now().total, first.total) << "the one new respondent changed the figures";
  const service::ReleasedResult b = shown(year{2026} / month{12} / day{4});
  ASSERT_TRUE(b.result);
  expect_same_figures(*b.result, first);
  EXPECT_EQ(b.release->respondents, counts(5, 6));
  EXPECT_EQ(b.release->released_on, kToday) << "the day of the release, not of the reading";

  answer(ToolId::IIT, 9);  // IIT 15, EIT 7: EIT has only 1 more
  expect_same_figures(*shown().result, first);

  answer(ToolId::EIT, 4);  // IIT 15, EIT 11: 10 and 5 more
  const Result now = scored_now();
  const service::ReleasedResult c = shown(year{2026} / month{12} / day{9});
  ASSERT_TRUE(c.result);
  expect_same_figures(*c.result, now);
  EXPECT_EQ(c.release->respondents, counts(15, 11));
  EXPECT_EQ(c.release->released_on, year{2026} / month{12} / day{9});
  const auto stored = store_->result_release(round_.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->respondents_iit, 15);
  EXPECT_EQ(stored->respondents_eit, 11);
}

TEST_P(ReleaseTest, BelowTheMinimumNothingIsReleasedAndTheReasonsSaySo) {
  answer(ToolId::IIT, 4);
  answer(ToolId::EIT, 9);
  judge();
  const service::ReleasedResult s = shown();
  EXPECT_FALSE(s.result);
  EXPECT_TRUE(s.provisional);
  EXPECT_FALSE(s.release);
  ASSERT_EQ(s.missing.size(), 1U);
  EXPECT_EQ(s.missing[0],
            "รอบการประเมินยังเปิดอยู่: จะแสดงผลเบื้องต้นเมื่อมีผู้ตอบแบบวัด IIT และ EIT อย่างน้อยแบบละ 5 คน "
            "(ขณะนี้ IIT 4 คน EIT 9 คน)");
  EXPECT_FALSE(store_->result_release(round_.id));
  // The closed round shows its result at once: the small-group rule then withholds items only.
  const auto final_ = service::released_result(*store_, e(), closed(), kMin, kToday);
  ASSERT_TRUE(final_.result);
  EXPECT_FALSE(final_.provisional);
  expect_same_figures(*final_.result, scored_now());
}

TEST_P(ReleaseTest, UnjudgedOitIsNamedBeforeAnyRelease) {
  answer(ToolId::IIT, 6);
  answer(ToolId::EIT, 6);
  const service::ReleasedResult s = shown();
  EXPECT_FALSE(s.result);
  ASSERT_FALSE(s.missing.empty());
  EXPECT_EQ(s.missing[0].rfind("ข้อ OIT ที่ยังไม่ได้พิจารณา: O1, ", 0), 0U) << s.missing[0];
  EXPECT_FALSE(store_->result_release(round_.id));
}

// OIT verdicts are published item by item: a verdict confirmed after the release shows at once,
// the survey figures stay those of the release.
TEST_P(ReleaseTest, AVerdictChangedAfterAReleaseShowsAtOnce) {
  answer(ToolId::IIT, 5);
  answer(ToolId::EIT, 5);
  judge("O3");
  const Result first = *shown().result;
  answer(ToolId::IIT, 2);
  store_->appeal_oit(round_.id, "O3", "อยู่ในหน้าเดิม", admin_.id);
  store_->confirm_oit(round_.id, "O3", true, "", admin_.id);
  const Result now = scored_now();
  const Result got = *shown().result;
  EXPECT_EQ(got.tool_score(ToolId::OIT), now.tool_score(ToolId::OIT));
  EXPECT_GT(got.tool_score(ToolId::OIT), first.tool_score(ToolId::OIT));
  EXPECT_EQ(got.tool_score(ToolId::IIT), first.tool_score(ToolId::IIT));
  EXPECT_NE(got.tool_score(ToolId::IIT), now.tool_score(ToolId::IIT));
  EXPECT_EQ(got.respondents, first.respondents);
}

TEST_P(ReleaseTest, AClosedRoundIsFinalAndAReopenedOneCountsFromIt) {
  answer(ToolId::IIT, 5);
  answer(ToolId::EIT, 5);
  judge();
  ASSERT_TRUE(shown().result);
  answer(ToolId::IIT, 2);
  answer(ToolId::EIT, 4);  // 7 and 9: the release still covers 5 and 5
  EXPECT_THROW(service::require_answers_released(round_, kToday), service::Refused);
  const store::Round closed_round = service::close_round(*store_, round_.id, admin_.id, kToday);
  EXPECT_NO_THROW(service::require_answers_released(closed_round, kToday));
  const auto final_ = service::released_result(*store_, e(), closed_round, kMin, kToday);
  ASSERT_TRUE(final_.result);
  EXPECT_FALSE(final_.provisional);
  EXPECT_FALSE(final_.release);
  expect_same_figures(*final_.result, scored_now());

  // Opened again, one more of each: the figures stay the final ones, now provisional again.
  round_ = service::reopen_round(*store_, round_.id, admin_.id, kToday);
  answer(ToolId::IIT, 1);
  answer(ToolId::EIT, 1);
  const auto reopened = shown();
  ASSERT_TRUE(reopened.result);
  EXPECT_TRUE(reopened.provisional);
  EXPECT_EQ(reopened.release->respondents, counts(7, 9));
  expect_same_figures(*reopened.result, *final_.result);
}

TEST_P(ReleaseTest, ARoundPastItsClosingDateIsFinal) {
  answer(ToolId::IIT, 2);
  answer(ToolId::EIT, 2);
  judge();
  round_.closes_at = year{2026} / month{12} / day{2};
  const auto s = shown();
  ASSERT_TRUE(s.result) << service::reasons(s.missing);
  EXPECT_FALSE(s.provisional);
  EXPECT_NO_THROW(service::require_answers_released(round_, kToday));
  EXPECT_TRUE(shown(year{2026} / month{12} / day{2}).provisional) << "open on its last day";
}

TEST_P(ReleaseTest, TheNoticeNamesWhatTheFiguresCoverAndWhen) {
  EXPECT_EQ(service::provisional_notice(std::nullopt),
            "ผลเบื้องต้น: รอบการประเมินยังเปิดอยู่ ตัวเลขอาจเปลี่ยนแปลง");
  EXPECT_EQ(service::provisional_notice(service::Release{counts(14, 22), kToday}),
            "ผลเบื้องต้น: รอบการประเมินยังเปิดอยู่ ตัวเลขอาจเปลี่ยนแปลง (คำนวณจากผู้ตอบแบบวัด IIT 14 คน และ "
            "EIT 22 คน ณ วันที่ 3 ธันวาคม 2569)");
  answer(ToolId::IIT, 5);
  answer(ToolId::EIT, 5);
  judge();
  EXPECT_FALSE(service::last_release(*store_, round_, kToday));
  ASSERT_TRUE(shown().result);
  const auto last = service::last_release(*store_, round_, kToday);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->respondents, counts(5, 5));
  EXPECT_FALSE(service::last_release(*store_, closed(), kToday));
}

ITA_SERVICE_BACKENDS(ReleaseTest);

}  // namespace
}  // namespace ita::testing
