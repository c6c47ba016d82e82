// service/oit_index.hpp (an agency's public OIT index) and the agency's website
// (service/agencies.hpp), on a real store of each backend.
#include "service/oit_index.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fixture.hpp"
#include "service/agencies.hpp"
#include "service/errors.hpp"
#include "service/oit.hpp"
#include "service/rounds.hpp"

namespace ita::testing {
namespace {

namespace chr = std::chrono;

constexpr chr::year_month_day kToday{chr::year{2026}, chr::month{12}, chr::day{3}};

class OitIndexTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped()) return;
    round_ = service::create_round(*store_, *catalog_, {agency_.id, "2564", 10, 100, false, false},
                                   admin_.id);
  }
  void evidence(const std::string& item, const std::string& urls) {
    service::take_oit_step(*store_, edition("2564"), round_, item, service::OitStep::Evidence,
                           {{"urls", urls}, {"note", "บันทึกภายใน"}}, admin_.id);
  }
  // A check of the round, finished at `finished_at` (unix seconds) with a result for `items`.
  void finished_check(std::int64_t finished_at, const std::vector<std::string>& items) {
    store::OitCheck c;
    c.id = store_->start_oit_check(round_.id, admin_.id, finished_at - 60);
    c.round_id = round_.id;
    c.by_user = admin_.id;
    for (const auto& item : items) c.results.push_back({item, Readiness::LikelyFine, "ดี", "", 200});
    store_->finish_oit_check(c, finished_at);
  }
  store::Round round_;
};

TEST_P(OitIndexTest, ListsEveryItemInEditionOrderWithItsUrlsAndNothingOfTheReview) {
  evidence("O2", "https://agency.example/o2\nhttps://agency.example/o2/annex");
  evidence("O1", "https://agency.example/o1");
  const OitIndex index = service::oit_index(*store_, *catalog_, agency_.id, 2564, kToday);
  EXPECT_EQ(index.agency_name, agency_.name);
  EXPECT_EQ(index.round_id, round_.id);
  EXPECT_EQ(index.edition, "2564");
  EXPECT_EQ(index.fiscal_year, 2564);
  const auto& items = edition("2564").oit.items;
  ASSERT_EQ(index.items.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(index.items[i].code, items[i].code);
    EXPECT_EQ(index.items[i].name_th, items[i].name_th);
  }
  EXPECT_EQ(index.items[0].urls, std::vector<std::string>{"https://agency.example/o1"});
  EXPECT_EQ(index.items[1].urls, (std::vector<std::string>{"https://agency.example/o2",
                                                           "https://agency.example/o2/annex"}));
  EXPECT_TRUE(index.items[2].urls.empty());
  EXPECT_FALSE(index.items[0].checked_on);
  const std::string json = service::oit_index_json(index);
  EXPECT_EQ(json.find("บันทึกภายใน"), std::string::npos) << "the note is not public";
}

TEST_P(OitIndexTest, TheCheckedDayIsTheNewestFinishedChecksDayInThailand) {
  evidence("O1", "https://agency.example/o1");
  finished_check(1764000000, {"O1", "O2"});  // 2025-11-24 16:00 UTC
  // 2025-12-02 20:00 UTC is 3 December in Thailand; it checked O1 only.
  finished_check(1764705600, {"O1"});
  store_->start_oit_check(round_.id, admin_.id, 1764800000);  // still running: passed over
  const OitIndex index = service::oit_index(*store_, *catalog_, agency_.id, 2564, kToday);
  const chr::year_month_day thai_day{chr::year{2025}, chr::month{12}, chr::day{3}};
  EXPECT_EQ(index.items[0].checked_on, thai_day);
  EXPECT_FALSE(index.items[1].checked_on) << "the newest check did not check O2";
  const auto j = nlohmann::json::parse(service::oit_index_json(index));
  EXPECT_EQ(j["items"][0]["checked_on"], "2025-12-03");
  EXPECT_TRUE(j["items"][1]["checked_on"].is_null());
}

TEST_P(OitIndexTest, OfSeveralRoundsOfTheYearTheNewestCountsAndPracticeRoundsNone) {
  const auto newer = service::create_round(*store_, *catalog_,
                                           {agency_.id, "2564", 10, 100, false, false}, admin_.id);
  service::create_round(*store_, *catalog_, {agency_.id, "2564", 10, 100, false, true},
                        admin_.id);  // a practice round, newer still
  EXPECT_EQ(service::oit_index(*store_, *catalog_, agency_.id, 2564, kToday).round_id, newer.id);
}

