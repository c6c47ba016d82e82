// service/listing.hpp: the API's lists of agencies and rounds (filters, pages by id, the query's
// parameters), on a real store of each backend.
#include "service/listing.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "service/calendar.hpp"
#include "service/errors.hpp"
#include "service/rounds.hpp"

namespace ita::testing {
namespace {

namespace chr = std::chrono;
using Query = std::map<std::string, std::string>;

class ListingTest : public ServiceTest {
 protected:
  store::Agency add_agency(const std::string& name, const std::string& province) {
    return store_->create_agency({0, name, "", province, ""}, admin_.id);
  }
  store::Round open_round(std::int64_t agency, const char* edition) {
    service::NewRound r;
    r.agency_id = agency;
    r.edition = edition;
    r.staff_count = 10;
    r.service_users = 100;
    r.practice = true;  // editions with incomplete lists take practice rounds only
    return service::create_round(*store_, *catalog_, r, admin_.id, today_);
  }
  template <typename T>
  static std::vector<std::int64_t> ids(const service::Page<T>& page) {
    std::vector<std::int64_t> out;
    for (const auto& x : page.items) out.push_back(x.id);
    return out;
  }
  // The message of the Invalid that `fn` throws ("" when it throws none).
  template <typename Fn>
  static std::string invalid(Fn fn) {
    try {
      fn();
    } catch (const service::Invalid& e) {
      return e.what();
    }
    return "";
  }

