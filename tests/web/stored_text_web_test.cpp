// The rules of stored text over HTTP, on both backends: every text that breaks its field's rule
// (core/text_rules.hpp) gets 422 with the field named, from the API and from the pages, and
// nothing is stored; documents written from a hostile text stored earlier stay well-formed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/thai.hpp"
#include "service/calendar.hpp"
#include "support/hostile_texts.hpp"
#include "support/zip_xml.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using testing::Browser;
using testing::hostile_texts;
using testing::json;
namespace chr = std::chrono;

std::string message_of(const testing::HttpResponse& r) {
  const json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.contains("error"))
    return "(not a JSON error) " + r.body.substr(0, 200);
  return j["error"]["message"].get<std::string>();
}

// Every XML part of the zip `bytes` parses: "" or the errors (testing::xml_problems_in_zip).
std::string xml_problems(const std::string& bytes) {
  const auto path =
      std::filesystem::temp_directory_path() / ("ita-docx-" + std::to_string(::getpid()) + ".zip");
  std::ofstream(path, std::ios::binary) << bytes;
  const std::string problems = testing::xml_problems_in_zip(path.string());
  std::filesystem::remove(path);
  return problems;
}

class StoredTextWeb : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    agency_ =
        store_->create_agency({0, "เทศบาลตำบลทดสอบ", "เมือง", "น่าน", "เทศบาลตำบล"}, std::nullopt).id;
    officer_ = add_user("officer@test", store::Role::Officer, agency_);
    assessor_ = add_user("assessor@test", store::Role::Assessor, std::nullopt);
    store::Round r;
    r.agency_id = agency_;
    r.edition_id = "2564";
    r.staff_count = 30;
    r.service_users = 400;
    r.iit_token = random_token(12);
    r.eit_token = random_token(12);
    r.status = store::RoundStatus::Open;
    round_ = store_->create_round(r, officer_.id).id;
  }

  std::string rounds() const { return "/api/v1/rounds/" + std::to_string(round_); }

  // `send()` is refused with 422 and `message`, and nothing stored changes.
  template <typename Send>
  void refused(Send send, const std::string& message, const std::string& what) {
    const auto before = footprint();
    const testing::HttpResponse r = send();
    EXPECT_EQ(r.status, 422) << what << ": " << r.body.substr(0, 300);
    const auto type = r.headers.find("content-type");
    if (type != r.headers.end() && type->second.starts_with("application/json")) {
      EXPECT_EQ(message_of(r), message) << what;
    } else {
      std::string escaped;  // as the page shows it
      for (const char c : message) escaped += c == '"' ? std::string("&quot;") : std::string(1, c);
      EXPECT_NE(r.body.find(escaped), std::string::npos) << what << ": the page names the field\n"
                                                         << r.body;
    }
    EXPECT_EQ(footprint(), before) << what << " changed what is stored";
  }

  std::int64_t agency_ = 0, round_ = 0;
  store::User officer_, assessor_;
};

