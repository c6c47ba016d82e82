// The assessor's OIT work through HTTP (web/oit.cpp, service/oit.hpp): the work queue across
// rounds with its filters, a review form without a default verdict, a fail that needs its
// reason, and a confirmation offered only after the agency appealed.
#include <gtest/gtest.h>

#include <regex>

#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::Browser;
using testing::HttpResponse;

class AssessorOit : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    nan_ = store_->create_agency({0, "เทศบาลตำบลน่าน", "เมือง", "น่าน", "เทศบาลตำบล"}, std::nullopt);
    rai_ = store_->create_agency({0, "อบต.แม่สาย", "แม่สาย", "เชียงราย", "อบต."}, std::nullopt);
    officer_ = add_user("officer@test", store::Role::Officer, nan_.id);
    rai_officer_ = add_user("rai@test", store::Role::Officer, rai_.id);
    assessor_ = add_user("assessor@test", store::Role::Assessor, std::nullopt);
  }

  std::int64_t open_round(const store::Agency& a, const store::User& by, const char* edition) {
    const auto r = api("POST", "/api/v1/rounds",
                       {{"agency_id", a.id},
                        {"edition", edition},
                        {"staff_count", 30},
                        {"service_users", 400},
                        {"access_codes", false},
                        {"practice", std::string(edition) != "2564"}},  // 2566 lacks IIT/EIT
                       token_for(by));
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body)["id"].get<std::int64_t>();
  }
  // Evidence for `item` of round `round` by `officer`, through the API.
  void evidence(std::int64_t round, const std::string& item, const store::User& officer) {
    const auto r = api("PUT", oit(round) + "/" + item, {{"url", "https://a.example/" + item}},
                       token_for(officer));
    ASSERT_EQ(r.status, 200) << r.body;
  }
  static std::string oit(std::int64_t round) {
    return "/api/v1/rounds/" + std::to_string(round) + "/oit";
  }
  static std::string page(std::int64_t round) {
    return "/rounds/" + std::to_string(round) + "/oit";
  }
  // The links of the queue page's table, in order.
  static std::vector<std::string> queue_links(const std::string& html) {
    std::vector<std::string> out;
    const std::regex link("<td><a href=\"(/rounds/[0-9]+/oit#O[0-9]+)\">O[0-9]+</a></td>");
    for (std::sregex_iterator it(html.begin(), html.end(), link), end; it != end; ++it)
      out.push_back((*it)[1]);
    return out;
  }
  // The <tr> of item `code` on the OIT page.
  static std::string row_of(const std::string& html, const std::string& code) {
    const auto start = html.find("<tr id=\"" + code + "\">");
    if (start == std::string::npos) return "";
    return html.substr(start, html.find("</tr>", start) - start);
  }

  store::Agency nan_, rai_;
  store::User officer_, rai_officer_, assessor_;
};

TEST_P(AssessorOit, TheQueueListsWaitingItemsAcrossRoundsWithFiltersAndLinks) {
  const auto first = open_round(nan_, officer_, "2564");
  const auto second = open_round(rai_, rai_officer_, "2566");
  evidence(first, "O1", officer_);
  evidence(first, "O2", officer_);
  evidence(second, "O3", rai_officer_);
  const std::string assessor = token_for(assessor_);
  ASSERT_EQ(api("POST", oit(first) + "/O2/review", {{"verdict", "pass"}}, assessor).status, 200);

  const Browser b = browser(assessor_);
  EXPECT_NE(get("/", b).body.find("href=\"/oit/queue\""), std::string::npos) << "linked";
  const auto all = get("/oit/queue", b);
  ASSERT_EQ(all.status, 200) << all.body.substr(0, 500);
  using Links = std::vector<std::string>;
  EXPECT_EQ(queue_links(all.body), (Links{page(first) + "#O1", page(second) + "#O3"}));
  EXPECT_NE(all.body.find("รอพิจารณา"), std::string::npos);
  EXPECT_EQ(
      queue_links(
          get("/oit/queue?province=%E0%B8%99%E0%B9%88%E0%B8%B2%E0%B8%99&agency=&edition=", b).body),
      (Links{page(first) + "#O1"}))
      << "province น่าน";
  EXPECT_EQ(queue_links(get("/oit/queue?agency=" + std::to_string(rai_.id), b).body),
            (Links{page(second) + "#O3"}));
  const auto by_edition = get("/oit/queue?edition=2564", b);
  EXPECT_EQ(queue_links(by_edition.body), (Links{page(first) + "#O1"}));
  EXPECT_NE(by_edition.body.find("<option value=\"2564\" selected>"), std::string::npos);
  // Each link leads to the item's row on the round's page.
  EXPECT_NE(get(page(first), b).body.find("<tr id=\"O1\">"), std::string::npos);

  const auto bad = get("/oit/queue?agency=abc", b);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("หน่วยงานที่เลือกไม่ถูกต้อง"), std::string::npos);
  EXPECT_NE(bad.body.find("<header class=\"top\">"), std::string::npos) << "inside the layout";

  EXPECT_EQ(get("/oit/queue", browser(officer_)).status, 403);
  EXPECT_EQ(get("/", browser(officer_)).body.find("href=\"/oit/queue\""), std::string::npos);
  EXPECT_EQ(queue_links(get("/oit/queue", browser(admin_user_)).body).size(), 2u);
}

