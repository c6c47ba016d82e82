// No differencing (README; service/release.hpp) over HTTP, against SQLite and PostgreSQL. The
// attack: an officer or a viewer downloads what a round shows, waits for one submission and
// downloads again; the difference would be that respondent's answers. While the round is open its
// raw answers are refused (409), and every figure (result page, API, exports, measures document,
// dashboard) is its last release, unchanged until IIT and EIT each have --min-respondents more
// respondents, and marked provisional. Once closed, the answers download and the figures are
// final.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "core/rounding.hpp"
#include "core/scoring.hpp"
#include "core/thai.hpp"
#include "io/answers_csv.hpp"
#include "io/result_json.hpp"
#include "service/calendar.hpp"
#include "service/rounds.hpp"
#include "support/synthetic.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::Browser;
using testing::HttpResponse;

constexpr const char* kWaitForClose = "ดาวน์โหลดคำตอบรายบุคคลได้เมื่อปิดรอบการประเมินแล้ว";
constexpr const char* kProvisional = "ผลเบื้องต้น: รอบการประเมินยังเปิดอยู่ ตัวเลขอาจเปลี่ยนแปลง";

class Release : public testing::AppFixture {
 protected:
  AppOptions options() const override {
    AppOptions o{"http://127.0.0.1:1"};
    o.db_url = db_.url;  // the dashboard reads the same database
    o.dashboard_refresh_seconds = 0;
    o.dashboard_min_group = 1;  // this test's one agency is shown
    // min_respondents stays the default, 5.
    return o;
  }

  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    const auto agency =
        store_->create_agency({0, "เทศบาลตำบลต่างกัน", "เมือง", "น่าน", "เทศบาลตำบล"}, std::nullopt);
    const auto officer = add_user("officer@test", store::Role::Officer, agency.id);
    officer_ = browser(officer);
    viewer_ = token_for(add_user("viewer@test", store::Role::Viewer, agency.id));
    store::Round r;
    r.agency_id = agency.id;
    r.edition_id = "2564";
    r.staff_count = 40;
    r.service_users = 400;
    r.iit_token = random_token(12);
    r.eit_token = random_token(12);
    round_ = store_->create_round(r, officer.id).id;
    data_ = testing::make_agency(testing::edition_path("2564"), 31, 12, 12);
    for (const auto& row : data_.rows) {
      if (row.tool == "OIT") continue;
      auto& list = row.tool == "IIT" ? iit_ : eit_;
      if (list.empty() || list.back().first != row.respondent) list.push_back({row.respondent, {}});
      list.back().second[row.item] = row.answer;
    }
  }

  // The next `n` respondents of `tool` submit.
  void answer(ToolId tool, std::size_t n) {
    auto& list = tool == ToolId::IIT ? iit_ : eit_;
    std::size_t& sent = tool == ToolId::IIT ? iit_sent_ : eit_sent_;
    for (std::size_t k = 0; k < n; ++k, ++sent) {
      store::NewResponse r;
      r.round_id = round_;
      r.tool = tool;
      r.day = service::today_in_thailand();
      r.answers = list.at(sent).second;
      store_->submit_response(r);
    }
  }

  void judge() {
    for (const auto& row : data_.rows) {
      if (row.tool != "OIT") continue;
      store_->put_oit_evidence(round_, row.item, "https://nan.example/" + row.item, "",
                               admin_user_.id);
      store_->review_oit(round_, row.item, row.answer == "pass", "", admin_user_.id);
    }
  }

  // `ita score` of the first `iit` and `eit` respondents with the verdicts.
  json scored(std::size_t iit, std::size_t eit) const {
    const Edition& e = editions_.get("2564");
    AnswerTally tally(e);
    for (std::size_t k = 0; k < iit; ++k) {
      for (const auto& [unit, option] : iit_[k].second)
        tally.add(ToolId::IIT, iit_[k].first, unit, option);
    }
    for (std::size_t k = 0; k < eit; ++k) {
      for (const auto& [unit, option] : eit_[k].second)
        tally.add(ToolId::EIT, eit_[k].first, unit, option);
    }
    for (const auto& row : data_.rows) {
      if (row.tool == "OIT") tally.add_oit(row.item, row.answer == "pass");
    }
    return io::result_json(e, score(e, tally));
  }

  std::string url(const std::string& tail) const {
    return "/rounds/" + std::to_string(round_) + tail;
  }
  HttpResponse as_viewer(const std::string& target, bool json_client = false) {
    std::map<std::string, std::string> h{{"Authorization", "Bearer " + viewer_}};
    if (json_client) h["Accept"] = "application/json";
    return raw("GET", target, "", h);
  }
  json result() {
    const auto r = as_viewer("/api/v1" + url("/result"));
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }
  // The dashboard row of the round ("" when it shows none).
  std::string dashboard_total() {
    const auto r = raw("GET", "/api/v1/dashboard", "", {{"Authorization", "Bearer " + admin_}});
    if (r.status != 200) return "status " + std::to_string(r.status);
    const json d = json::parse(r.body);
    for (const auto& row : d["rows"]) {
      if (row["round_id"] == round_) return row["scores"]["total"];
    }
    return "";
  }

  std::int64_t round_ = 0;
  Browser officer_;
  std::string viewer_;
  testing::SyntheticAgency data_;
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> iit_, eit_;
  std::size_t iit_sent_ = 0, eit_sent_ = 0;
};

