// The agency's public OIT index page (/p/{agency}/oit/{year}, web/oit_index.cpp) and its JSON,
// `ita oit index` (cli/publish_commands.cpp), and the agency's website through the API, the
// agency page's form and `ita agency`, on each backend.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/json_schema.hpp"
#include "support/run_ita.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::HttpResponse;

class OitIndexPage : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    const auto a = api("POST", "/api/v1/agencies",
                       {{"name", "เทศบาลตำบลเปิดเผย"},
                        {"province", "น่าน"},
                        {"website", "https://www.open.example"}},
                       admin_);
    ASSERT_EQ(a.status, 201) << a.body;
    agency_ = json::parse(a.body)["id"];
    const auto r = api(
        "POST", "/api/v1/rounds",
        {{"agency_id", agency_}, {"edition", "2564"}, {"staff_count", 30}, {"service_users", 400}},
        admin_);
    ASSERT_EQ(r.status, 201) << r.body;
    round_ = json::parse(r.body)["id"];
    officer_ = add_user("officer@open", store::Role::Officer, agency_);
  }
  std::string base() const { return "/p/" + std::to_string(agency_) + "/oit/2564"; }
  void evidence(const std::string& item, const json& body) {
    const auto r = api("PUT", "/api/v1/rounds/" + std::to_string(round_) + "/oit/" + item, body,
                       token_for(officer_));
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // The page with nobody signed in.
  HttpResponse anonymous(const std::string& target) { return raw("GET", target, "", {}); }

  std::int64_t agency_ = 0, round_ = 0;
  store::User officer_;
};

