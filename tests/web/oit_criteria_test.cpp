// An OIT item's criteria (what its page must show, edition data) beside its evidence: on the
// round's OIT page and in the assessor's queue (web/oit.cpp, oit.mustache, oit_queue.mustache).
#include <gtest/gtest.h>

#include "web/app_fixture.hpp"
#include "web/http.hpp"

namespace ita::web {
namespace {

using nlohmann::json;

class OitCriteria : public testing::AppFixture {
 protected:
  // The <tr> holding `marker` (an item row's id="O…", or a queue row's link to "#O…"); "" if none.
  static std::string row_of(const std::string& html, const std::string& marker) {
    const auto at = html.find(marker);
    if (at == std::string::npos) return "";
    const auto start = html.rfind("<tr", at);
    return html.substr(start, html.find("</tr>", at) - start);
  }
};

TEST_P(OitCriteria, AnItemsCriteriaIsShownUnderItsNameOnItsPageAndInTheQueue) {
  const Edition& e = editions_.get("2567");
  const OitItem* with = e.find_oit_item("O2");
  ASSERT_NE(with, nullptr);
  ASSERT_FALSE(with->criteria_th.empty()) << "2567 O2 has criteria (editions/2567.json)";
  const OitItem* without = nullptr;
  for (const auto& item : e.oit.items) {
    if (item.criteria_th.empty()) without = &item;
  }
  ASSERT_NE(without, nullptr) << "an item no source details";

  const auto agency =
      store_->create_agency({0, "เทศบาลตำบลเกณฑ์", "เมือง", "ลำปาง", "เทศบาลตำบล"}, std::nullopt);
  const auto officer = add_user("officer@test", store::Role::Officer, agency.id);
  const auto assessor = add_user("assessor@test", store::Role::Assessor, std::nullopt);
  const auto opened = api("POST", "/api/v1/rounds",
                          {{"agency_id", agency.id},
                           {"edition", "2567"},
                           {"staff_count", 30},
                           {"service_users", 400},
                           {"access_codes", false},
                           {"practice", true}},  // 2567's IIT/EIT lists are partial
                          token_for(officer));
  ASSERT_EQ(opened.status, 201) << opened.body;
  const auto round = json::parse(opened.body)["id"].get<std::int64_t>();
  const std::string page = "/rounds/" + std::to_string(round) + "/oit";

  const std::string html = get(page, browser(officer)).body;
  const std::string row = row_of(html, "<tr id=\"O2\">");
  ASSERT_FALSE(row.empty()) << html.substr(0, 400);
  EXPECT_NE(row.find("<summary>เกณฑ์ของข้อนี้</summary><p>" + html_escape(with->criteria_th) + "</p>"),
            std::string::npos)
      << row;
  const std::string bare = row_of(html, "<tr id=\"" + without->code + "\">");
  ASSERT_FALSE(bare.empty());
  EXPECT_EQ(bare.find("เกณฑ์ของข้อนี้"), std::string::npos) << "no empty criteria box: " << bare;

  // The assessor sees the same criteria beside the item in the queue.
  const auto put = api("PUT", "/api/v1/rounds/" + std::to_string(round) + "/oit/O2",
                       {{"url", "https://a.example/o2"}}, token_for(officer));
  ASSERT_EQ(put.status, 200) << put.body;
  const std::string queue = get("/oit/queue", browser(assessor)).body;
  const std::string queued = row_of(queue, "href=\"" + page + "#O2\"");
  ASSERT_FALSE(queued.empty()) << queue.substr(0, 400);
  EXPECT_NE(queued.find(html_escape(with->criteria_th)), std::string::npos) << queued;

  // And the API says it with the item's state: null where no source gives criteria.
  const auto state =
      api("GET", "/api/v1/rounds/" + std::to_string(round) + "/oit", nullptr, token_for(assessor));
  ASSERT_EQ(state.status, 200) << state.body;
  bool seen = false;
  const json parsed = json::parse(state.body);
  for (const auto& item : parsed["items"]) {
    if (item["item"] == "O2") {
      EXPECT_EQ(item["criteria_th"], with->criteria_th);
    }
    if (item["item"] == without->code) {
      EXPECT_TRUE(item["criteria_th"].is_null());
    }
    seen = seen || item["item"] == "O2";
  }
  EXPECT_TRUE(seen) << state.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, OitCriteria, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
