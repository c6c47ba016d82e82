// A round's lifecycle over HTTP (web/pages.cpp, web/api.cpp, web/survey.cpp): officers close,
// administrators reopen, a closed round's surveys refuse responses, closing dates in Buddhist Era
// on the pages and ISO dates on the API; on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <chrono>

#include "core/thai.hpp"
#include "service/calendar.hpp"
#include "support/http_client.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::Browser;
using testing::http;
using testing::HttpResponse;
namespace chr = std::chrono;

constexpr const char* kClosedPage = "แบบสำรวจนี้ปิดรับคำตอบแล้ว";

chr::year_month_day in_days(int n) {
  return chr::year_month_day{chr::sys_days(service::thai_today()) + chr::days(n)};
}

class RoundLifecycle : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    agency_ =
        store_->create_agency({0, "เทศบาลตำบลปิดรอบ", "เมือง", "น่าน", "เทศบาลตำบล"}, std::nullopt);
    officer_ = add_user("officer@test", store::Role::Officer, agency_.id);
    viewer_ = add_user("viewer@test", store::Role::Viewer, agency_.id);
    const auto other = store_->create_agency({0, "อบต.อื่น", "", "", ""}, std::nullopt);
    stranger_ = add_user("stranger@test", store::Role::Officer, other.id);
  }

  // A round opened by the officer through the API; its JSON.
  json open_round(const json& extra = json::object()) {
    json body = {{"agency_id", agency_.id},
                 {"edition", "2564"},
                 {"staff_count", 30},
                 {"service_users", 400}};
    body.update(extra);
    const auto r = api("POST", "/api/v1/rounds", body, token_for(officer_));
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body);
  }
  static std::string page_of(const json& round) { return "/rounds/" + round["id"].dump(); }
  static std::string survey_of(const json& round, const char* tool) {
    const std::string link = round["links"][tool];
    return link.substr(link.find("/s/"));
  }
  // Every EIT answer unit of edition 2564, answered.
  json eit_answers() {
    json out = json::object();
    for (const auto& item : editions_.get("2564").eit.items) {
      for (const auto& sub : item.sub_items) out[sub.code] = sub.scale == "yes_no" ? "N" : "4";
    }
    return out;
  }
  int responses(const json& round) {
    int n = 0;
    for (const auto& [tool, count] : store_->response_counts(round["id"].get<std::int64_t>()))
      n += count;
    return n;
  }
  std::string status_of(const json& round) {
    const auto r = api("GET", "/api/v1/rounds/" + round["id"].dump(), nullptr, admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body)["status"];
  }

  store::Agency agency_;
  store::User officer_, viewer_, stranger_;
};

