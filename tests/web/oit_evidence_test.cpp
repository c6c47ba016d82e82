// Several evidence URLs per OIT item and the agency's "ไม่ขออุทธรณ์" through HTTP (issue #14;
// web/oit.cpp, web/api.cpp, service/oit.hpp): one URL a line in the form, each shown as a link on
// the OIT page and in the assessor's queue; a bad line refused by its number, nothing stored, the
// typed text kept; declining an appeal with its confirmation tick makes the fail final.
#include <gtest/gtest.h>

#include <regex>

#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::Browser;

class OitEvidence : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    agency_ =
        store_->create_agency({0, "เทศบาลตำบลน่าน", "เมือง", "น่าน", "เทศบาลตำบล"}, std::nullopt);
    officer_ = add_user("officer@test", store::Role::Officer, agency_.id);
    assessor_ = add_user("assessor@test", store::Role::Assessor, std::nullopt);
    const auto r = api("POST", "/api/v1/rounds",
                       {{"agency_id", agency_.id},
                        {"edition", "2564"},
                        {"staff_count", 30},
                        {"service_users", 400},
                        {"access_codes", false}},
                       token_for(officer_));
    ASSERT_EQ(r.status, 201) << r.body;
    round_ = json::parse(r.body)["id"].get<std::int64_t>();
    officer_token_ = token_for(officer_);  // once: each new token is audited
    assessor_token_ = token_for(assessor_);
  }
  std::string page() const { return "/rounds/" + std::to_string(round_) + "/oit"; }
  std::string oit_api() const { return "/api/v1/rounds/" + std::to_string(round_) + "/oit"; }
  // The <tr> of item `code` on the OIT page.
  static std::string row_of(const std::string& html, const std::string& code) {
    const auto start = html.find("<tr id=\"" + code + "\">");
    if (start == std::string::npos) return "";
    return html.substr(start, html.find("</tr>", start) - start);
  }
  // The evidence links in `html`, in order.
  static std::vector<std::string> evidence_links(const std::string& html) {
    std::vector<std::string> out;
    const std::regex link(
        "<div class=\"evidence-url\"><a href=\"([^\"]+)\" rel=\"noopener "
        "noreferrer\">[^<]+</a></div>");
    for (std::sregex_iterator it(html.begin(), html.end(), link), end; it != end; ++it)
      out.push_back((*it)[1]);
    return out;
  }
  // Item `code` of GET /api/v1/rounds/{id}/oit.
  json api_item(const std::string& code) {
    const auto r = api("GET", oit_api(), nullptr, officer_token_);
    EXPECT_EQ(r.status, 200) << r.body;
    const json state = json::parse(r.body);
    for (const auto& item : state["items"]) {
      if (item["item"] == code) return item;
    }
    ADD_FAILURE() << "no item " << code << " in " << r.body;
    return json::object();
  }
  // A fail review of `code` after evidence, through the API.
  void failed(const std::string& code) {
    ASSERT_EQ(
        api("PUT", oit_api() + "/" + code, {{"url", "https://a.example/" + code}}, officer_token_)
            .status,
        200);
    ASSERT_EQ(api("POST", oit_api() + "/" + code + "/review",
                  {{"verdict", "fail"}, {"comment", "ไม่พบรายงาน"}}, assessor_token_)
                  .status,
              200);
  }

  store::Agency agency_;
  store::User officer_, assessor_;
  std::int64_t round_ = 0;
  std::string officer_token_, assessor_token_;
};

using Links = std::vector<std::string>;

