// The officers' back-office pages over HTTP (web/pages.cpp, web/oit.cpp, web/tracker.cpp): a
// refused form is its page again, inside the layout, with the Thai message and what was typed;
// every action ends with a success notice; access-code slips are shown once per issued batch; no
// English on the round page. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::Browser;
using testing::HttpResponse;

// The page is inside the layout: the header, the style sheet, an error summary.
void expect_in_layout_with_alert(const HttpResponse& r, const std::string& message) {
  EXPECT_NE(r.body.find("<header class=\"top\">"), std::string::npos) << r.body.substr(0, 300);
  EXPECT_NE(r.body.find("/static/style.css"), std::string::npos);
  const auto alert = r.body.find("role=\"alert\"");
  ASSERT_NE(alert, std::string::npos) << r.body.substr(0, 2000);
  EXPECT_NE(r.body.find(message, alert), std::string::npos) << message;
  EXPECT_EQ(r.body.find("ข้อผิดพลาด " + std::to_string(r.status)), std::string::npos)
      << "not the bare error page";
}

// The success notice of the layout (role="status") on the page a redirect leads to.
void expect_notice(const HttpResponse& page, const std::string& notice) {
  const auto status = page.body.find("role=\"status\"");
  ASSERT_NE(status, std::string::npos) << page.body.substr(0, 1500);
  EXPECT_NE(page.body.find(notice, status), std::string::npos) << notice;
}

// What a person reads of a page: the text between tags, outside <script>, <style> and <svg>.
std::string visible_text(std::string html) {
  for (const char* element : {"script", "style", "svg"}) {
    const std::regex block(std::string("<") + element + "[\\s\\S]*?</" + element + ">");
    html = std::regex_replace(html, block, " ");
  }
  return std::regex_replace(html, std::regex("<[^>]*>"), " ");
}

// Words of 4 or more Latin letters in `text` that are not allowed on a Thai page: abbreviations
// people use in Thai (IIT, EIT, OIT, ITA, PDF, DOCX, HTML, JSON, SVG, PNG, URL, the brand
// OpenITA), web addresses and e-mail addresses (data, not wording).
std::set<std::string> english_words(const std::string& text) {
  static const std::set<std::string> allowed = {"OpenITA", "DOCX", "HTML", "JSON", "http", "https"};
  std::set<std::string> out;
  std::istringstream words(text);
  std::string token;
  const std::regex latin("[A-Za-z]{4,}");
  while (words >> token) {
    if (token.find("://") != std::string::npos || token.find('@') != std::string::npos) continue;
    for (std::sregex_iterator it(token.begin(), token.end(), latin), end; it != end; ++it) {
      if (!allowed.contains(it->str())) out.insert(it->str());
    }
  }
  return out;
}

// The value of the hidden field `name` of the page's form.
std::string hidden_value(const std::string& html, const std::string& name) {
  const std::string key = "name=\"" + name + "\" value=\"";
  const auto at = html.find(key);
  if (at == std::string::npos) return "";
  const auto start = at + key.size();
  return html.substr(start, html.find('"', start) - start);
}

// Where a redirect leads, as a browser asks for it: without its "#fragment".
std::string target_of(const HttpResponse& redirect) {
  const std::string& location = redirect.headers.at("location");
  return location.substr(0, location.find('#'));
}

std::size_t occurrences(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

class OfficerPages : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    agency_ =
        store_->create_agency({0, "เทศบาลตำบลทดสอบ", "เมือง", "น่าน", "เทศบาลตำบล"}, std::nullopt);
    officer_ = add_user("officer@test", store::Role::Officer, agency_.id);
    assessor_ = add_user("assessor@test", store::Role::Assessor, std::nullopt);
  }

  // A round of the agency (edition 2564, codes required), opened through the API: its id.
  std::int64_t open_round() {
    const auto r = api("POST", "/api/v1/rounds",
                       {{"agency_id", agency_.id},
                        {"edition", "2564"},
                        {"staff_count", 30},
                        {"service_users", 400},
                        {"access_codes", true}},
                       token_for(officer_));
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body)["id"].get<std::int64_t>();
  }
  static std::string page_of(std::int64_t round) { return "/rounds/" + std::to_string(round); }

  store::Agency agency_;
  store::User officer_, assessor_;
};

