// The measures tracker over HTTP, against SQLite and a real PostgreSQL: the plan made from the
// round's result, progress reports, overdue measures, the 6-month and year-end downloads, roles
// and bad input.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/thai.hpp"
#include "io/edition_registry.hpp"
#include "service/calendar.hpp"
#include "store/store.hpp"
#include "support/http_client.hpp"
#include "support/synthetic.hpp"
#include "web/app.hpp"
#include "web/app_fixture.hpp"
#include "web/auth.hpp"
#include "web/server.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::http;
using testing::HttpResponse;
namespace chr = std::chrono;

using testing::Browser;

class Tracker : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    agency_ =
        store_
            ->create_agency({0, "เทศบาลตำบลทดสอบ", "แม่สาย", "เชียงราย", "เทศบาลตำบล"}, std::nullopt)
            .id;
    officer_ = user("officer@test", store::Role::Officer, agency_);
    viewer_ = user("viewer@test", store::Role::Viewer, agency_);
    assessor_ = user("assessor@test", store::Role::Assessor, std::nullopt);
    const auto other = store_->create_agency({0, "หน่วยงานอื่น", "", "", ""}, std::nullopt).id;
    stranger_ = user("stranger@test", store::Role::Officer, other);
    round_ = store_
                 ->create_round({0, agency_, "2564", 30, 400, random_token(12), random_token(12),
                                 false, store::RoundStatus::Open},
                                officer_.id)
                 .id;
  }

  store::User user(const std::string& email, store::Role role, std::optional<std::int64_t> agency) {
    return add_user(email, role, agency);
  }

  std::string token(const store::User& u) { return token_for(u); }

  std::string base() const { return "/rounds/" + std::to_string(round_); }
  std::string api_base() const { return "/api/v1/rounds/" + std::to_string(round_) + "/measures"; }

  // Answers and OIT verdicts for the round, so that its result can be computed.
  void complete_round() {
    const auto agency = testing::make_agency(testing::edition_path("2564"), 42, 6, 8);
    std::map<std::string, store::NewResponse> responses;
    for (const auto& row : agency.rows) {
      if (row.tool == "OIT") {
        store_->put_oit_evidence(round_, row.item, "https://test.go.th/ita/" + row.item, "",
                                 officer_.id);
        store_->review_oit(round_, row.item, row.answer == "pass", "", assessor_.id);
        continue;
      }
      auto& r = responses[row.respondent];
      r.round_id = round_;
      r.tool = *parse_tool(row.tool);
      r.day = "2021-05-01";
      r.answers[row.item] = row.answer;
    }
    for (const auto& [_, r] : responses) store_->submit_response(r);
  }

  // A plan put through the API: FY `fy`, measures as given.
  void put_plan(int fy, const json& measures) {
    const auto r = api("PUT", api_base(),
                       {{"format", "ita-measures/1"}, {"fiscal_year", fy}, {"measures", measures}},
                       token(officer_));
    ASSERT_EQ(r.status, 200) << r.body;
  }

  std::int64_t agency_ = 0, round_ = 0;
  store::User officer_, viewer_, assessor_, stranger_;
};

chr::year_month_day today() {
  return *parse_iso_date(service::today_in_thailand());
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// The table row of measure `id` on the measures page.
std::string row_of(const std::string& page, const std::string& id) {
  const auto start = page.find("<tr id=\"m-" + id + "\"");
  if (start == std::string::npos) return "";
  return page.substr(start, page.find("</tr>", start) - start);
}

std::string pdf_text(const std::string& pdf) {
  const auto path =
      std::filesystem::temp_directory_path() / ("ita-tracker-" + random_token(6) + ".pdf");
  std::ofstream(path, std::ios::binary) << pdf;
  std::string out;
  if (FILE* p = ::popen(("pdftotext -raw '" + path.string() + "' - 2>/dev/null").c_str(), "r")) {
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    ::pclose(p);
  }
  std::filesystem::remove(path);
  std::string squeezed;
  for (char c : out) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f') squeezed += c;
  }
  return squeezed;
}