TEST_P(OitIndexTest, AnUnknownAgencyOrAYearWithoutARoundIsNotFound) {
  EXPECT_THROW(service::oit_index(*store_, *catalog_, agency_.id + 100, 2564, kToday),
               service::NotFound);
  EXPECT_THROW(service::oit_index(*store_, *catalog_, agency_.id, 2567, kToday), service::NotFound);
  EXPECT_THROW(service::oit_index_of_round(*store_, *catalog_, round_.id + 100, kToday),
               service::NotFound);
}

TEST_P(OitIndexTest, TheJsonHasTheVersionedFormat) {
  store_->set_agency_website(agency_.id, "https://www.agency.example", admin_.id);
  const auto j = nlohmann::json::parse(
      service::oit_index_json(service::oit_index_of_round(*store_, *catalog_, round_.id, kToday)));
  EXPECT_EQ(j["format"], "ita-oit-index/1");
  EXPECT_EQ(j["agency"]["id"], agency_.id);
  EXPECT_EQ(j["agency"]["website"], "https://www.agency.example");
  EXPECT_EQ(j["fiscal_year"], 2564);
  EXPECT_EQ(j["edition"], "2564");
  EXPECT_EQ(j["generated_at"], "2026-12-03");
  EXPECT_EQ(j["items"].size(), edition("2564").oit.items.size());
  EXPECT_EQ(j["items"][0]["urls"], nlohmann::json::array());
}

ITA_SERVICE_BACKENDS(OitIndexTest);

class AgencyWebsiteTest : public ServiceTest {};

TEST_P(AgencyWebsiteTest, IsSetTrimmedStoredAndAudited) {
  const auto a =
      service::set_agency_website(*store_, agency_.id, "  https://www.nan.example/ ", admin_.id);
  EXPECT_EQ(a.website, "https://www.nan.example/");
  EXPECT_EQ(store_->agency(agency_.id)->website, "https://www.nan.example/");
  const auto log = store_->audit_log(1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "agency.website");
  EXPECT_EQ(log[0].target, "agency:" + std::to_string(agency_.id));
  EXPECT_NE(log[0].detail.find("https://www.nan.example/"), std::string::npos);
  EXPECT_EQ(service::set_agency_website(*store_, agency_.id, "", admin_.id).website, "");
  EXPECT_EQ(store_->agency(agency_.id)->website, "");
}

TEST_P(AgencyWebsiteTest, AnAddressThatIsNotHttpIsRefusedNamingTheFieldAndNothingIsStored) {
  service::set_agency_website(*store_, agency_.id, "https://www.nan.example", admin_.id);
  const auto before = store_->audit_log(100).size();
  for (const char* bad : {"www.nan.example", "ftp://nan.example", "javascript:alert(1)",
                          "https://nan.example/a b", "https://"}) {
    try {
      service::set_agency_website(*store_, agency_.id, bad, admin_.id);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const service::Invalid& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with("เว็บไซต์ของหน่วยงาน")) << e.what();
    }
  }
  EXPECT_EQ(store_->agency(agency_.id)->website, "https://www.nan.example");
  EXPECT_EQ(store_->audit_log(100).size(), before);
  EXPECT_THROW(service::set_agency_website(*store_, agency_.id + 100, "", admin_.id),
               service::NotFound);
}

TEST_P(AgencyWebsiteTest, ANewAgencyKeepsItsCheckedWebsite) {
  store::Agency a{0, "อบต.เว็บ", "", "", "", "http://abt.example"};
  EXPECT_EQ(service::create_agency(*store_, a, admin_.id).website, "http://abt.example");
  EXPECT_EQ(store_->agencies().back().website, "http://abt.example");
  a.website = "abt.example";
  EXPECT_THROW(service::create_agency(*store_, a, admin_.id), service::Invalid);
  EXPECT_EQ(store_->agencies().size(), 2u);
}

ITA_SERVICE_BACKENDS(AgencyWebsiteTest);

}  // namespace
}  // namespace ita::testing