TEST_P(RoundLifecycle, AnOfficerClosesARoundOnItsPageAndItsSurveysRefuseResponses) {
  const json round = open_round();
  const Browser officer = browser(officer_);
  auto page = get(page_of(round), officer);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("เปิดรับคำตอบ"), std::string::npos);
  EXPECT_NE(page.body.find("action=\"" + page_of(round) + "/close\""), std::string::npos);
  EXPECT_EQ(page.body.find("/reopen\""), std::string::npos) << "officers do not reopen";
  // The survey is read (and cached) while open.
  const std::string survey = survey_of(round, "eit");
  auto form = http(port_, "GET", survey);
  ASSERT_EQ(form.status, 200);
  const std::string cookie = testing::cookie_from(form, "ita_csrf");

  auto closed = post_form(page_of(round) + "/close", officer, {});
  ASSERT_EQ(closed.status, 303) << closed.body;
  EXPECT_EQ(closed.headers.at("location"), page_of(round) + "?done=closed");
  page = get(closed.headers.at("location"), officer);
  EXPECT_NE(page.body.find("ปิดรับคำตอบแล้ว"), std::string::npos);  // the flash
  EXPECT_NE(page.body.find("<strong>ปิดแล้ว</strong>"), std::string::npos);
  EXPECT_EQ(page.body.find("/close\""), std::string::npos);
  EXPECT_EQ(status_of(round), "closed");
  const auto audit = store_->audit_log(1);
  ASSERT_EQ(audit.size(), 1U);
  EXPECT_EQ(audit[0].action, "round.close");
  EXPECT_EQ(audit[0].user_id, officer_.id);

  form = http(port_, "GET", survey);
  EXPECT_EQ(form.status, 409);
  EXPECT_NE(form.body.find(kClosedPage), std::string::npos);
  EXPECT_EQ(form.body.find("<form method=\"post\" action=\"/s/"), std::string::npos);
  std::string body = "csrf=" + cookie.substr(cookie.find('=') + 1);
  const json answers = eit_answers();
  for (const auto& [unit, option] : answers.items())
    body += "&" + url_encode(unit) + "=" + option.get<std::string>();
  const auto sent =
      http(port_, "POST", survey, body,
           {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}});
  EXPECT_EQ(sent.status, 409);
  EXPECT_NE(sent.body.find(kClosedPage), std::string::npos);
  EXPECT_NE(sent.body.find("คำตอบที่ส่งมาไม่ถูกบันทึก"), std::string::npos);
  const auto by_api =
      api("POST", "/api/v1" + survey + "/responses", {{"answers", eit_answers()}}, "");
  EXPECT_EQ(by_api.status, 409);
  EXPECT_NE(by_api.body.find("ปิดรับคำตอบแล้ว"), std::string::npos) << by_api.body;
  EXPECT_NE(by_api.body.find("closed"), std::string::npos) << by_api.body;
  EXPECT_EQ(responses(round), 0);
}

TEST_P(RoundLifecycle, ViewersCannotCloseAndOnlyAdministratorsReopen) {
  const json round = open_round();
  const std::string id = round["id"].dump();
  EXPECT_EQ(post_form(page_of(round) + "/close", browser(viewer_), {}).status, 403);
  EXPECT_EQ(api("POST", "/api/v1/rounds/" + id + "/close", nullptr, token_for(viewer_)).status,
            403);
  EXPECT_EQ(api("POST", "/api/v1/rounds/" + id + "/close", nullptr, token_for(stranger_)).status,
            404);
  EXPECT_EQ(post_form(page_of(round) + "/close", browser(officer_), {}, false).status, 403)
      << "no CSRF token";
  EXPECT_EQ(status_of(round), "open");

  const std::string officer = token_for(officer_);
  auto closed = api("POST", "/api/v1/rounds/" + id + "/close", nullptr, officer);
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(json::parse(closed.body)["status"], "closed");
  EXPECT_EQ(api("POST", "/api/v1/rounds/" + id + "/close", nullptr, officer).status, 409);
  EXPECT_EQ(post_form(page_of(round) + "/reopen", browser(officer_), {}).status, 403);
  EXPECT_EQ(api("POST", "/api/v1/rounds/" + id + "/reopen", nullptr, officer).status, 403);
  EXPECT_EQ(status_of(round), "closed");

  const Browser admin = browser(admin_user_);
  EXPECT_NE(get(page_of(round), admin).body.find("/reopen\""), std::string::npos);
  const auto reopened = post_form(page_of(round) + "/reopen", admin, {});
  ASSERT_EQ(reopened.status, 303) << reopened.body;
  EXPECT_EQ(reopened.headers.at("location"), page_of(round) + "?done=reopened");
  EXPECT_EQ(status_of(round), "open");
  EXPECT_EQ(api("POST", "/api/v1/rounds/" + id + "/reopen", nullptr, admin_).status, 409);
  EXPECT_EQ(http(port_, "GET", survey_of(round, "iit")).status, 200);
  std::vector<std::string> actions;  // of the round, newest first
  for (const auto& e : store_->audit_log(100))
    if (e.target == "round:" + id) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"round.reopen", "round.close", "round.create"}));
}