  chr::year_month_day today_ = service::thai_today();
};

TEST_P(ListingTest, PagesFollowEachOtherByIdAndCountEveryMatch) {
  std::vector<std::int64_t> all = {agency_.id};
  for (int i = 0; i < 4; ++i) all.push_back(add_agency("หน่วยงาน " + std::to_string(i), "น่าน").id);
  const service::AgencyFilter none;
  const auto first = service::list_agencies(*store_, none, service::page_request({{"limit", "2"}}));
  EXPECT_EQ(ids(first), (std::vector<std::int64_t>{all[0], all[1]}));
  EXPECT_EQ(first.total, 5u);
  ASSERT_TRUE(first.next);
  const auto second = service::list_agencies(
      *store_, none, service::page_request({{"limit", "2"}, {"cursor", *first.next}}));
  EXPECT_EQ(ids(second), (std::vector<std::int64_t>{all[2], all[3]}));
  ASSERT_TRUE(second.next);
  // An agency added meanwhile comes last, so the pages neither repeat nor skip one.
  all.push_back(add_agency("หน่วยงานใหม่", "น่าน").id);
  const auto third = service::list_agencies(
      *store_, none, service::page_request({{"limit", "2"}, {"cursor", *second.next}}));
  EXPECT_EQ(ids(third), (std::vector<std::int64_t>{all[4], all[5]}));
  EXPECT_FALSE(third.next);
  EXPECT_EQ(third.total, 6u);
}

TEST_P(ListingTest, AgenciesAreFilteredByProvinceNamePartAndTheCallersAgency) {
  const auto a = add_agency("Nan Hospital", "น่าน");
  const auto b = add_agency("โรงพยาบาลเชียงราย", "เชียงราย");
  const auto c = add_agency("เทศบาลเมืองเชียงราย", "เชียงราย");
  auto list = [&](const Query& q, std::optional<std::int64_t> only = std::nullopt) {
    service::AgencyFilter f = service::agency_filter(q);
    f.only = only;
    return ids(service::list_agencies(*store_, f, service::page_request(q)));
  };
  EXPECT_EQ(list({{"province", "เชียงราย"}}), (std::vector<std::int64_t>{b.id, c.id}));
  EXPECT_EQ(list({{"q", "เชียงราย"}}), (std::vector<std::int64_t>{b.id, c.id}));
  EXPECT_EQ(list({{"q", "โรงพยาบาล"}, {"province", "เชียงราย"}}), (std::vector<std::int64_t>{b.id}));
  EXPECT_EQ(list({{"q", "nan hosp"}}), (std::vector<std::int64_t>{a.id}));
  EXPECT_EQ(list({}, c.id), (std::vector<std::int64_t>{c.id}));
  EXPECT_EQ(list({{"province", "น่าน"}}, c.id), (std::vector<std::int64_t>{}));
}

TEST_P(ListingTest, RoundsAreFilteredByAgencyFiscalYearAndStatusToday) {
  const auto other = add_agency("อื่น", "น่าน");
  const auto r1 = open_round(agency_.id, "2564");
  const auto r2 = open_round(agency_.id, "2566");
  const auto r3 = open_round(other.id, "2566");
  service::close_round(*store_, r2.id, admin_.id, today_);
  auto list = [&](const Query& q, std::optional<std::int64_t> only = std::nullopt) {
    service::RoundFilter f = service::round_filter(q);
    f.only = only;
    return ids(service::list_rounds(*store_, *catalog_, f, service::page_request(q), today_));
  };
  using Ids = std::vector<std::int64_t>;
  EXPECT_EQ(list({}), (Ids{r1.id, r2.id, r3.id}));
  EXPECT_EQ(list({{"agency_id", std::to_string(agency_.id)}}), (Ids{r1.id, r2.id}));
  EXPECT_EQ(list({{"fiscal_year", std::to_string(edition("2566").fiscal_year)}}),
            (Ids{r2.id, r3.id}));
  EXPECT_EQ(list({{"status", "closed"}}), (Ids{r2.id}));
  EXPECT_EQ(list({{"status", "open"}}), (Ids{r1.id, r3.id}));
  // A caller limited to one agency sees its rounds only, and none of another's it asks for.
  EXPECT_EQ(list({}, other.id), (Ids{r3.id}));
  EXPECT_EQ(list({{"agency_id", std::to_string(agency_.id)}}, other.id), (Ids{}));
}

TEST_P(ListingTest, ARoundPastItsClosingDateIsListedAsClosed) {
  service::NewRound r;
  r.agency_id = agency_.id;
  r.edition = "2564";
  r.staff_count = 10;
  r.service_users = 100;
  r.closes_at = today_;
  const auto round = service::create_round(*store_, *catalog_, r, admin_.id, today_);
  const auto tomorrow = chr::year_month_day{chr::sys_days(today_) + chr::days(1)};
  auto status = [&](const char* s, chr::year_month_day day) {
    return ids(
        service::list_rounds(*store_, *catalog_, service::round_filter({{"status", s}}), {}, day));
  };
  EXPECT_EQ(status("open", today_), (std::vector<std::int64_t>{round.id}));
  EXPECT_EQ(status("closed", tomorrow), (std::vector<std::int64_t>{round.id}));
  EXPECT_TRUE(status("open", tomorrow).empty());
}

TEST_P(ListingTest, UnknownParametersAndBadValuesAreRefusedNamingThem) {
  EXPECT_NE(invalid([] {
              service::agency_filter({{"sort", "name"}, {"page", "2"}});
            }).find("\"page\", \"sort\""),
            std::string::npos);
  EXPECT_NE(invalid([] {
              service::round_filter({{"province", "น่าน"}});
            }).find("\"province\""),
            std::string::npos);
  for (const Query& q : std::vector<Query>{{{"agency_id", "0"}},
                                           {{"agency_id", "abc"}},
                                           {{"fiscal_year", "2024"}},
                                           {{"status", "Open"}}}) {
    const std::string field = q.begin()->first;
    EXPECT_NE(invalid([&] { service::round_filter(q); }).find("\"" + field + "\""),
              std::string::npos)
        << field << "=" << q.begin()->second;
  }
  for (const Query& q : std::vector<Query>{{{"limit", "0"}},
                                           {{"limit", "501"}},
                                           {{"limit", "ten"}},
                                           {{"cursor", "-3"}},
                                           {{"cursor", "x1"}}}) {
    const std::string field = q.begin()->first;
    EXPECT_NE(invalid([&] { service::page_request(q); }).find("\"" + field + "\""),
              std::string::npos)
        << field << "=" << q.begin()->second;
  }
  EXPECT_NE(invalid([] { service::agency_filter({{"q", ""}}); }).find("\"q\""), std::string::npos);
  EXPECT_EQ(service::page_request({}).limit, service::kDefaultPageSize);
  EXPECT_EQ(service::page_request({{"limit", "500"}}).limit, 500u);
}

ITA_SERVICE_BACKENDS(ListingTest);

}  // namespace
}  // namespace ita::testing