TEST_P(AssessorOit, TheReviewFormHasNoDefaultVerdictAndRefusesNoneKeepingTheComment) {
  const auto round = open_round(nan_, officer_, "2564");
  evidence(round, "O1", officer_);
  const Browser b = browser(assessor_);
  const std::string assessor = token_for(assessor_);
  const std::string row = row_of(get(page(round), b).body, "O1");
  ASSERT_NE(row.find("name=\"verdict\" value=\"pass\""), std::string::npos) << row;
  ASSERT_NE(row.find("name=\"verdict\" value=\"fail\""), std::string::npos);
  EXPECT_EQ(row.find("checked"), std::string::npos) << "no verdict chosen for the assessor";
  EXPECT_EQ(row.find("selected"), std::string::npos);
  EXPECT_NE(row.find("<span class=\"stage stage-submitted\">รอพิจารณา</span>"), std::string::npos);

  const auto before = footprint();
  const auto none = post_form(page(round) + "/O1/review", b, {{"comment", "ดูแล้วครบถ้วน"}});
  EXPECT_EQ(none.status, 422);
  EXPECT_NE(none.body.find("role=\"alert\""), std::string::npos);
  EXPECT_NE(none.body.find("กรุณาเลือกผลการพิจารณา"), std::string::npos);
  EXPECT_NE(row_of(none.body, "O1").find("value=\"ดูแล้วครบถ้วน\""), std::string::npos)
      << "the comment typed is kept";
  EXPECT_EQ(footprint(), before);
  // The API refuses it in its own words.
  const auto api_none = api("POST", oit(round) + "/O1/review", {{"comment", "x"}}, assessor);
  EXPECT_EQ(api_none.status, 422);
  EXPECT_EQ(json::parse(api_none.body)["error"]["message"], "missing field \"verdict\"");
  EXPECT_EQ(footprint(), before);
}

TEST_P(AssessorOit, AFailNeedsItsReasonOnThePageAndOnTheApi) {
  const auto round = open_round(nan_, officer_, "2564");
  evidence(round, "O1", officer_);
  evidence(round, "O2", officer_);
  const Browser b = browser(assessor_);
  const std::string assessor = token_for(assessor_);
  const auto before = footprint();
  const auto bare =
      post_form(page(round) + "/O1/review", b, {{"verdict", "fail"}, {"comment", " "}});
  EXPECT_EQ(bare.status, 422);
  EXPECT_NE(bare.body.find("ผลไม่ผ่านต้องระบุเหตุผล"), std::string::npos);
  EXPECT_EQ(bare.body.find("expected the reason"), std::string::npos) << "no English";
  EXPECT_NE(row_of(bare.body, "O1").find("value=\"fail\" checked"), std::string::npos)
      << "the verdict chosen is kept";
  const auto api_bare = api("POST", oit(round) + "/O2/review", {{"verdict", "fail"}}, assessor);
  EXPECT_EQ(api_bare.status, 422);
  EXPECT_EQ(json::parse(api_bare.body)["error"]["message"],
            "expected the reason for the fail in the comment");
  EXPECT_EQ(footprint(), before);

  const auto failed =
      post_form(page(round) + "/O1/review", b, {{"verdict", "fail"}, {"comment", "ไม่พบข้อมูล"}});
  ASSERT_EQ(failed.status, 303) << failed.body;
  const std::string row = row_of(get(page(round), b).body, "O1");
  EXPECT_NE(row.find("<strong class=\"verdict fail\">ไม่ผ่าน</strong>"), std::string::npos) << row;
  // A pass needs no comment.
  EXPECT_EQ(post_form(page(round) + "/O2/review", b, {{"verdict", "pass"}}).status, 303);
}

TEST_P(AssessorOit, ConfirmationIsOfferedAndAcceptedOnlyAfterTheAgencyAppealed) {
  const auto round = open_round(nan_, officer_, "2564");
  evidence(round, "O1", officer_);
  const Browser b = browser(assessor_);
  const std::string assessor = token_for(assessor_);
  ASSERT_EQ(
      api("POST", oit(round) + "/O1/review", {{"verdict", "fail"}, {"comment", "ไม่ครบ"}}, assessor)
          .status,
      200);
  std::string row = row_of(get(page(round), b).body, "O1");
  EXPECT_EQ(row.find("/confirm\""), std::string::npos) << "no confirmation before an appeal";
  EXPECT_EQ(row.find("ยืนยันผล</button>"), std::string::npos);
  const auto early =
      post_form(page(round) + "/O1/confirm", b, {{"verdict", "fail"}, {"comment", "ยืนยัน"}});
  EXPECT_EQ(early.status, 422);
  const auto api_early =
      api("POST", oit(round) + "/O1/confirm", {{"verdict", "fail"}, {"comment", "ยืนยัน"}}, assessor);
  EXPECT_EQ(api_early.status, 422);
  EXPECT_EQ(json::parse(api_early.body)["error"]["message"],
            "OIT item O1 is reviewed: only an appealed item can be confirmed");
  EXPECT_EQ(queue_links(get("/oit/queue", b).body).size(), 0u) << "the agency's turn";

  ASSERT_EQ(
      post_form(page(round) + "/O1/appeal", browser(officer_), {{"explanation", "หน้า 2"}}).status,
      303);
  EXPECT_EQ(queue_links(get("/oit/queue", b).body), std::vector<std::string>{page(round) + "#O1"});
  row = row_of(get(page(round), b).body, "O1");
  EXPECT_NE(row.find("/O1/confirm\""), std::string::npos) << row;
  EXPECT_NE(row.find("ชี้แจงแล้ว รอยืนยันผล"), std::string::npos);
  const auto confirmed = post_form(page(round) + "/O1/confirm", b, {{"verdict", "pass"}});
  ASSERT_EQ(confirmed.status, 303) << confirmed.body;
  EXPECT_NE(row_of(get(page(round), b).body, "O1").find("ยืนยันผลแล้ว"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, AssessorOit, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
