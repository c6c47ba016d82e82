// The measures page's plan editor over HTTP, against SQLite and a real PostgreSQL: a measure
// edited, added and removed through plain forms, the signature block, Buddhist Era dates in the
// forms, refusals shown in the page with what was typed, and who may use it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/thai.hpp"
#include "service/calendar.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::Browser;

class PlanEditor : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    agency_ =
        store_
            ->create_agency({0, "เทศบาลตำบลแก้แผน", "แม่สาย", "เชียงราย", "เทศบาลตำบล"}, std::nullopt)
            .id;
    officer_ = add_user("officer@test", store::Role::Officer, agency_);
    viewer_ = add_user("viewer@test", store::Role::Viewer, agency_);
    round_ = store_
                 ->create_round({0, agency_, "2564", 30, 400, random_token(12), random_token(12),
                                 false, store::RoundStatus::Open},
                                officer_.id)
                 .id;
    const json plan = {{"format", "ita-measures/1"},
                       {"fiscal_year", 2565},
                       {"measures",
                        {{{"id", "gifts"}, {"title_th", "ประกาศนโยบายไม่รับของขวัญ"}},
                         {{"id", "open-data"}, {"title_th", "เปิดเผยข้อมูลสาธารณะ"}}}}};
    ASSERT_EQ(api("PUT", api_base(), plan, token_for(officer_)).status, 200);
  }

  std::string page_url() const { return "/rounds/" + std::to_string(round_) + "/measures"; }
  std::string api_base() const { return "/api/v1/rounds/" + std::to_string(round_) + "/measures"; }
  json plan() { return json::parse(*store_->measures_plan(round_)); }

  std::int64_t agency_ = 0, round_ = 0;
  store::User officer_, viewer_;
};