TEST_P(OitEvidence, ThreeUrlsOneALineAreShownAsThreeLinksOnThePageAndInTheQueue) {
  const Browser b = browser(officer_);
  const std::string form = row_of(get(page(), b).body, "O1");
  EXPECT_NE(form.find("ลิงก์หลักฐาน (บรรทัดละ 1 ลิงก์)"), std::string::npos) << form;
  EXPECT_NE(form.find("<textarea name=\"urls\""), std::string::npos);
  const auto saved = post_form(page() + "/O1", b,
                               {{"urls",
                                 "https://a.example/o1\r\nhttps://a.example/o1/annex\r\n\r\n"
                                 "https://a.example/o1/photo.jpg\r\n"},
                                {"note", "สามลิงก์"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  const Links three{"https://a.example/o1", "https://a.example/o1/annex",
                    "https://a.example/o1/photo.jpg"};
  const std::string row = row_of(get(page(), b).body, "O1");
  EXPECT_EQ(evidence_links(row), three) << row;
  EXPECT_NE(row.find(">https://a.example/o1\nhttps://a.example/o1/annex\n"
                     "https://a.example/o1/photo.jpg</textarea>"),
            std::string::npos)
      << "the form holds them one a line, to change until reviewed";
  EXPECT_EQ(evidence_links(get("/oit/queue", browser(assessor_)).body), three);
  const json item = api_item("O1");
  EXPECT_EQ(item["urls"], json(three));
  EXPECT_EQ(item["url"], three[0]) << "the first, for older clients";
}

TEST_P(OitEvidence, ABadLineIsRefusedByItsNumberInsideThePageKeepingWhatWasTyped) {
  const Browser b = browser(officer_);
  const auto before = footprint();
  const std::string typed = "https://a.example/o1\nwww.a.example/o1-annex\nhttps://a.example/x";
  const auto bad = post_form(page() + "/O1", b, {{"urls", typed}, {"note", "หมายเหตุที่พิมพ์"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("role=\"alert\""), std::string::npos);
  EXPECT_NE(bad.body.find("ข้อ O1: ลิงก์หลักฐานบรรทัดที่ 2 ไม่ใช่ที่อยู่เว็บ"), std::string::npos)
      << bad.body.substr(0, 2000);
  EXPECT_NE(bad.body.find("<header class=\"top\">"), std::string::npos) << "inside the layout";
  const std::string row = row_of(bad.body, "O1");
  EXPECT_NE(
      row.find(">https://a.example/o1\nwww.a.example/o1-annex\nhttps://a.example/x</textarea>"),
      std::string::npos)
      << row;
  EXPECT_NE(row.find("value=\"หมายเหตุที่พิมพ์\""), std::string::npos);

  const auto twice =
      post_form(page() + "/O1", b, {{"urls", "https://a.example/1\nhttps://a.example/1"}});
  EXPECT_EQ(twice.status, 422);
  EXPECT_NE(twice.body.find("บรรทัดที่ 2 ซ้ำกับบรรทัดที่ 1"), std::string::npos);
  std::string eleven;
  for (int i = 1; i <= 11; ++i) eleven += "https://a.example/" + std::to_string(i) + "\n";
  const auto many = post_form(page() + "/O1", b, {{"urls", eleven}});
  EXPECT_EQ(many.status, 422);
  EXPECT_NE(many.body.find("บรรทัดที่ 11: ส่งลิงก์หลักฐานได้ไม่เกิน 10 ลิงก์"), std::string::npos);
  // The API names the position in its array the same way.
  const auto api_bad =
      api("PUT", oit_api() + "/O1", {{"urls", {"https://a.example/1", "ftp://a.example/2"}}},
          officer_token_);
  EXPECT_EQ(api_bad.status, 422);
  EXPECT_NE(api_bad.body.find("บรรทัดที่ 2"), std::string::npos) << api_bad.body;
  EXPECT_EQ(api("PUT", oit_api() + "/O1",
                {{"url", "https://a.example/2"}, {"urls", {"https://a.example/1"}}}, officer_token_)
                .status,
            422)
      << "a \"url\" that is not the first of \"urls\"";
  EXPECT_EQ(footprint(), before) << "nothing stored";
  EXPECT_EQ(api_item("O1")["stage"], "draft");
}

TEST_P(OitEvidence, DecliningToAppealNeedsTheTickAndMakesTheFailFinalWithNoAppeal) {
  failed("O1");
  const Browser b = browser(officer_), assessor = browser(assessor_);
  std::string row = row_of(get(page(), b).body, "O1");
  EXPECT_NE(row.find("/O1/decline\""), std::string::npos) << row;
  EXPECT_NE(row.find("name=\"confirm\" value=\"1\" required"), std::string::npos);
  EXPECT_NE(row.find("ไม่ขออุทธรณ์</button>"), std::string::npos);
  EXPECT_EQ(row_of(get(page(), assessor).body, "O1").find("/decline\""), std::string::npos)
      << "the agency's step";

  const auto before = footprint();
  const auto untick = post_form(page() + "/O1/decline", b, {});
  EXPECT_EQ(untick.status, 422);
  EXPECT_NE(untick.body.find("ยืนยันว่าไม่ขออุทธรณ์"), std::string::npos);
  EXPECT_EQ(post_form(page() + "/O1/decline", assessor, {{"confirm", "1"}}).status, 403);
  EXPECT_EQ(footprint(), before);

  const auto declined = post_form(page() + "/O1/decline", b, {{"confirm", "1"}});
  ASSERT_EQ(declined.status, 303) << declined.body;
  const std::string location = declined.headers.at("location");
  const auto after = get(location.substr(0, location.find('#')), b).body;
  EXPECT_NE(after.find("หน่วยงานไม่ขออุทธรณ์"), std::string::npos);
  row = row_of(after, "O1");
  EXPECT_EQ(row.find("/O1/appeal\""), std::string::npos) << "no appeal any more: " << row;
  EXPECT_EQ(row.find("/O1/decline\""), std::string::npos);
  EXPECT_NE(row.find("<strong class=\"verdict fail\">ไม่ผ่าน</strong>"), std::string::npos);
  EXPECT_NE(row.find(std::string(kDeclinedAppealComment)), std::string::npos);
  EXPECT_EQ(post_form(page() + "/O1/appeal", b, {{"explanation", "ขอชี้แจง"}}).status, 422);
  EXPECT_EQ(post_form(page() + "/O1/decline", b, {{"confirm", "1"}}).status, 422) << "once";
  const json item = api_item("O1");
  EXPECT_EQ(item["stage"], "confirmed");
  EXPECT_EQ(item["final_verdict"], "fail");
  EXPECT_EQ(item["final_comment"], kDeclinedAppealComment);
  EXPECT_EQ(store_->audit_log(1).at(0).action, "oit.decline");

  // Through the API, with no body; not on a pass, not twice.
  failed("O2");
  const auto by_api = api("POST", oit_api() + "/O2/decline", nullptr, officer_token_);
  ASSERT_EQ(by_api.status, 200) << by_api.body;
  EXPECT_EQ(json::parse(by_api.body)["stage"], "confirmed");
  EXPECT_EQ(json::parse(by_api.body)["verdict"], "fail");
  EXPECT_EQ(api("POST", oit_api() + "/O2/decline", json::object(), officer_token_).status, 422);
  EXPECT_EQ(api("POST", oit_api() + "/O2/appeal", {{"explanation", "x"}}, officer_token_).status,
            422);
  EXPECT_EQ(api("POST", oit_api() + "/O2/confirm", {{"verdict", "pass"}}, assessor_token_).status,
            422);
}

INSTANTIATE_TEST_SUITE_P(Backends, OitEvidence, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