TEST_P(Tracker, ThePlanIsMadeFromTheResultThenProgressIsReported) {
  const Browser officer = browser(officer_), viewer = browser(viewer_);

  // Before the result can be computed: the page says why, and init is refused.
  auto page = get(base() + "/measures", officer);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("ยังจัดทำแผนมาตรการไม่ได้"), std::string::npos);
  EXPECT_NE(page.body.find("ยังไม่มีผู้ตอบแบบวัด IIT"), std::string::npos);
  EXPECT_EQ(page.body.find("/measures/init"), std::string::npos);
  EXPECT_EQ(post_form(base() + "/measures/init", officer, {}).status, 409);
  EXPECT_EQ(api("GET", api_base(), nullptr, token(viewer_)).status, 404);
  EXPECT_NE(get(base(), officer).body.find("href=\"" + base() + "/measures\""), std::string::npos)
      << "linked from the round";

  complete_round();
  page = get(base() + "/measures", officer);
  EXPECT_NE(page.body.find("action=\"" + base() + "/measures/init\""), std::string::npos);
  EXPECT_EQ(get(base() + "/measures", viewer).body.find("/measures/init"), std::string::npos);
  EXPECT_EQ(post_form(base() + "/measures/init", viewer, {}).status, 403);
  EXPECT_EQ(post_form(base() + "/measures/init", officer, {}, false).status, 403)
      << "no CSRF token";
  EXPECT_FALSE(store_->measures_plan(round_));
  ASSERT_EQ(post_form(base() + "/measures/init", officer, {}).status, 303);
  EXPECT_EQ(post_form(base() + "/measures/init", officer, {}).status, 409) << "only once";

  // The plan runs in FY2565 (edition 2564 + 1), long over: every measure is overdue today.
  auto state = api("GET", api_base(), nullptr, token(viewer_));
  ASSERT_EQ(state.status, 200) << state.body;
  json j = json::parse(state.body);
  EXPECT_EQ(j["fiscal_year"], 2565);
  EXPECT_EQ(j["plan"]["format"], "ita-measures/1");
  ASSERT_GE(j["measures"].size(), 2u);
  const std::string first = j["measures"][0]["id"], second = j["measures"][1]["id"];
  const std::string title = j["measures"][0]["title_th"];
  const std::size_t n = j["measures"].size();
  EXPECT_EQ(j["counts"]["overdue"], n);
  page = get(base() + "/measures", officer);
  EXPECT_EQ(count(page.body, "class=\"overdue\""), n);
  EXPECT_NE(row_of(page.body, first).find("เกินกำหนด"), std::string::npos);
  EXPECT_NE(page.body.find(title), std::string::npos);

  // A report through the form closes the first measure, with its evidence.
  auto saved = post_form(base() + "/measures/" + first + "/progress", officer,
                         {{"date", "2022-01-10"},
                          {"status", "done"},
                          {"text", "ประกาศเจตนารมณ์แล้ว <ครบ>"},
                          {"evidence_url", "https://test.go.th/ita/measure-1"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.headers["location"], base() + "/measures?done=report#m-" + first);
  page = get(base() + "/measures", viewer);
  const std::string row = row_of(page.body, first);
  EXPECT_EQ(row.find("class=\"overdue\""), std::string::npos) << row;
  EXPECT_NE(row.find("ดำเนินการแล้วเสร็จ"), std::string::npos);
  EXPECT_NE(row.find("ประกาศเจตนารมณ์แล้ว &lt;ครบ&gt;"), std::string::npos) << "escaped";
  EXPECT_NE(row.find("href=\"https://test.go.th/ita/measure-1\""), std::string::npos);
  EXPECT_EQ(row.find("<form"), std::string::npos) << "a viewer gets no form";
  EXPECT_NE(row_of(page.body, second).find("class=\"overdue\""), std::string::npos);
  EXPECT_EQ(count(page.body, "class=\"overdue\""), n - 1);

  j = json::parse(api("GET", api_base(), nullptr, token(viewer_)).body);
  EXPECT_EQ(j["measures"][0]["status"], "done");
  EXPECT_EQ(j["measures"][0]["overdue"], false);
  ASSERT_EQ(j["measures"][0]["reports"].size(), 1u);
  EXPECT_EQ(j["measures"][0]["reports"][0]["date"], "2022-01-10");
  EXPECT_EQ(j["measures"][0]["reports"][0]["user_id"], officer_.id);
  EXPECT_EQ(j["counts"]["done"], 1);
  EXPECT_EQ(j["counts"]["overdue"], n - 1);

  // Every write was audited.
  std::map<std::string, std::string> audited;  // action → target
  for (const auto& e : store_->audit_log(100)) {
    if (e.action.starts_with("measures.")) audited[e.action] = e.target;
  }
  EXPECT_EQ(audited, (std::map<std::string, std::string>{
                         {"measures.plan", "round:" + std::to_string(round_)},
                         {"measures.progress", "round:" + std::to_string(round_) + "/" + first}}));
}

TEST_P(Tracker, OverdueFollowsTheFiscalYearAndTheStatus) {
  const FiscalYear last_year = fiscal_year_of(today()).previous();
  const std::string due = format_iso_date(fiscal_half_end(last_year));
  put_plan(last_year.be,
           json::array({
               {{"id", "all-year"}, {"title_th", "มาตรการตลอดปี <b>ตัวหนา</b>"}},
               {{"id", "half"}, {"title_th", "มาตรการครึ่งปี"}, {"due", due}},
               {{"id", "reported"}, {"title_th", "มาตรการที่เสร็จแล้ว"}},
               {{"id", "cancelled"}, {"title_th", "มาตรการที่ยกเลิก"}, {"status", "cancelled"}},
           }));
  const std::string officer = token(officer_);
  const auto done = api("POST", api_base() + "/reported/progress",
                        {{"date", format_iso_date(last_year.last_day())},
                         {"text", "เสร็จในวันสุดท้ายของปี"},
                         {"status", "done"}},
                        officer);
  ASSERT_EQ(done.status, 201) << done.body;
  EXPECT_EQ(json::parse(done.body)["measure"],
            (json{{"id", "reported"}, {"status", "done"}, {"overdue", false}}));
  const auto late = api("POST", api_base() + "/half/progress",
                        {{"text", "ยังดำเนินการอยู่"}, {"status", "in_progress"}}, officer);
  ASSERT_EQ(late.status, 201) << late.body;
  EXPECT_EQ(json::parse(late.body)["report"]["date"], service::today_in_thailand())
      << "no date = today";
  EXPECT_EQ(json::parse(late.body)["measure"]["overdue"], true);

  const json j = json::parse(api("GET", api_base(), nullptr, officer).body);
  std::map<std::string, bool> overdue;
  for (const auto& m : j["measures"]) overdue[m["id"]] = m["overdue"];
  EXPECT_EQ(overdue,
            (std::map<std::string, bool>{
                {"all-year", true}, {"half", true}, {"reported", false}, {"cancelled", false}}));
  EXPECT_EQ(j["measures"][0]["deadline"], format_iso_date(last_year.last_day()));
  EXPECT_EQ(j["measures"][0]["due"], nullptr);
  EXPECT_EQ(j["measures"][1]["due"], due);

  const auto page = get(base() + "/measures", browser(viewer_));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(row_of(page.body, "all-year").find("class=\"overdue\""), std::string::npos);
  EXPECT_NE(row_of(page.body, "half").find("เกินกำหนด"), std::string::npos);
  EXPECT_EQ(row_of(page.body, "reported").find("เกินกำหนด"), std::string::npos);
  EXPECT_EQ(row_of(page.body, "cancelled").find("เกินกำหนด"), std::string::npos);
  EXPECT_NE(page.body.find("มาตรการตลอดปี &lt;b&gt;ตัวหนา&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(page.body.find("<b>ตัวหนา"), std::string::npos);

  // This year's plan: an all-year measure is not overdue before 1 October.
  put_plan(last_year.be + 1, json::array({{{"id", "all-year"}, {"title_th", "มาตรการตลอดปี"}},
                                          {{"id", "half"}, {"title_th", "มาตรการครึ่งปี"}},
                                          {{"id", "reported"}, {"title_th", "มาตรการที่เสร็จแล้ว"}}}));
  const json now = json::parse(api("GET", api_base(), nullptr, officer).body);
  EXPECT_EQ(now["fiscal_year"], last_year.be + 1);
  EXPECT_EQ(now["measures"][0]["overdue"], false);
  EXPECT_EQ(now["measures"][0]["deadline"], format_iso_date(last_year.next().last_day()));
}

TEST_P(Tracker, ReportsDownloadAsPdfHtmlAndDocx) {
  const FiscalYear last_year = fiscal_year_of(today()).previous();
  const chr::year_month_day end_of_october{chr::sys_days{last_year.first_day()} + chr::days{30}};
  put_plan(last_year.be,
           json::array({{{"id", "gifts"},
                         {"title_th", "ประกาศนโยบายไม่รับของขวัญ"},
                         {"responsible_th", "สำนักปลัด"},
                         {"due", format_iso_date(end_of_october)}},
                        {{"id", "open-data"}, {"title_th", "เปิดเผยข้อมูลการจัดซื้อจัดจ้าง"}}}));
  ASSERT_EQ(api("POST", api_base() + "/open-data/progress",
                {{"date", format_iso_date(last_year.first_day())},
                 {"text", "เผยแพร่แผนแล้ว"},
                 {"status", "done"},
                 {"evidence_url", "https://test.go.th/ita/o12"}},
                token(officer_))
                .status,
            201);
  const Browser viewer = browser(viewer_);

  auto pdf = get(base() + "/measures/report-6m.pdf", viewer);
  ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 300);
  EXPECT_EQ(pdf.headers.at("content-type"), "application/pdf");
  EXPECT_NE(
      pdf.headers.at("content-disposition").find("ita-report-6m-" + std::to_string(last_year.be)),
      std::string::npos);
  ASSERT_EQ(pdf.body.substr(0, 5), "%PDF-");
  const std::string text = pdf_text(pdf.body);
  if (!text.empty()) {  // pdftotext is installed
    EXPECT_NE(text.find("รายงานความก้าวหน้าการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสรอบ๖เดือน"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("ประกาศนโยบายไม่รับของขวัญ"), std::string::npos) << text;
    EXPECT_NE(text.find("ยังไม่ดำเนินการเกินกำหนด"), std::string::npos) << "the overdue row is marked\n"
                                                                    << text;
    EXPECT_NE(text.find("https://test.go.th/ita/o12"), std::string::npos) << text;
  }

  auto html = get(base() + "/measures/report-year.html", viewer);
  ASSERT_EQ(html.status, 200);
  EXPECT_EQ(html.headers.at("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(
      html.body.find("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. " +
                     to_thai_digits(std::to_string(last_year.be))),
      std::string::npos);
  EXPECT_NE(get(base() + "/measures/report-year.html?thai_digits=0", viewer)
                .body.find("พ.ศ. " + std::to_string(last_year.be)),
            std::string::npos);
  const auto docx = get(base() + "/measures/report-year.docx", viewer);
  ASSERT_EQ(docx.status, 200);
  EXPECT_EQ(docx.body.substr(0, 2), "PK");
  EXPECT_EQ(get(base() + "/measures/report-6m.docx", viewer).status, 200);
  EXPECT_EQ(get(base() + "/measures/report-year.pdf", viewer).body.substr(0, 5), "%PDF-");

  EXPECT_EQ(get(base() + "/measures/report-9m.pdf", viewer).status, 404);
  EXPECT_EQ(get(base() + "/measures/report-6m.txt", viewer).status, 404);
  EXPECT_EQ(get(base() + "/measures/report-6m.pdf", browser(stranger_)).status, 404);
  EXPECT_EQ(http(port_, "GET", base() + "/measures/report-6m.pdf").status, 303)
      << "to the login page";
}

TEST_P(Tracker, TheMeasuresDocumentCarriesTheSavedPlan) {
  complete_round();
  const Browser viewer = browser(viewer_);
  const std::string url = "/rounds/" + std::to_string(round_) + "/report/measures.html";
  const auto before = get(url, viewer);
  ASSERT_EQ(before.status, 200) << before.body.substr(0, 300);
  EXPECT_EQ(before.body.find("จัดอบรมจริยธรรม &lt;รุ่นที่ ๒&gt;"), std::string::npos);
  put_plan(2564, json::array({{{"id", "ethics"},
                               {"title_th", "จัดอบรมจริยธรรม <รุ่นที่ ๒>"},
                               {"responsible_th", "กองการเจ้าหน้าที่"}}}));
  const auto after = get(url, viewer);
  ASSERT_EQ(after.status, 200);
  EXPECT_NE(after.body.find("จัดอบรมจริยธรรม &lt;รุ่นที่ ๒&gt;"), std::string::npos)
      << "the officer's plan, escaped";
  EXPECT_NE(after.body.find("กองการเจ้าหน้าที่"), std::string::npos);
  const auto docx = get("/rounds/" + std::to_string(round_) + "/report/measures.docx", viewer);
  ASSERT_EQ(docx.status, 200);
  EXPECT_EQ(docx.headers.at("content-type"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(get("/rounds/" + std::to_string(round_) + "/report/measures.txt", viewer).status, 404);
  EXPECT_EQ(get("/rounds/" + std::to_string(round_) + "/report/summary.pdf", viewer).status, 404);
}

TEST_P(Tracker, RolesAndBadInputAreRefusedAndStoreNothing) {
  put_plan(2565, json::array({{{"id", "gifts"}, {"title_th", "ประกาศนโยบายไม่รับของขวัญ"}}}));
  const std::string officer = token(officer_);
  const std::string url = api_base() + "/gifts/progress";
  const json good = {{"date", "2022-01-10"}, {"text", "ร่างประกาศแล้ว"}, {"status", "in_progress"}};

  EXPECT_EQ(api("POST", url, good, "").status, 401);
  EXPECT_EQ(api("POST", url, good, token(viewer_)).status, 403);
  EXPECT_EQ(api("POST", url, good, token(assessor_)).status, 403);
  EXPECT_EQ(api("POST", url, good, token(stranger_)).status, 404);
  EXPECT_EQ(post_form(base() + "/measures/gifts/progress", browser(viewer_),
                      {{"text", "x"}, {"status", "done"}})
                .status,
            403);
  EXPECT_EQ(api("GET", api_base(), nullptr, token(stranger_)).status, 404);
  EXPECT_EQ(get(base() + "/measures", browser(stranger_)).status, 403);

  EXPECT_EQ(api("POST", api_base() + "/no-such-measure/progress", good, officer).status, 404);
  EXPECT_EQ(api("POST", "/api/v1/rounds/999999/measures/gifts/progress", good, officer).status,
            404);
  auto with = [&](const char* key, const json& value) {
    json j = good;
    j[key] = value;
    return api("POST", url, j, officer);
  };
  for (const char* bad_date : {"2022-02-30", "10/01/2022", "2565-01-10", "2022-1-10"}) {
    const auto r = with("date", bad_date);
    EXPECT_EQ(r.status, 422) << bad_date << " " << r.body;
  }
  EXPECT_NE(with("date", "2022-02-30").body.find("YYYY-MM-DD"), std::string::npos);
  EXPECT_EQ(with("date", "2021-09-30").status, 422) << "before FY2565";
  EXPECT_EQ(with("date", format_iso_date(chr::sys_days{today()} + chr::days{1})).status, 422)
      << "tomorrow";
  for (const char* bad_url :
       {"javascript:alert(1)", "ftp://test.go.th/x", "test.go.th/x", "https://a b.go.th"}) {
    const auto r = with("evidence_url", bad_url);
    EXPECT_EQ(r.status, 422) << bad_url << " " << r.body;
  }
  EXPECT_EQ(with("status", "finished").status, 422);
  EXPECT_EQ(with("text", "   ").status, 422);
  EXPECT_EQ(with("text", std::string(10001, 'x')).status, 422);
  EXPECT_EQ(with("text", 5).status, 422);
  EXPECT_EQ(with("owner", "x").status, 422);
  json no_status = good;
  no_status.erase("status");
  EXPECT_EQ(api("POST", url, no_status, officer).status, 422);
  EXPECT_EQ(
      http(port_, "POST", url, "{\"text\": ", {{"Authorization", "Bearer " + officer}}).status,
      400);
  const auto form = post_form(base() + "/measures/gifts/progress", browser(officer_),
                              {{"date", "31/02/2565"}, {"text", "x"}, {"status", "done"}});
  EXPECT_EQ(form.status, 422) << "the form takes Buddhist Era dates, real ones only";
  EXPECT_NE(form.body.find("วัน/เดือน/ปี พ.ศ."), std::string::npos) << "a Thai message";
  EXPECT_TRUE(store_->progress_reports(round_).empty());

  // The plan itself: only a valid ita-measures/1 document, and no measure with reports dropped.
  EXPECT_EQ(api("PUT", api_base(),
                {{"format", "ita-measures/1"}, {"fiscal_year", 2565}, {"measures", json::array()}},
                token(viewer_))
                .status,
            403);
  EXPECT_EQ(api("PUT", api_base(),
                {{"format", "ita-measures/1"},
                 {"fiscal_year", 2565},
                 {"measures", {{{"id", "a"}, {"titel", "x"}}}}},
                officer)
                .status,
            422);
  EXPECT_EQ(api("PUT", api_base(),
                {{"format", "ita-measures/1"},
                 {"fiscal_year", 2565},
                 {"measures", {{{"id", "a"}, {"title_th", "x"}, {"due", "2023-01-01"}}}}},
                officer)
                .status,
            422)
      << "a due date outside FY2565";
  EXPECT_EQ(http(port_, "PUT", api_base(), "{", {{"Authorization", "Bearer " + officer}}).status,
            400);
  EXPECT_EQ(http(port_, "PUT", api_base(), R"({"fiscal_year": 1e999})",
                 {{"Authorization", "Bearer " + officer}})
                .status,
            422)
      << "JSON with a number no double holds is unprocessable, not malformed";

  ASSERT_EQ(api("POST", url, good, officer).status, 201);
  const auto dropped = api(
      "PUT", api_base(),
      {{"format", "ita-measures/1"}, {"fiscal_year", 2565}, {"measures", json::array()}}, officer);
  EXPECT_EQ(dropped.status, 409) << dropped.body;
  EXPECT_EQ(store_->progress_reports(round_).size(), 1u);
  EXPECT_EQ(json::parse(api("GET", api_base(), nullptr, officer).body)["measures"].size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Tracker, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