TEST_P(OfficerPages, ARefusedAgencyIsShownOnTheHomePageWithWhatWasTyped) {
  const Browser admin = browser(admin_user_);
  const auto before = footprint();
  const auto refused = post_form("/agencies", admin,
                                 {{"name", "\u200b"},
                                  {"type", "องค์การบริหารส่วนตำบล"},
                                  {"district", "ท่าวังผา"},
                                  {"province", "น่าน"}});
  EXPECT_EQ(refused.status, 422);
  expect_in_layout_with_alert(refused, "กรุณากรอกชื่อหน่วยงาน");
  EXPECT_NE(refused.body.find("value=\"องค์การบริหารส่วนตำบล\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"ท่าวังผา\""), std::string::npos);
  EXPECT_NE(refused.body.find("<option selected>น่าน</option>"), std::string::npos);
  EXPECT_EQ(footprint(), before) << "nothing stored";

  const auto added = post_form("/agencies", admin, {{"name", "อบต.ศิลาแลง"}, {"province", "น่าน"}});
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_TRUE(added.headers.at("location").ends_with("?done=agency_created"));
  expect_notice(get(target_of(added), admin), "เพิ่มหน่วยงานแล้ว");
}

TEST_P(OfficerPages, ARefusedRoundIsShownOnTheAgencyPageWithWhatWasTyped) {
  const Browser officer = browser(officer_);
  const std::string target = "/agencies/" + std::to_string(agency_.id) + "/rounds";
  const auto refused = post_form(target, officer,
                                 {{"edition", "2564"},
                                  {"staff_count", "สามสิบ"},
                                  {"service_users", "120"},
                                  {"access_codes", "1"},
                                  {"closes_at", "31/01/2599"}});
  EXPECT_EQ(refused.status, 422);
  expect_in_layout_with_alert(refused, "จำนวนบุคลากรต้องเป็นจำนวนเต็ม");
  EXPECT_NE(refused.body.find("value=\"สามสิบ\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"120\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"31/01/2599\""), std::string::npos);
  EXPECT_NE(refused.body.find("name=\"access_codes\" value=\"1\" checked"), std::string::npos);
  EXPECT_TRUE(store_->rounds_of_agency(agency_.id).empty());

  // A service's refusal (a closing date far ahead) comes back the same way.
  const auto late = post_form(target, officer,
                              {{"edition", "2564"},
                               {"staff_count", "30"},
                               {"service_users", "120"},
                               {"closes_at", "31/01/2599"}});
  EXPECT_EQ(late.status, 422);
  expect_in_layout_with_alert(late, "วันปิดรับคำตอบ");
  EXPECT_NE(late.body.find("value=\"30\""), std::string::npos);

  const auto made = post_form(
      target, officer, {{"edition", "2564"}, {"staff_count", "30"}, {"service_users", "120"}});
  ASSERT_EQ(made.status, 303) << made.body;
  expect_notice(get(target_of(made), officer), "สร้างรอบการประเมินแล้ว");
}

TEST_P(OfficerPages, TheRoundPageFormsShowTheirRefusalsAndTheirSuccess) {
  const auto round = open_round();
  const Browser officer = browser(officer_);
  auto bad_date =
      post_form(page_of(round) + "/closing-date", officer, {{"closes_at", "99/99/2570"}});
  EXPECT_EQ(bad_date.status, 422);
  expect_in_layout_with_alert(bad_date, "วันปิดรับคำตอบต้องเป็นวันที่จริง");
  EXPECT_NE(bad_date.body.find("value=\"99/99/2570\""), std::string::npos);

  auto bad_count = post_form(page_of(round) + "/codes", officer, {{"count", "0"}});
  EXPECT_EQ(bad_count.status, 422);
  expect_in_layout_with_alert(bad_count, "จำนวนรหัสต้องอยู่ระหว่าง 1 ถึง 2000");
  EXPECT_NE(bad_count.body.find("name=\"count\" min=\"1\" max=\"2000\" value=\"0\""),
            std::string::npos);
  EXPECT_EQ(store_->access_code_counts(round).first, 0);

  const auto dated = post_form(page_of(round) + "/closing-date", officer, {{"closes_at", ""}});
  ASSERT_EQ(dated.status, 303);
  expect_notice(get(target_of(dated), officer), "บันทึกวันปิดรับคำตอบแล้ว");
  const auto closed = post_form(page_of(round) + "/close", officer, {});
  ASSERT_EQ(closed.status, 303);
  expect_notice(get(target_of(closed), officer), "ปิดรับคำตอบแล้ว");
  // Closing it again (a second tab) is refused inside the page.
  const auto again = post_form(page_of(round) + "/close", officer, {});
  EXPECT_EQ(again.status, 409);
  expect_in_layout_with_alert(again, "ปิดรับคำตอบอยู่แล้ว");
  const auto reopened = post_form(page_of(round) + "/reopen", browser(admin_user_), {});
  ASSERT_EQ(reopened.status, 303);
  expect_notice(get(target_of(reopened), officer), "เปิดรับคำตอบอีกครั้งแล้ว");
}

