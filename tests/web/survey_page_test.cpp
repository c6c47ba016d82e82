// The public survey page as a respondent's browser gets it (issue #14), on SQLite and
// PostgreSQL: sections by indicator, numbered questions, a labelled group per answer unit, no
// browser validation (Thai only), a form sent with unanswered questions answered with their
// numbers linking to them, and the one script the survey pages alone may run.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "support/synthetic.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using testing::HttpResponse;
using testing::json;

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string header_of(const HttpResponse& r, const std::string& name) {
  const auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

class SurveyPage : public testing::AppFixture {
 protected:
  // The survey path (/s/{token}) of `tool` ("iit", "eit") of a new round on edition 2564.
  std::string open_round(const char* tool) {
    const auto a = api("POST", "/api/v1/agencies", {{"name", "หน่วยงานทดสอบ"}}, admin_);
    const json body = {{"agency_id", json::parse(a.body)["id"]},
                       {"edition", "2564"},
                       {"staff_count", 100},
                       {"service_users", 500}};
    const auto r = api("POST", "/api/v1/rounds", body, admin_);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string link = json::parse(r.body)["links"][tool];
    return link.substr(link.find("/s/"));
  }

  const Edition& edition() { return editions_.get("2564"); }

  // A complete set of answers of `tool` ("IIT", "EIT").
  std::map<std::string, std::string> answers(const std::string& tool) {
    std::map<std::string, std::string> out;
    for (const auto& row : testing::make_agency(testing::edition_path("2564"), 5, 1, 1).rows) {
      if (row.tool == tool) out[row.item] = row.answer;
    }
    return out;
  }

  // The form at `path` sent with `given`, as a browser that opened it.
  HttpResponse send(const std::string& path, const std::map<std::string, std::string>& given) {
    const auto page = raw("GET", path, "", {});
    const std::string cookie = testing::cookie_from(page, "ita_csrf");
    const std::string key = "name=\"form_token\" value=\"";
    const auto at = page.body.find(key) + key.size();
    std::string body = "csrf=" + cookie.substr(cookie.find('=') + 1) + "&form_token=" +
                       url_encode(page.body.substr(at, page.body.find('"', at) - at));
    for (const auto& [unit, option] : given)
      body += "&" + url_encode(unit) + "=" + url_encode(option);
    return raw("POST", path, body,
               {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}});
  }
};

TEST_P(SurveyPage, QuestionsComeInSectionsByIndicatorNumberedThroughTheForm) {
  for (const char* tool : {"iit", "eit"}) {
    const ToolId id = tool == std::string("iit") ? ToolId::IIT : ToolId::EIT;
    const auto& items = edition().questionnaire(id).items;
    std::vector<int> sections;  // the indicators, in the order the questions come
    std::size_t units = 0;
    for (const auto& item : items) {
      if (sections.empty() || sections.back() != item.indicator) sections.push_back(item.indicator);
      units += item.sub_items.size();
    }
    ASSERT_GT(sections.size(), 1U) << tool;
    const auto page = raw("GET", open_round(tool), "", {});
    ASSERT_EQ(page.status, 200);
    const std::string of = " จาก " + std::to_string(sections.size()) + "</span> ";
    for (std::size_t s = 0; s < sections.size(); ++s) {
      const std::string heading = "ส่วนที่ " + std::to_string(s + 1) + of +
                                  edition().find_indicator(sections[s])->name_th + "</h2>";
      EXPECT_EQ(count_of(page.body, heading), 1U) << tool << " " << heading;
    }
    EXPECT_EQ(count_of(page.body, "class=\"part-no\""), sections.size()) << tool;
    const std::string total = " จาก " + std::to_string(items.size()) + "</span>";
    for (std::size_t n = 1; n <= items.size(); ++n) {
      EXPECT_EQ(count_of(page.body, "id=\"q" + std::to_string(n) + "\""), 1U) << tool << n;
      EXPECT_EQ(count_of(page.body, ">ข้อ " + std::to_string(n) + total), 1U) << tool << n;
    }
    EXPECT_EQ(count_of(page.body, "class=\"q-no\""), items.size()) << tool;
    // One labelled group per answer unit, each label an element of the page.
    EXPECT_EQ(count_of(page.body, "role=\"radiogroup\""), units) << tool;
    const std::regex labelled("role=\"radiogroup\" aria-labelledby=\"([^\"]+)\"");
    std::set<std::string> labels;
    for (std::sregex_iterator it(page.body.begin(), page.body.end(), labelled), end; it != end;
         ++it) {
      EXPECT_EQ(count_of(page.body, "id=\"" + (*it)[1].str() + "\""), 1U) << (*it)[1];
      labels.insert((*it)[1]);
    }
    EXPECT_EQ(labels.size(), units) << "each unit has a label of its own";
    // No browser validation (its bubble is in the browser's language), the script is the page's.
    EXPECT_EQ(page.body.find(" required"), std::string::npos) << tool;
    EXPECT_NE(page.body.find(" novalidate"), std::string::npos) << tool;
  }
}