TEST_P(OitIndexPage, IsPublicAndListsEveryItemWithItsLinks) {
  evidence("O1", {{"urls", {"https://www.open.example/o1", "https://www.open.example/o1?a=1&b=2"}},
                  {"note", "บันทึกของเจ้าหน้าที่"}});
  evidence("O3", {{"url", "https://www.open.example/o3"}});
  const auto review = api("POST", "/api/v1/rounds/" + std::to_string(round_) + "/oit/O3/review",
                          {{"verdict", "fail"}, {"comment", "ความเห็นของผู้ประเมิน"}},
                          token_for(add_user("assessor@open", store::Role::Assessor, {})));
  ASSERT_EQ(review.status, 200) << review.body;
  const HttpResponse page = anonymous(base());
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("<html lang=\"th\">"), std::string::npos);
  EXPECT_NE(page.body.find("เทศบาลตำบลเปิดเผย"), std::string::npos);
  EXPECT_NE(page.body.find("การเปิดเผยข้อมูลสาธารณะ (OIT) ประจำปีงบประมาณ พ.ศ. 2564"),
            std::string::npos);
  EXPECT_NE(page.body.find("<caption>"), std::string::npos);
  EXPECT_NE(page.body.find("<th scope=\"col\">ตรวจล่าสุด</th>"), std::string::npos);
  // Every item of the edition, in order, each a row headed by its code.
  std::size_t at = 0;
  for (const auto& item : editions_.get("2564").oit.items) {
    const std::size_t found = page.body.find("<th scope=\"row\">" + item.code + "</th>", at);
    ASSERT_NE(found, std::string::npos) << item.code << " missing or out of order";
    at = found;
  }
  EXPECT_NE(page.body.find("<a href=\"https://www.open.example/o1\" rel=\"noopener nofollow\""),
            std::string::npos);
  EXPECT_NE(page.body.find("href=\"https://www.open.example/o1?a=1&amp;b=2\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"https://www.open.example/o3\""), std::string::npos);
  EXPECT_NE(page.body.find("ยังไม่มีลิงก์"), std::string::npos);    // O2 has none
  EXPECT_NE(page.body.find("<td>—</td>"), std::string::npos);  // never checked
  EXPECT_NE(page.body.find("href=\"https://www.open.example\""), std::string::npos);
  // The review and the agency's notes are not public.
  for (const char* hidden : {"บันทึกของเจ้าหน้าที่", "ความเห็นของผู้ประเมิน", "ไม่ผ่าน", "ออกจากระบบ"})
    EXPECT_EQ(page.body.find(hidden), std::string::npos) << hidden;
}

TEST_P(OitIndexPage, ShowsTheDayOfTheNewestFinishedCheck) {
  store::OitCheck c;
  c.id = store_->start_oit_check(round_, std::nullopt, 1764705000);
  c.round_id = round_;
  c.results.push_back({"O1", Readiness::NoEvidence, "ยังไม่มีลิงก์หลักฐาน", "", 0});
  store_->finish_oit_check(c, 1764705600);  // 3 ธ.ค. 2568 in Thailand
  const HttpResponse page = anonymous(base());
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<td>3 ธ.ค. 2568</td>"), std::string::npos) << page.body;
}

TEST_P(OitIndexPage, UnknownYearIs404) {
  for (const std::string& target : std::vector<std::string>{
           "/p/" + std::to_string(agency_) + "/oit/2567",
           "/p/" + std::to_string(agency_) + "/oit/abc", "/p/999999/oit/2564", "/p/x/oit/2564"}) {
    const HttpResponse page = anonymous(target);
    EXPECT_EQ(page.status, 404) << target;
    EXPECT_NE(page.body.find("ไม่พบ"), std::string::npos) << target << ": " << page.body;
    EXPECT_NE(page.body.find("<html lang=\"th\">"), std::string::npos) << target;
  }
  const HttpResponse j = anonymous("/p/" + std::to_string(agency_) + "/oit/2567.json");
  EXPECT_EQ(j.status, 404);
  EXPECT_EQ(json::parse(j.body)["error"]["status"], 404);
}

TEST_P(OitIndexPage, TheJsonValidatesAgainstTheSchema) {
  evidence("O1", {{"urls", {"https://www.open.example/o1", "https://www.open.example/o1/b"}}});
  const HttpResponse r = anonymous(base() + ".json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.headers.at("content-type").starts_with("application/json"));
  EXPECT_TRUE(r.body.starts_with("{\n  \"format\": \"ita-oit-index/1\""));
  EXPECT_EQ(testing::schema_problems(testing::oit_index_schema(), r.body), "");
  const json j = json::parse(r.body);
  EXPECT_EQ(j["format"], "ita-oit-index/1");
  EXPECT_EQ(j["agency"]["website"], "https://www.open.example");
  EXPECT_EQ(j["items"][0]["urls"].size(), 2u);
  // The schema is not one that takes anything.
  json broken = j;
  broken["items"][0]["urls"][0] = "javascript:alert(1)";
  EXPECT_NE(testing::schema_problems(testing::oit_index_schema(), broken.dump()), "");
}

TEST_P(OitIndexPage, TheRoundsOitPageLinksToIt) {
  const HttpResponse page = get("/rounds/" + std::to_string(round_) + "/oit", browser(officer_));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("href=\"" + base() + "\""), std::string::npos);
  EXPECT_NE(page.body.find("หน้ารวมลิงก์ OIT สำหรับเผยแพร่"), std::string::npos);
}

TEST_P(OitIndexPage, TheExportWritesBothFilesAndItsJsonValidates) {
  evidence("O2", {{"url", "https://www.open.example/o2"}});
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ita-oit-index-" + std::to_string(::getpid()) + "-" + GetParam());
  std::filesystem::remove_all(dir);
  const auto run = testing::run_ita("oit index --round " + std::to_string(round_) + " --out " +
                                    (dir / "site").string() + " --db '" + db_.url + "'");
  ASSERT_EQ(run.code, 0) << run.err;
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string{std::istreambuf_iterator<char>(in), {}};
  };
  const std::string html = read(dir / "site" / "index.html"),
                    index = read(dir / "site" / "index.json");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(testing::schema_problems(testing::oit_index_schema(), index), "");
  EXPECT_EQ(json::parse(index)["items"][1]["urls"][0], "https://www.open.example/o2");
  EXPECT_TRUE(html.starts_with("<!doctype html>\n<html lang=\"th\">"));
  EXPECT_NE(html.find("font-family:Sarabun,'TH Sarabun New',Loma,sans-serif"), std::string::npos);
  EXPECT_NE(html.find("href=\"https://www.open.example/o2\""), std::string::npos);
  // Self-contained: no script, no stylesheet or other file of OpenITA.
  for (const char* absent : {"<script", "<link", "/static/", "src="})
    EXPECT_EQ(html.find(absent), std::string::npos) << absent;
  const auto unknown = testing::run_ita("oit index --round 999999 --out " + dir.string() +
                                        " --db '" + db_.url + "'");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("ไม่พบรอบการประเมิน"), std::string::npos) << unknown.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, OitIndexPage, ::testing::Values("sqlite", "postgres"));

// ---- the agency's website ----

class AgencyWebsite : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    agency_ = store_->create_agency({0, "อบต.เว็บไซต์", "", "น่าน", "อบต."}, std::nullopt).id;
    officer_ = add_user("officer@web", store::Role::Officer, agency_);
  }
  std::string target() const { return "/api/v1/agencies/" + std::to_string(agency_) + "/website"; }
  std::int64_t agency_ = 0;
  store::User officer_;
};

TEST_P(AgencyWebsite, TheApiSetsItAndReturnsIt) {
  const auto put =
      api("PUT", target(), {{"website", "https://www.web.example"}}, token_for(officer_));
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(json::parse(put.body)["website"], "https://www.web.example");
  const auto got = api("GET", "/api/v1/agencies/" + std::to_string(agency_), nullptr, admin_);
  EXPECT_EQ(json::parse(got.body)["website"], "https://www.web.example");
  const auto list = api("GET", "/api/v1/agencies", nullptr, admin_);
  EXPECT_EQ(json::parse(list.body)["items"][0]["website"], "https://www.web.example");
  EXPECT_EQ(store_->audit_log(1)[0].action, "agency.website");
  EXPECT_EQ(store_->audit_log(1)[0].user_id, officer_.id);
}