TEST_P(StoredTextWeb, AgenciesWithHostileTextsAreRefusedByTheApiAndThePage) {
  const Browser admin = browser(admin_user_);
  for (const auto& h : hostile_texts()) {
    for (const auto& [field, label] :
         {std::pair{"name", "ชื่อหน่วยงาน"}, std::pair{"district", "อำเภอ"},
          std::pair{"type", "ประเภทหน่วยงาน"}}) {
      json body = {{"name", "อบต.ทดสอบ"}, {"province", "น่าน"}};
      body[field] = h.text;
      const std::string what = std::string(field) + ", " + h.name;
      const std::string message = std::string(label) + ": " + h.problem;
      refused([&] { return api("POST", "/api/v1/agencies", body, admin_); }, message, what);
      std::map<std::string, std::string> form = {{"name", "อบต.ทดสอบ"}, {"province", "น่าน"}};
      form[field] = h.text;
      refused([&] { return post_form("/agencies", admin, form); }, message, "page, " + what);
    }
  }
  std::string long_name;
  for (int i = 0; i < 201; ++i) long_name += "ก";
  refused(
      [&] {
        return api("POST", "/api/v1/agencies", {{"name", long_name}}, admin_);
      },
      "ชื่อหน่วยงาน: ข้อความยาวเกิน 200 ตัวอักษร (มี 201)", "201 characters");
  refused(
      [&] {
        return api("POST", "/api/v1/agencies", {{"name", std::string(60000, 'a')}}, admin_);
      },
      "ชื่อหน่วยงาน: ข้อความยาวเกิน 200 ตัวอักษร (มี 60000)", "60,000 characters");
  const std::string province_message =
      "จังหวัด: \"แอตแลนติส\" ไม่ใช่ชื่อจังหวัดหนึ่งใน 77 จังหวัด (เขียนชื่อเต็ม เช่น \"น่าน\" หรือ "
      "\"กรุงเทพมหานคร\")";
  refused(
      [&] {
        return api("POST", "/api/v1/agencies", {{"name", "อบต.ก"}, {"province", "แอตแลนติส"}},
                   admin_);
      },
      province_message, "a province outside the 77");
  refused(
      [&] {
        return post_form("/agencies", admin, {{"name", "อบต.ก"}, {"province", "แอตแลนติส"}});
      },
      province_message, "page, a province outside the 77");
  // The page offers the 77 provinces to choose from.
  const auto home = get("/", admin);
  EXPECT_NE(home.body.find("<option>กรุงเทพมหานคร</option>"), std::string::npos);
  EXPECT_NE(home.body.find("<option>บึงกาฬ</option>"), std::string::npos);
  EXPECT_EQ(
      api("POST", "/api/v1/agencies", {{"name", "อบต.ข"}, {"province", "บึงกาฬ"}}, admin_).status,
      201);
}

TEST_P(StoredTextWeb, OitStepsWithHostileTextsAreRefused) {
  const std::string officer = token_for(officer_), assessor = token_for(assessor_);
  const std::string o1 = rounds() + "/oit/O1";
  for (const auto& h : hostile_texts()) {
    refused(
        [&] {
          return api("PUT", o1, {{"url", "https://a.example/o1"}, {"note", h.text}}, officer);
        },
        "หมายเหตุของหลักฐาน OIT: " + h.problem, std::string("note, ") + h.name);
  }
  refused(
      [&] {
        return api("PUT", o1, {{"url", "https://a.example/\x07"}}, officer);
      },
      "ลิงก์หลักฐาน OIT: ข้อความมีอักขระควบคุม (U+0007) ซึ่งบันทึกไม่ได้", "url");
  ASSERT_EQ(api("PUT", o1, {{"url", "https://a.example/o1"}}, officer).status, 200);
  refused(
      [&] {
        return api("POST", o1 + "/review", {{"verdict", "fail"}, {"comment", "\x07"}}, assessor);
      },
      "ความเห็นของผู้ประเมิน: ข้อความมีอักขระควบคุม (U+0007) ซึ่งบันทึกไม่ได้", "comment");
  ASSERT_EQ(
      api("POST", o1 + "/review", {{"verdict", "fail"}, {"comment", "ไม่ครบ"}}, assessor).status,
      200);
  refused(
      [&] {
        return api("POST", o1 + "/appeal", {{"explanation", "\u2066x"}}, officer);
      },
      "คำชี้แจงเพิ่มเติม: ข้อความมีอักขระกำหนดทิศทาง (U+2066) ที่ไม่ได้ปิด", "explanation");
  // The page's form goes through the same rule.
  const Browser page = browser(officer_);
  refused(
      [&] {
        return post_form("/rounds/" + std::to_string(round_) + "/oit/O1/appeal", page,
                         {{"explanation", "ก\uFFFF"}});
      },
      "คำชี้แจงเพิ่มเติม: ข้อความมีรหัสที่ไม่ใช่อักขระ (U+FFFF) ซึ่งบันทึกไม่ได้", "appeal page");
}

