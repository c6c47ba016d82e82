// The OIT readiness check through HTTP (web/oit_check.cpp, service/oit_check.hpp): the officer's
// button on the OIT page and the API start a check that runs off the request thread; the OIT page
// and the report show each item's verdict and reason in Thai; only the agency's officers (and
// administrators) may start one; and from the web, with the server's default options, no
// internal address is ever fetched (server-side request forgery), whatever URL the agency gave.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "support/fixture_site.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::Browser;
using namespace std::chrono_literals;

std::string good_page(const std::string& keyword) {
  std::string filler;
  for (int i = 0; i < 10; ++i) filler += "หน่วยงานเผยแพร่ข้อมูลนี้ต่อสาธารณะ ";
  return "<html><body><h1>" + keyword + "</h1><p>ปีงบประมาณ พ.ศ. 2567</p><p>" + filler +
         "</p></body></html>";
}

class OitChecks : public testing::AppFixture {
 protected:
  web::AppOptions options() const override {
    web::AppOptions o = AppFixture::options();
    // The fixture site's address only: 169.254.169.254 and the rest stay refused, unfetched.
    if (allow_loopback_) o.oit_check.fetch.allow_addresses = {"127.0.0.1", "::1"};
    o.oit_check.fetch.extra_ca_file = site_.ca_file();
    o.oit_check.fetch.total_timeout = 2s;
    return o;
  }
  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    agency_ =
        store_->create_agency({0, "เทศบาลตำบลน่าน", "เมือง", "น่าน", "เทศบาลตำบล"}, std::nullopt);
    store_->set_agency_website(agency_.id, site_.https_url("/"), std::nullopt);
    officer_ = add_user("officer@test", store::Role::Officer, agency_.id);
    officer_token_ = token_for(officer_);
    const auto r = api("POST", "/api/v1/rounds",
                       {{"agency_id", agency_.id},
                        {"edition", "2567"},
                        {"staff_count", 30},
                        {"service_users", 400},
                        {"practice", true}},
                       officer_token_);
    ASSERT_EQ(r.status, 201) << r.body;
    round_ = json::parse(r.body)["id"].get<std::int64_t>();
    site_.page("/o1", "text/html; charset=utf-8", good_page("โครงสร้าง"));
    site_.status("/o2", 404);
    put("O1", site_.https_url("/o1"));
    put("O2", site_.https_url("/o2"));
    put("O3", "http://169.254.169.254/latest/meta-data/");
  }
  std::string base() const { return "/api/v1/rounds/" + std::to_string(round_) + "/oit"; }
  std::string page() const { return "/rounds/" + std::to_string(round_) + "/oit"; }
  void put(const std::string& item, const std::string& url) {
    ASSERT_EQ(api("PUT", base() + "/" + item, {{"url", url}}, officer_token_).status, 200);
  }
  // The check `id` once it has finished (polls the API for up to 20 s).
  json finished(std::int64_t id) {
    for (int i = 0; i < 200; ++i) {
      const auto r = api("GET", base() + "/checks/" + std::to_string(id), nullptr, officer_token_);
      EXPECT_EQ(r.status, 200) << r.body;
      const json j = json::parse(r.body);
      if (j["state"] == "finished") return j;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "check " << id << " did not finish";
    return json::object();
  }
  static json result(const json& check, const std::string& item) {
    for (const auto& r : check["results"]) {
      if (r["item"] == item) return r;
    }
    return json::object();
  }

  testing::FixtureSite site_;
  bool allow_loopback_ = true;  // read by options() during AppFixture::SetUp
  store::Agency agency_;
  store::User officer_;
  std::string officer_token_;
  std::int64_t round_ = 0;
};

TEST_P(OitChecks, TheOfficersButtonRunsACheckAndThePagesShowEachReason) {
  const Browser b = browser(officer_);
  const std::string before = get(page(), b).body;
  EXPECT_NE(before.find("ยังไม่เคยตรวจ"), std::string::npos);
  EXPECT_NE(before.find("action=\"/rounds/" + std::to_string(round_) + "/oit-checks\""),
            std::string::npos);
  const auto started = post_form("/rounds/" + std::to_string(round_) + "/oit-checks", b, {});
  ASSERT_EQ(started.status, 303) << started.body;
  EXPECT_NE(started.headers.at("location").find("done=check_started"), std::string::npos);
  const auto list = json::parse(api("GET", base() + "/checks", nullptr, officer_token_).body);
  ASSERT_EQ(list["checks"].size(), 1u);
  const json check = finished(list["checks"][0]["id"]);
  EXPECT_EQ(result(check, "O1")["verdict"], "likely_fine");
  EXPECT_EQ(result(check, "O2")["verdict"], "error_status") << check.dump();
  EXPECT_EQ(result(check, "O2")["http_status"], 404);
  EXPECT_EQ(result(check, "O3")["verdict"], "refused");
  EXPECT_EQ(result(check, "O4")["verdict"], "no_evidence");

  const std::string html = get(page(), b).body;
  EXPECT_NE(html.find("น่าจะผ่านเกณฑ์ 1 จาก 43 ข้อ"), std::string::npos) << html;
  EXPECT_NE(html.find("readiness readiness-error_status"), std::string::npos);
  EXPECT_NE(html.find("404"), std::string::npos);
  const auto report = get("/rounds/" + std::to_string(round_) + "/oit-checks/" +
                              std::to_string(check["id"].get<std::int64_t>()),
                          b);
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_NE(report.body.find("คะแนน OIT ที่คาดการณ์"), std::string::npos);
  EXPECT_NE(report.body.find("ลิงก์ไม่ถูกต้อง"), std::string::npos);       // O3
  EXPECT_NE(report.body.find("หน้าแสดงข้อผิดพลาด"), std::string::npos);  // O2
  EXPECT_EQ(report.body.find("likely_fine<"), std::string::npos) << "codes stay in attributes";
}