TEST_P(SurveyPage, UnansweredQuestionsAreListedByNumberEachLinkingToItsQuestion) {
  const std::string path = open_round("iit");
  const auto& items = edition().iit.items;
  auto given = answers("IIT");
  ASSERT_GE(items.size(), 17U);
  for (std::size_t n : {3U, 12U, 17U}) {
    for (const auto& sub : items[n - 1].sub_items) given.erase(sub.code);
  }
  given[items[19].sub_items.back().code] = "no-such-option";
  const auto r = send(path, given);
  ASSERT_EQ(r.status, 422) << r.body.substr(0, 400);
  EXPECT_NE(r.body.find("ยังไม่ได้ตอบข้อ <a href=\"#q3\">3</a>, <a href=\"#q12\">12</a>, "
                        "<a href=\"#q17\">17</a></li>"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("คำตอบไม่อยู่ในตัวเลือกของข้อ <a href=\"#q20\">20</a></li>"), std::string::npos);
  // The summary is announced, and the browser lands on it (the form's address ends in #msg).
  EXPECT_NE(r.body.find("class=\"errors\" id=\"msg\" role=\"alert\" tabindex=\"-1\">"),
            std::string::npos);
  EXPECT_NE(r.body.find("action=\"" + path + "#msg\""), std::string::npos);
  for (const char* q : {"q3", "q12", "q17", "q20"})
    EXPECT_NE(r.body.find("class=\"q missing\" id=\"" + std::string(q) + "\""), std::string::npos)
        << q;
  EXPECT_EQ(count_of(r.body, "class=\"q missing\""), 4U);
  EXPECT_EQ(count_of(r.body, " checked"), given.size() - 1) << "the valid answers stay chosen";

  // A complete form has no summary shown, and goes to the thank-you page.
  const auto fresh = raw("GET", path, "", {});
  EXPECT_NE(fresh.body.find("id=\"msg\" role=\"alert\" tabindex=\"-1\" hidden>"),
            std::string::npos);
  EXPECT_EQ(send(path, answers("IIT")).status, 303);
}

TEST_P(SurveyPage, OnlyTheSurveyPagesRunAScriptAndOnlyTheirOwn) {
  const std::string path = open_round("eit");
  const auto form = raw("GET", path, "", {});
  const auto thanks = raw("GET", path + "/thanks", "", {});
  const auto sent_wrong = send(path, {});
  for (const auto* page : {&form, &thanks, &sent_wrong}) {
    const std::string csp = header_of(*page, "content-security-policy");
    const auto at = csp.find("script-src ");
    ASSERT_NE(at, std::string::npos) << csp;
    EXPECT_EQ(csp.substr(at, csp.find(';', at) - at), "script-src 'self'")
        << "its own origin, no inline script: " << csp;
    EXPECT_EQ(count_of(page->body, "<script"), 1U);
    EXPECT_EQ(count_of(page->body, "<script src=\"/static/survey.js\" defer></script>"), 1U);
  }
  EXPECT_NE(thanks.body.find("data-survey-done=\"" + path.substr(3) + "\""), std::string::npos)
      << "the thank-you page tells the script which kept answers to forget";
  const auto script = raw("GET", "/static/survey.js", "", {});
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(header_of(script, "content-type"), "text/javascript; charset=utf-8");
  EXPECT_NE(script.body.find("localStorage"), std::string::npos);
  EXPECT_EQ(script.body.find("fetch("), std::string::npos) << "it sends nothing";
  EXPECT_EQ(script.body.find("XMLHttpRequest"), std::string::npos) << "it sends nothing";
  // Every other page keeps script-src 'none', public or not.
  for (const char* other : {"/login", "/s/0123456789abcdef", "/dashboard", "/"}) {
    const auto r = raw("GET", other, "", {});
    if (!header_of(r, "content-type").starts_with("text/html")) continue;
    EXPECT_NE(header_of(r, "content-security-policy").find("script-src 'none'"), std::string::npos)
        << other;
  }
  EXPECT_EQ(raw("GET", "/login", "", {}).body.find("<script"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, SurveyPage, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