TEST_P(AgencyWebsite, AnInvalidAddressIsRefusedNamingTheFieldAndNothingChanges) {
  const auto before = footprint();
  const auto bad = api("PUT", target(), {{"website", "www.web.example"}}, admin_);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("เว็บไซต์ของหน่วยงาน"), std::string::npos) << bad.body;
  EXPECT_EQ(api("PUT", target(), {{"site", "https://a.example"}}, admin_).status, 422);
  EXPECT_EQ(api("PUT", target(), {{"website", 7}}, admin_).status, 422);
  const auto created =
      api("POST", "/api/v1/agencies", {{"name", "ใหม่"}, {"website", "ftp://x"}}, admin_);
  EXPECT_EQ(created.status, 422);
  EXPECT_NE(created.body.find("เว็บไซต์ของหน่วยงาน"), std::string::npos) << created.body;
  EXPECT_EQ(footprint(), before);
  EXPECT_EQ(store_->agency(agency_)->website, "");
}

TEST_P(AgencyWebsite, OnlyTheAgencysOfficersAndAdministratorsMaySetIt) {
  const auto other = store_->create_agency({0, "อื่น", "", "", ""}, std::nullopt).id;
  const auto stranger = add_user("stranger@web", store::Role::Officer, other);
  const auto viewer = add_user("viewer@web", store::Role::Viewer, agency_);
  const json body = {{"website", "https://a.example"}};
  EXPECT_EQ(api("PUT", target(), body, token_for(stranger)).status, 404);
  EXPECT_EQ(api("PUT", target(), body, token_for(viewer)).status, 403);
  EXPECT_EQ(api("PUT", "/api/v1/agencies/999999/website", body, admin_).status, 404);
  EXPECT_EQ(post_form("/agencies/" + std::to_string(agency_) + "/website", browser(stranger),
                      {{"website", "https://a.example"}})
                .status,
            403);
  EXPECT_EQ(store_->agency(agency_)->website, "");
}

TEST_P(AgencyWebsite, TheAgencyPageFormSetsItAndShowsARefusalAgain) {
  const testing::Browser b = browser(officer_);
  const std::string page = "/agencies/" + std::to_string(agency_);
  const auto unset = get(page, b);
  EXPECT_NE(unset.body.find("เว็บไซต์ของหน่วยงาน: ยังไม่ได้ระบุ"), std::string::npos) << unset.body;
  EXPECT_EQ(unset.body.find("href=\"\""), std::string::npos);
  const auto saved = post_form(page + "/website", b, {{"website", "https://www.web.example/"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.headers.at("location"), page + "?done=website_saved");
  const auto shown = get(page + "?done=website_saved", b);
  EXPECT_NE(shown.body.find("บันทึกเว็บไซต์ของหน่วยงานแล้ว"), std::string::npos);
  EXPECT_NE(shown.body.find("href=\"https://www.web.example/\""), std::string::npos);
  const auto refused = post_form(page + "/website", b, {{"website", "web example"}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("role=\"alert\""), std::string::npos);
  EXPECT_NE(refused.body.find("เว็บไซต์ของหน่วยงาน: "), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"web example\""), std::string::npos);
  EXPECT_EQ(post_form(page + "/website", b, {{"website", "https://x.example"}}, false).status, 403);
  EXPECT_EQ(store_->agency(agency_)->website, "https://www.web.example/");
}

TEST_P(AgencyWebsite, TheCommandLineAddsAndSetsIt) {
  const std::string db = " --db '" + db_.url + "'";
  const auto add = testing::run_ita(
      "agency add 'เทศบาลตำบลคำสั่ง' --province น่าน --website https://cmd.example" + db);
  ASSERT_EQ(add.code, 0) << add.err;
  const auto created = store_->agencies().back();
  EXPECT_EQ(add.out, "agency " + std::to_string(created.id) + " added\n");
  EXPECT_EQ(created.website, "https://cmd.example");
  const auto set = testing::run_ita("agency set-website --agency " + std::to_string(agency_) +
                                    " --website https://set.example" + db);
  ASSERT_EQ(set.code, 0) << set.err;
  EXPECT_EQ(store_->agency(agency_)->website, "https://set.example");
  const auto bad = testing::run_ita("agency set-website --agency " + std::to_string(agency_) +
                                    " --website set.example" + db);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("เว็บไซต์ของหน่วยงาน"), std::string::npos) << bad.err;
  EXPECT_EQ(store_->agency(agency_)->website, "https://set.example");
}

INSTANTIATE_TEST_SUITE_P(Backends, AgencyWebsite, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