TEST_P(OfficerPages, OitStepsShowThaiRefusalsWithWhatWasTypedAndTheirSuccess) {
  const auto round = open_round();
  const Browser officer = browser(officer_), assessor = browser(assessor_);
  const std::string oit = page_of(round) + "/oit/O1";
  const auto bad = post_form(oit, officer, {{"url", "javascript:alert(1)"}, {"note", "หน้าแรก"}});
  EXPECT_EQ(bad.status, 422);
  expect_in_layout_with_alert(bad, "ต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https://");
  EXPECT_EQ(bad.body.find("expected an http"), std::string::npos) << "no English";
  EXPECT_NE(bad.body.find(">javascript:alert(1)</textarea>"), std::string::npos)
      << "kept in the form's one-URL-a-line box";
  EXPECT_EQ(bad.body.find("href=\"javascript:"), std::string::npos) << "never a link";
  EXPECT_NE(bad.body.find("value=\"หน้าแรก\""), std::string::npos);

  const auto saved = post_form(oit, officer, {{"url", "https://a.example/o1"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.headers.at("location"), page_of(round) + "/oit?done=evidence#O1");
  expect_notice(get(target_of(saved), officer), "บันทึกหลักฐาน OIT แล้ว");

  const auto reviewed =
      post_form(oit + "/review", assessor, {{"verdict", "fail"}, {"comment", "ไม่พบข้อมูล"}});
  ASSERT_EQ(reviewed.status, 303) << reviewed.body;
  expect_notice(get(target_of(reviewed), assessor), "บันทึกผลการพิจารณาแล้ว");
  // The same review again, from a page that was not reloaded: the step is no longer open.
  const auto twice = post_form(oit + "/review", assessor, {{"verdict", "pass"}, {"comment", "ซ้ำ"}});
  EXPECT_EQ(twice.status, 422);
  expect_in_layout_with_alert(twice, "ข้อนี้อยู่ในขั้นตอนที่ทำรายการนี้ไม่ได้แล้ว");

  const auto empty = post_form(oit + "/appeal", officer, {{"explanation", ""}});
  EXPECT_EQ(empty.status, 422);
  expect_in_layout_with_alert(empty, "กรุณากรอกคำชี้แจงเพิ่มเติม");
  const auto appealed = post_form(oit + "/appeal", officer, {{"explanation", "อยู่ที่หน้า 2"}});
  ASSERT_EQ(appealed.status, 303) << appealed.body;
  expect_notice(get(target_of(appealed), officer), "ส่งคำชี้แจงเพิ่มเติมแล้ว");
}

TEST_P(OfficerPages, AProgressReportFormKeepsWhatWasTypedAndThenSaysItIsSaved) {
  const auto round = open_round();
  const auto plan = api("PUT", "/api/v1/rounds/" + std::to_string(round) + "/measures",
                        json::parse(R"({"format":"ita-measures/1","fiscal_year":2565,
                          "measures":[{"id":"m1","title_th":"ประกาศเจตนารมณ์"}]})"),
                        token_for(officer_));
  ASSERT_EQ(plan.status, 200) << plan.body;
  const Browser officer = browser(officer_);
  const std::string target = page_of(round) + "/measures/m1/progress";
  const auto bad = post_form(target, officer,
                             {{"date", "2022-02-30"},
                              {"status", "in_progress"},
                              {"text", "ประชุมแล้วครึ่งหนึ่ง"},
                              {"evidence_url", "https://a.example/m1"}});
  EXPECT_EQ(bad.status, 422);
  expect_in_layout_with_alert(bad, "วันที่ต้องเป็นวันที่จริง");
  EXPECT_NE(bad.body.find(">ประชุมแล้วครึ่งหนึ่ง</textarea>"), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"2022-02-30\""), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"https://a.example/m1\""), std::string::npos);
  EXPECT_NE(bad.body.find("<details open>"), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"in_progress\" selected"), std::string::npos);
  EXPECT_TRUE(store_->progress_reports(round).empty());

  const auto saved = post_form(target, officer,
                               {{"date", "2022-01-10"}, {"status", "done"}, {"text", "ประกาศแล้ว"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  expect_notice(get(target_of(saved), officer), "บันทึกรายงานความก้าวหน้าแล้ว");
}

TEST_P(OfficerPages, SlipsAreIssuedOncePerFormEachWithItsUrlCodeAndQr) {
  const auto round = open_round();
  const Browser officer = browser(officer_);
  const auto page = get(page_of(round), officer);
  const std::string token = hidden_value(page.body, "codes_token");
  ASSERT_FALSE(token.empty()) << "the slips' form carries a one-time value";
  const std::map<std::string, std::string> form = {{"count", "3"}, {"codes_token", token}};
  const auto slips = post_form(page_of(round) + "/codes", officer, form);
  ASSERT_EQ(slips.status, 200) << slips.body.substr(0, 2000);
  EXPECT_EQ(slips.headers.at("cache-control"), "no-store");
  expect_notice(slips, "ออกรหัสเข้าตอบ 3 รหัสแล้ว");
  const auto stored = store_->round(round);
  const std::string url = "http://127.0.0.1:1/s/" + stored->iit_token;
  EXPECT_EQ(occurrences(slips.body, "<section class=\"slip\""), 3U);
  EXPECT_EQ(occurrences(slips.body, "<div class=\"slip-url\">" + url + "</div>"), 3U);
  EXPECT_EQ(occurrences(slips.body, "<use href=\"#slip-qr\""), 3U);
  EXPECT_EQ(occurrences(slips.body, "<symbol id=\"slip-qr\""), 1U) << "the QR code drawn once";
  const std::regex code("<code class=\"slip-code\">([0-9a-f]{10})</code>");
  std::set<std::string> codes;
  for (std::sregex_iterator it(slips.body.begin(), slips.body.end(), code), end; it != end; ++it)
    codes.insert((*it)[1]);
  EXPECT_EQ(codes.size(), 3U);
  EXPECT_EQ(store_->access_code_counts(round).first, 3);

  // A reload sends the same form again: no new batch, a Thai message inside the round page.
  const auto reload = post_form(page_of(round) + "/codes", officer, form);
  EXPECT_EQ(reload.status, 409);
  expect_in_layout_with_alert(reload, "ใบรหัสชุดนี้ออกไปแล้ว");
  EXPECT_EQ(reload.body.find("class=\"slip-code\""), std::string::npos);
  EXPECT_EQ(store_->access_code_counts(round).first, 3) << "counted once";
  const auto forged = post_form(page_of(round) + "/codes", officer, {{"count", "3"}});
  EXPECT_EQ(forged.status, 409) << "no batch without the form's value";
  EXPECT_EQ(store_->access_code_counts(round).first, 3);
  // The page of that 409 has a fresh value: the next explicit issue works.
  const auto next =
      post_form(page_of(round) + "/codes", officer,
                {{"count", "2"}, {"codes_token", hidden_value(reload.body, "codes_token")}});
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(store_->access_code_counts(round).first, 5);
}

TEST_P(OfficerPages, TheRoundPageHasNoEnglish) {
  // The check finds English: the edition's own note on its sample tables is English.
  const Edition& e = editions_.get("2564");
  ASSERT_TRUE(e.sampling);
  EXPECT_FALSE(english_words(e.sampling->provenance.notes).empty());
  EXPECT_FALSE(english_words(visible_text("<p>Please <b>select</b> one</p>")).empty());
  EXPECT_TRUE(
      english_words(visible_text("<p>IIT https://a.example/s/x <svg>text</svg></p>")).empty());

  const auto round = open_round();
  for (const Browser& who : {browser(officer_), browser(admin_user_)}) {
    const auto page = get(page_of(round), who);
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(english_words(visible_text(page.body)), std::set<std::string>{})
        << visible_text(page.body);
    EXPECT_NE(page.body.find("เป้าหมายขั้นต่ำ"), std::string::npos) << "the note, in Thai";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, OfficerPages, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