TEST_P(StoredTextWeb, PlansAndProgressWithHostileTextsAreRefused) {
  const std::string officer = token_for(officer_);
  const FiscalYear fy = fiscal_year_of(*parse_iso_date(service::today_in_thailand())).previous();
  const auto plan = [&](const std::string& title) {
    return json{{"format", "ita-measures/1"},
                {"fiscal_year", fy.be},
                {"measures", json::array({{{"id", "m1"}, {"title_th", title}}})}};
  };
  for (const auto& h : hostile_texts()) {
    refused([&] { return api("PUT", rounds() + "/measures", plan(h.text), officer); },
            "/measures/0/title_th ชื่อมาตรการ: " + h.problem, std::string("title, ") + h.name);
  }
  ASSERT_EQ(api("PUT", rounds() + "/measures", plan("ประกาศนโยบาย"), officer).status, 200);
  const std::string day = format_iso_date(fy.first_day());
  for (const auto& h : hostile_texts()) {
    refused(
        [&] {
          return api("POST", rounds() + "/measures/m1/progress",
                     {{"date", day}, {"text", h.text}, {"status", "in_progress"}}, officer);
        },
        "ผลการดำเนินการ: " + h.problem, std::string("progress, ") + h.name);
  }
  const Browser page = browser(officer_);
  refused(
      [&] {
        return post_form("/rounds/" + std::to_string(round_) + "/measures/m1/progress", page,
                         {{"date", day}, {"text", "ร่าง\x07"}, {"status", "done"}});
      },
      "ผลการดำเนินการ: ข้อความมีอักขระควบคุม (U+0007) ซึ่งบันทึกไม่ได้", "progress page");
  EXPECT_EQ(api("POST", rounds() + "/measures/m1/progress",
                {{"date", day}, {"text", "บรรทัดหนึ่ง\nบรรทัดสอง\tแท็บ"}, {"status", "done"}}, officer)
                .status,
            201);
}

// A progress report stored before the rules (straight into the store) with a bell, noncharacters
// and an escape sequence: the round's 6-month and year-end DOCX are still well-formed XML.
TEST_P(StoredTextWeb, ReportsOfAHostileTextStoredEarlierAreWellFormedDocx) {
  const FiscalYear fy = fiscal_year_of(*parse_iso_date(service::today_in_thailand())).previous();
  ASSERT_EQ(api("PUT", rounds() + "/measures",
                {{"format", "ita-measures/1"},
                 {"fiscal_year", fy.be},
                 {"measures", json::array({{{"id", "m1"}, {"title_th", "มาตรการ"}}})}},
                token_for(officer_))
                .status,
            200);
  ProgressReport p;
  p.measure_id = "m1";
  p.date = fy.first_day();
  // (No NUL: a PostgreSQL text cannot hold one.)
  p.text_th = "ผลการดำเนินการ\x07\x1b[0mก\uFFFE\uFFFFข";
  p.evidence_url = "https://a.example/\x07";
  p.status = MeasureStatus::Done;
  store_->add_progress_report(round_, p, officer_.id);
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3";
  const Browser officer = browser(officer_);
  for (const char* file : {"report-6m.docx", "report-year.docx"}) {
    const auto r = get("/rounds/" + std::to_string(round_) + "/measures/" + file, officer);
    ASSERT_EQ(r.status, 200) << file << ": " << r.body.substr(0, 300);
    EXPECT_EQ(xml_problems(r.body), "") << file;
  }
  const auto html = get(
      "/rounds/" + std::to_string(round_) + "/measures/report-year.html?thai_digits=0", officer);
  ASSERT_EQ(html.status, 200);
  EXPECT_EQ(html.body.find('\x07'), std::string::npos);
  EXPECT_NE(html.body.find("ผลการดำเนินการ[0mกข"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoredTextWeb, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