// The report as a file, read back with poppler's pdftotext: every item, the reasons in Thai, the
// URLs with their own digits.
TEST_P(OitChecks, TheReportDownloadsAsAPdfWithEachReason) {
  const auto started = api("POST", base() + "/check", nullptr, officer_token_);
  ASSERT_EQ(started.status, 202) << started.body;
  const std::int64_t id = finished(json::parse(started.body)["id"])["id"];
  const std::string path =
      "/rounds/" + std::to_string(round_) + "/oit-checks/" + std::to_string(id) + "/report.pdf";
  const auto pdf = get(path, browser(officer_));
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.headers.at("content-type"), "application/pdf");
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ita-oit-report-" + std::to_string(::getpid()) + "-" + GetParam());
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "r.pdf", std::ios::binary) << pdf.body;
  ASSERT_EQ(
      std::system(("pdftotext -layout " + (dir / "r.pdf").string() + " " + (dir / "r.txt").string())
                      .c_str()),
      0);
  std::ifstream in(dir / "r.txt");
  std::string text{std::istreambuf_iterator<char>(in), {}};
  std::filesystem::remove_all(dir);
  EXPECT_NE(text.find("รายงานความพร้อมของหลักฐาน"), std::string::npos) << text;
  EXPECT_NE(text.find("น่าจะผ่านเกณฑ์ ๑ จาก ๔๓ ข้อ"), std::string::npos) << text;
  EXPECT_NE(text.find("๔๐๔"), std::string::npos) << "the status in the reason, in Thai digits";
  EXPECT_NE(text.find(site_.https_url("/o2")), std::string::npos) << "the URL keeps its digits";
  for (const char* item : {"O1", "O2", "O43"}) EXPECT_NE(text.find(item), std::string::npos);
  EXPECT_EQ(
      get("/rounds/" + std::to_string(round_) + "/oit-checks/" + std::to_string(id) + "/report.exe",
          browser(officer_))
          .status,
      404);
}

TEST_P(OitChecks, TheApiStartsACheckAndAnswers202) {
  const auto r = api("POST", base() + "/check", nullptr, officer_token_);
  ASSERT_EQ(r.status, 202) << r.body;
  const json started = json::parse(r.body);
  EXPECT_EQ(started["round_id"], round_);
  const json check = finished(started["id"]);
  EXPECT_EQ(check["results"].size(), 43u);
  EXPECT_TRUE(check["predicted_oit"].is_number());
  EXPECT_TRUE(check["predicted_total"].is_null());
  EXPECT_EQ(api("GET", base() + "/checks/999999", nullptr, officer_token_).status, 404);
}

TEST_P(OitChecks, OnlyTheAgencysOfficersStartACheck) {
  const auto assessor = add_user("assessor@test", store::Role::Assessor, std::nullopt);
  const auto other = store_->create_agency({0, "อื่น", "", "", ""}, std::nullopt);
  const auto stranger = add_user("stranger@test", store::Role::Officer, other.id);
  EXPECT_EQ(api("POST", base() + "/check", nullptr, token_for(assessor)).status, 404);
  EXPECT_EQ(api("POST", base() + "/check", nullptr, token_for(stranger)).status, 404);
  EXPECT_EQ(
      post_form("/rounds/" + std::to_string(round_) + "/oit-checks", browser(assessor), {}).status,
      403);
  EXPECT_EQ(store_->oit_checks(round_, 10, false).size(), 0u);
  // An assessor reads the reports of the rounds they may see.
  EXPECT_EQ(api("GET", base() + "/checks", nullptr, token_for(assessor)).status, 200);
}

// The server's default options, as `ita serve` runs without its test switch.
class OitChecksDefaultOptions : public OitChecks {
 protected:
  void SetUp() override {
    allow_loopback_ = false;
    OitChecks::SetUp();
  }
};

TEST_P(OitChecksDefaultOptions, NoInternalAddressIsEverFetchedFromTheWeb) {
  put("O4", "http://127.0.0.1:" + std::to_string(port_) + "/api/v1/rounds");
  put("O5", "http://[::1]:" + std::to_string(port_) + "/");
  put("O6", "http://localhost:" + std::to_string(site_.http_port()) + "/o1");
  const auto r = api("POST", base() + "/check", nullptr, officer_token_);
  ASSERT_EQ(r.status, 202) << r.body;
  const json check = finished(json::parse(r.body)["id"]);
  for (const char* item : {"O1", "O2", "O3", "O4", "O5", "O6"})
    EXPECT_EQ(result(check, item)["verdict"], "refused") << item << " " << check.dump();
  EXPECT_EQ(site_.connections_total(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, OitChecks, ::testing::Values("sqlite", "postgres"));
INSTANTIATE_TEST_SUITE_P(Backends, OitChecksDefaultOptions,
                         ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