TEST_P(RoundLifecycle, AClosingDateIsShownInBuddhistEraAndPastItTheRoundIsClosed) {
  const auto day = in_days(30);
  // The agency page's form takes a Buddhist Era date.
  const Browser officer = browser(officer_);
  const auto created = post_form("/agencies/" + std::to_string(agency_.id) + "/rounds", officer,
                                 {{"edition", "2564"},
                                  {"staff_count", "30"},
                                  {"service_users", "400"},
                                  {"closes_at", format_be_date(day)}});
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string page = created.headers.at("location");
  const auto shown = get(page, officer);
  EXPECT_NE(shown.body.find("เปิดรับคำตอบถึงวันที่ " + format_thai_date(day)), std::string::npos);
  EXPECT_NE(shown.body.find("value=\"" + format_be_date(day) + "\""), std::string::npos);
  const auto slash = page.rfind('/');
  const std::string id = page.substr(slash + 1, page.find('?') - slash - 1);  // before ?done=
  auto j = json::parse(api("GET", "/api/v1/rounds/" + id, nullptr, admin_).body);
  EXPECT_EQ(j["closes_at"], format_iso_date(day));
  EXPECT_EQ(j["status"], "open");

  // The API takes ISO dates, and null to remove one.
  const std::string officer_token = token_for(officer_);
  const std::string target = "/api/v1/rounds/" + id + "/closing-date";
  EXPECT_EQ(api("PUT", target, {{"closes_at", format_be_date(day)}}, officer_token).status, 422);
  EXPECT_EQ(api("PUT", target, {{"closes_at", format_iso_date(in_days(-1))}}, officer_token).status,
            422);
  EXPECT_EQ(api("PUT", target, {{"closes_at", nullptr}}, token_for(viewer_)).status, 403);
  auto moved = api("PUT", target, {{"closes_at", format_iso_date(in_days(0))}}, officer_token);
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(json::parse(moved.body)["closes_at"], format_iso_date(in_days(0)));
  EXPECT_EQ(http(port_, "GET", survey_of(json::parse(moved.body), "eit")).status, 200)
      << "the last day counts";

  // A closing date that has passed (written past the service's rule, on a round whose survey this
  // process has not cached) closes it everywhere.
  const json round = open_round({{"closes_at", format_iso_date(in_days(0))}});
  const std::string past = round["id"].dump();
  store_->change_round(round["id"].get<std::int64_t>(), store::RoundChange::ClosingDate,
                       in_days(-1), std::nullopt);
  EXPECT_EQ(status_of(round), "closed");
  const auto survey = http(port_, "GET", survey_of(round, "iit"));
  EXPECT_EQ(survey.status, 409);
  EXPECT_NE(survey.body.find(kClosedPage), std::string::npos);
  EXPECT_NE(survey.body.find(format_thai_date(in_days(-1))), std::string::npos);
  EXPECT_NE(get("/rounds/" + past, officer)
                .body.find("ปิดแล้ว (รับคำตอบถึงวันที่ " + format_thai_date(in_days(-1)) + ")"),
            std::string::npos);
  EXPECT_EQ(api("POST", "/api/v1" + survey_of(round, "eit") + "/responses",
                {{"answers", eit_answers()}}, "")
                .status,
            409);
  EXPECT_EQ(responses(round), 0);
}

TEST_P(RoundLifecycle, TheAuditPageSaysInThaiWhoClosedTheRoundAndWhenInBuddhistEra) {
  const json round = open_round();
  ASSERT_EQ(post_form(page_of(round) + "/close", browser(officer_), {}).status, 303);
  const auto page = get("/audit", browser(admin_user_));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("\">ปิดรอบการประเมิน</td><td data-label=\"เป้าหมาย\">รอบ " +
                           std::to_string(round["id"].get<int>()) + "</td>"),
            std::string::npos)
      << page.body;
  EXPECT_EQ(page.body.find("round.close"), std::string::npos) << "the action's code is not shown";
  const std::string year = std::to_string(be_from_ce(int(service::thai_today().year())));
  EXPECT_NE(page.body.find(" " + year + " "), std::string::npos) << "a Buddhist Era year";
  EXPECT_NE(page.body.find(" น.</td>"), std::string::npos);
  EXPECT_EQ(page.body.find("UTC"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, RoundLifecycle, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