TEST_P(PlanEditor, AnOfficerEditsAndAddsMeasuresWithBuddhistEraDates) {
  const Browser officer = browser(officer_);
  auto page = get(page_url(), officer);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("action=\"" + page_url() + "/gifts/edit\""), std::string::npos);
  EXPECT_NE(page.body.find("action=\"" + page_url() + "/new\""), std::string::npos);
  EXPECT_NE(page.body.find("action=\"" + page_url() + "/signature\""), std::string::npos);
  EXPECT_NE(page.body.find("name=\"indicator-1\""), std::string::npos);
  EXPECT_NE(page.body.find("วันที่ (วัน/เดือน/ปี พ.ศ.)"), std::string::npos);
  EXPECT_NE(page.body.find("value=\"" +
                           format_be_date(*parse_iso_date(service::today_in_thailand())) + "\""),
            std::string::npos)
      << "the progress date is today in the Buddhist Era";
  EXPECT_EQ(page.body.find("API ของระบบ"), std::string::npos);
  EXPECT_EQ(page.body.find("type=\"date\""), std::string::npos);

  auto saved = post_form(page_url() + "/gifts/edit", officer,
                         {{"title", "ประกาศนโยบายไม่รับของขวัญ (No Gift Policy)"},
                          {"steps", "ร่างประกาศ\nเผยแพร่ทางเว็บไซต์"},
                          {"responsible", "สำนักปลัด"},
                          {"monitoring", "รายงานนายก"},
                          {"indicator-1", "1"},
                          {"indicator-6", "1"},
                          {"due", "31/03/2565"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.headers["location"], page_url() + "?done=measure_saved#m-gifts");
  json m = plan()["measures"][0];
  EXPECT_EQ(m["id"], "gifts");
  EXPECT_EQ(m["due"], "2022-03-31");
  EXPECT_EQ(m["indicators"], json({1, 6}));
  EXPECT_EQ(m["steps_th"], json({"ร่างประกาศ", "เผยแพร่ทางเว็บไซต์"}));
  page = get(page_url() + "?done=measure_saved", officer);
  EXPECT_NE(page.body.find("บันทึกการแก้ไขมาตรการแล้ว"), std::string::npos);
  EXPECT_NE(page.body.find("value=\"31/03/2565\""), std::string::npos) << "the due date in BE";

  auto added = post_form(page_url() + "/new", officer,
                         {{"title", "อบรมคุณธรรม"}, {"responsible", "กองการศึกษา"}, {"due", ""}});
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_NE(added.headers["location"].find("done=measure_added"), std::string::npos);
  ASSERT_EQ(plan()["measures"].size(), 3u);
  EXPECT_EQ(plan()["measures"][2]["id"], "m-1");
  EXPECT_FALSE(plan()["measures"][2].contains("due"));
  page = get(page_url(), officer);
  EXPECT_NE(page.body.find("<tr id=\"m-m-1\""), std::string::npos);

  // Progress dated in the Buddhist Era through the form.
  auto report = post_form(page_url() + "/m-1/progress", officer,
                          {{"date", "๑๐/๐๑/๒๕๖๕"}, {"text", "อบรมแล้ว"}, {"status", "done"}});
  ASSERT_EQ(report.status, 303) << report.body;
  ASSERT_EQ(store_->progress_reports(round_).size(), 1u);
  EXPECT_EQ(format_iso_date(store_->progress_reports(round_)[0].report.date), "2022-01-10");
}

TEST_P(PlanEditor, RefusalsStayInThePageWithWhatWasTyped) {
  const Browser officer = browser(officer_);
  const std::string before = *store_->measures_plan(round_);

  auto r = post_form(page_url() + "/gifts/edit", officer,
                     {{"title", "ชื่อที่พิมพ์ไว้"}, {"indicator-3", "1"}, {"due", "1/10/2565"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("role=\"alert\""), std::string::npos);
  EXPECT_NE(r.body.find("กำหนดเสร็จต้องอยู่ในปีงบประมาณ พ.ศ. 2565"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("value=\"ชื่อที่พิมพ์ไว้\""), std::string::npos) << "typed title kept";
  EXPECT_NE(r.body.find("value=\"1/10/2565\""), std::string::npos) << "typed date kept";
  EXPECT_NE(r.body.find("name=\"indicator-3\" value=\"1\" checked"), std::string::npos);

  r = post_form(page_url() + "/new", officer, {{"title", "ใหม่"}, {"due", "31/13/2565"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("กำหนดเสร็จต้องเป็นวันที่จริงในรูปแบบ วัน/เดือน/ปี พ.ศ."), std::string::npos);
  EXPECT_NE(r.body.find("value=\"31/13/2565\""), std::string::npos);
  EXPECT_NE(r.body.find("id=\"new-measure\" open"), std::string::npos);

  r = post_form(page_url() + "/gifts/remove", officer, {});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("กรุณาทำเครื่องหมายยืนยันการลบมาตรการ"), std::string::npos);

  r = post_form(page_url() + "/gifts/progress", officer,
                {{"date", "31/02/2565"}, {"text", "ข้อความที่พิมพ์"}, {"status", "done"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("วันที่ต้องเป็นวันที่จริงในรูปแบบ วัน/เดือน/ปี พ.ศ."), std::string::npos);
  EXPECT_NE(r.body.find("value=\"31/02/2565\""), std::string::npos);
  EXPECT_NE(r.body.find("ข้อความที่พิมพ์"), std::string::npos);

  r = post_form(page_url() + "/signature", officer,
                {{"name", "นายสมชาย"}, {"position", "นายก"}, {"date", "สิบ ตุลา"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("วันที่ประกาศต้องเป็นวันที่จริง"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"นายสมชาย\""), std::string::npos);

  EXPECT_EQ(*store_->measures_plan(round_), before) << "nothing stored";
  EXPECT_TRUE(store_->progress_reports(round_).empty());
}

TEST_P(PlanEditor, RemovingAMeasureNeedsConfirmationAndNoProgressReports) {
  const Browser officer = browser(officer_);
  ASSERT_EQ(post_form(page_url() + "/gifts/progress", officer,
                      {{"date", "10/01/2565"}, {"text", "ร่างแล้ว"}, {"status", "in_progress"}})
                .status,
            303);
  auto page = get(page_url(), officer);
  EXPECT_EQ(page.body.find("action=\"" + page_url() + "/gifts/remove\""), std::string::npos);
  EXPECT_NE(page.body.find("มาตรการนี้มีรายงานความก้าวหน้าแล้ว จึงลบออกจากแผนไม่ได้"), std::string::npos);
  auto r = post_form(page_url() + "/gifts/remove", officer, {{"confirm", "1"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("สถานะ &quot;ยกเลิก&quot;"), std::string::npos) << r.body;
  EXPECT_EQ(plan()["measures"].size(), 2u);

  r = post_form(page_url() + "/open-data/remove", officer, {{"confirm", "1"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_NE(r.headers["location"].find("done=measure_removed"), std::string::npos);
  ASSERT_EQ(plan()["measures"].size(), 1u);
  EXPECT_EQ(plan()["measures"][0]["id"], "gifts");
}

TEST_P(PlanEditor, TheSignatureIsSavedInThePlan) {
  const Browser officer = browser(officer_);
  auto r =
      post_form(page_url() + "/signature", officer,
                {{"name", " นายสมชาย ใจดี "}, {"position", "นายกเทศมนตรี"}, {"date", "1/10/2564"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.headers["location"], page_url() + "?done=signature#signature");
  EXPECT_EQ(
      plan()["signature"],
      json({{"name_th", "นายสมชาย ใจดี"}, {"position_th", "นายกเทศมนตรี"}, {"date", "2021-10-01"}}));
  const auto page = get(page_url(), officer);
  EXPECT_NE(page.body.find("value=\"01/10/2564\""), std::string::npos);
}

TEST_P(PlanEditor, OnlyThoseWhoManageTheRoundMayEdit) {
  const Browser viewer = browser(viewer_);
  const std::string before = *store_->measures_plan(round_);
  const auto page = get(page_url(), viewer);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("/gifts/edit"), std::string::npos);
  EXPECT_EQ(page.body.find("/measures/new"), std::string::npos);
  EXPECT_EQ(page.body.find("/measures/signature"), std::string::npos);
  EXPECT_EQ(post_form(page_url() + "/gifts/edit", viewer, {{"title", "x"}}).status, 403);
  EXPECT_EQ(post_form(page_url() + "/new", viewer, {{"title", "x"}}).status, 403);
  EXPECT_EQ(post_form(page_url() + "/gifts/remove", viewer, {{"confirm", "1"}}).status, 403);
  EXPECT_EQ(post_form(page_url() + "/signature", viewer, {{"name", "x"}}).status, 403);
  EXPECT_EQ(post_form(page_url() + "/new", browser(officer_), {{"title", "x"}}, false).status, 403)
      << "no CSRF token";
  EXPECT_EQ(*store_->measures_plan(round_), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlanEditor, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