std::string two_decimals(const json& v) {
  return format2(round2(v.get<double>()));
}

// The "provisional" column of each data row of a results or items CSV.
std::vector<std::string> provisional_column(const std::string& csv) {
  std::istringstream in(csv.starts_with("\xEF\xBB\xBF") ? csv.substr(3) : csv);
  std::string line;
  std::vector<std::string> out;
  std::ptrdiff_t column = -1;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto fields = io::split_csv_line(line);
    if (!fields) continue;
    if (column < 0) {
      column = std::find(fields->begin(), fields->end(), "provisional") - fields->begin();
    } else if (column < static_cast<std::ptrdiff_t>(fields->size())) {
      out.push_back((*fields)[static_cast<std::size_t>(column)]);
    }
  }
  return out;
}

TEST_P(Release, DownloadSubmitDownloadShowsNothingUntilTheMinimumMoreAnswer) {
  answer(ToolId::IIT, 5);
  answer(ToolId::EIT, 5);
  judge();

  // The raw answers of an open round: refused to pages and JSON clients alike.
  const auto page_answers = get(url("/export/answers.csv"), officer_);
  EXPECT_EQ(page_answers.status, 409);
  EXPECT_NE(page_answers.body.find(kWaitForClose), std::string::npos) << page_answers.body;
  EXPECT_EQ(page_answers.body.find("tool,respondent"), std::string::npos);
  const auto api_answers = as_viewer(url("/export/answers.csv"), true);
  EXPECT_EQ(api_answers.status, 409);
  EXPECT_EQ(json::parse(api_answers.body)["error"]["message"], kWaitForClose);

  // The first release: the 5 and 5 respondents, marked provisional everywhere.
  const json first = result();
  EXPECT_EQ(first["provisional"], true);
  EXPECT_EQ(first["released_respondents"], (json{{"IIT", 5}, {"EIT", 5}}));
  EXPECT_EQ(first["released_on"], service::today_in_thailand());
  EXPECT_NEAR(first["total_exact"].get<double>(), scored(5, 5)["total_exact"].get<double>(), 1e-9);
  const auto items = as_viewer(url("/export/items.csv"));
  const auto results = as_viewer(url("/export/results.csv"));
  ASSERT_EQ(items.status, 200);
  ASSERT_EQ(results.status, 200);
  EXPECT_EQ(provisional_column(results.body), std::vector<std::string>{"1"});
  const auto item_marks = provisional_column(items.body);
  EXPECT_FALSE(item_marks.empty());
  EXPECT_EQ(std::count(item_marks.begin(), item_marks.end(), "1"),
            static_cast<std::ptrdiff_t>(item_marks.size()));
  const auto page = get(url("/result"), officer_);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find(std::string(kProvisional) +
                           " (คำนวณจากผู้ตอบแบบวัด IIT 5 คน และ EIT 5 คน ณ วันที่ " +
                           format_thai_date(service::thai_today()) + ")"),
            std::string::npos);
  EXPECT_EQ(page.body.find(url("/export/answers.csv")), std::string::npos) << "no link to a 409";
  EXPECT_NE(page.body.find(kWaitForClose), std::string::npos);
  EXPECT_NE(get(url(""), officer_).body.find(kProvisional), std::string::npos) << "the round page";
  const auto document = get(url("/report/measures.html"), officer_);
  ASSERT_EQ(document.status, 200);
  EXPECT_NE(document.body.find(kProvisional), std::string::npos);
  EXPECT_EQ(dashboard_total(), two_decimals(first["total"]));

  // One more respondent of each tool: nothing anyone can download changes.
  answer(ToolId::IIT, 1);
  answer(ToolId::EIT, 1);
  ASSERT_NE(scored(6, 6)["total_exact"], scored(5, 5)["total_exact"]);
  EXPECT_EQ(result(), first);
  EXPECT_EQ(as_viewer(url("/export/items.csv")).body, items.body);
  EXPECT_EQ(as_viewer(url("/export/results.csv")).body, results.body);
  EXPECT_EQ(get(url("/result"), officer_).body, page.body);
  EXPECT_EQ(dashboard_total(), two_decimals(first["total"]));
  EXPECT_EQ(get(url("/export/answers.csv"), officer_).status, 409);

  answer(ToolId::IIT, 4);  // IIT 10, EIT 6: EIT has 1 more only
  EXPECT_EQ(result(), first);

  answer(ToolId::EIT, 4);  // 10 and 10: 5 more of each, a new release
  const json second = result();
  EXPECT_EQ(second["released_respondents"], (json{{"IIT", 10}, {"EIT", 10}}));
  EXPECT_NEAR(second["total_exact"].get<double>(), scored(10, 10)["total_exact"].get<double>(),
              1e-9);
  EXPECT_NE(as_viewer(url("/export/items.csv")).body, items.body);

  // Closed: the answers download, the figures are final and no longer provisional.
  answer(ToolId::IIT, 2);
  service::close_round(*store_, round_, std::nullopt, service::thai_today());
  const auto answers = get(url("/export/answers.csv"), officer_);
  ASSERT_EQ(answers.status, 200) << answers.body;
  EXPECT_NE(answers.body.find("tool,respondent,item,answer"), std::string::npos);
  const json final_ = result();
  EXPECT_EQ(final_["provisional"], false);
  EXPECT_FALSE(final_.contains("released_respondents"));
  EXPECT_EQ(final_["respondents"], (json{{"EIT", 10}, {"IIT", 12}}));
  EXPECT_NEAR(final_["total_exact"].get<double>(), scored(12, 10)["total_exact"].get<double>(),
              1e-9);
  const auto final_page = get(url("/result"), officer_);
  EXPECT_EQ(final_page.body.find("ผลเบื้องต้น"), std::string::npos);
  EXPECT_NE(final_page.body.find(url("/export/answers.csv")), std::string::npos);
  EXPECT_EQ(get(url(""), officer_).body.find("ผลเบื้องต้น"), std::string::npos);
  EXPECT_EQ(get(url("/report/measures.html"), officer_).body.find("ผลเบื้องต้น"), std::string::npos);
  EXPECT_EQ(provisional_column(as_viewer(url("/export/results.csv")).body),
            std::vector<std::string>{"0"});
  EXPECT_EQ(dashboard_total(), two_decimals(final_["total"]));
}

// Below the minimum nothing is released at all: one respondent's answers would be the figures.
TEST_P(Release, BelowTheMinimumAnOpenRoundShowsNoFigures) {
  answer(ToolId::IIT, 2);
  answer(ToolId::EIT, 7);
  judge();
  const auto api = as_viewer("/api/v1" + url("/result"));
  EXPECT_EQ(api.status, 409);
  EXPECT_NE(api.body.find("IIT 2"), std::string::npos) << api.body;
  EXPECT_EQ(as_viewer(url("/export/items.csv"), true).status, 409);
  EXPECT_EQ(get(url("/report/measures.pdf"), officer_).status, 409);
  const auto page = get(url("/result"), officer_);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("อย่างน้อยแบบละ 5 คน"), std::string::npos);
  EXPECT_EQ(dashboard_total(), "");
  EXPECT_FALSE(store_->result_release(round_));
}

INSTANTIATE_TEST_SUITE_P(Backends, Release, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
