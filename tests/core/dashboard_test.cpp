#include "core/dashboard.hpp"

#include <gtest/gtest.h>

namespace ita::dashboard {
namespace {

AgencyScore row(std::int64_t agency, int year, double total,
                const std::string& province = "เชียงราย", const std::string& type = "อบต.",
                std::int64_t round = 0) {
  AgencyScore r;
  r.agency_id = agency;
  r.round_id = round == 0 ? agency * 10 + year : round;
  r.name = "หน่วยงาน " + std::to_string(agency);
  r.province = province;
  r.type = type;
  r.fiscal_year = year;
  r.total = round2(total);
  r.tools = {round2(total), round2(total - 1), round2(total + 1)};
  r.level_index = total >= 85 ? 0 : 1;
  return r;
}

std::vector<GradeRule> rules() {
  GradeRule pass;
  pass.code = "pass";
  pass.label_th = "ผ่าน";
  pass.min_total = 85;
  GradeRule fail;
  fail.code = "fail";
  fail.label_th = "ไม่ผ่าน";
  return {pass, fail};
}

TEST(Dashboard, KeepsTheLatestRoundAndRanksWithinEachYear) {
  auto rows =
      latest_per_agency_and_year({row(1, 2566, 70, "a", "t", 5), row(1, 2566, 90, "a", "t", 9),
                                  row(2, 2566, 90), row(3, 2566, 80), row(1, 2567, 60)});
  ASSERT_EQ(rows.size(), 4U);
  // 2566: agencies 1 (90, its round 9) and 2 (90) tie → by agency id; then 3.
  EXPECT_EQ(rows[0].agency_id, 1);
  EXPECT_EQ(rows[0].round_id, 9);
  EXPECT_EQ(rows[0].national_rank, 1U);
  EXPECT_EQ(rows[1].agency_id, 2);
  EXPECT_EQ(rows[1].national_rank, 2U);
  EXPECT_EQ(rows[2].national_rank, 3U);
  EXPECT_EQ(rows[3].fiscal_year, 2567);
  EXPECT_EQ(rows[3].national_rank, 1U) << "ranks restart each year";
  EXPECT_EQ(rows[1].province_rank, 1U) << "agency 2 is first in its province";
}

TEST(Dashboard, SuppressionStartsBelowTheMinimum) {
  std::vector<AgencyScore> rows;
  for (int i = 1; i <= 5; ++i) rows.push_back(row(i, 2566, 80 + i, "ใหญ่"));
  for (int i = 6; i <= 9; ++i) rows.push_back(row(i, 2566, 70 + i, "เล็ก"));
  rows = latest_per_agency_and_year(rows);
  const Summary s = summarize(rows, rules(), {2566, "", ""}, 5);
  ASSERT_EQ(s.provinces.size(), 2U);
  EXPECT_EQ(s.provinces[0].key, "เล็ก") << "by the UTF-8 bytes of the name";
  const Group& big_group = s.provinces[1];
  EXPECT_FALSE(big_group.suppressed) << "exactly the minimum is shown";
  EXPECT_EQ(big_group.mean_total, round2(83));
  EXPECT_EQ(big_group.level_counts, (std::vector<std::size_t>{1, 4}));
  EXPECT_TRUE(s.provinces[0].suppressed) << "one below is withheld";
  EXPECT_TRUE(s.provinces[0].level_counts.empty());
  EXPECT_EQ(s.provinces[0].mean_total, Rounded{});

  const Summary small = summarize(rows, rules(), {2566, "เล็ก", ""}, 5);
  EXPECT_TRUE(small.suppressed);
  EXPECT_TRUE(small.rows.empty());
  EXPECT_TRUE(small.histogram.empty());
  const Summary big = summarize(rows, rules(), {2566, "ใหญ่", ""}, 5);
  EXPECT_FALSE(big.suppressed);
  EXPECT_EQ(big.rows.size(), 5U);
}

TEST(Dashboard, HistogramBinsAndLevelShares) {
  auto rows =
      latest_per_agency_and_year({row(1, 2566, 0), row(2, 2566, 4.99), row(3, 2566, 5),
                                  row(4, 2566, 94.99), row(5, 2566, 95), row(6, 2566, 100)});
  const Summary s = summarize(rows, rules(), {2566, "", ""}, 1);
  ASSERT_EQ(s.histogram.size(), 20U);
  EXPECT_EQ(s.histogram[0].count, 2U);
  EXPECT_EQ(s.histogram[1].count, 1U);
  EXPECT_EQ(s.histogram[18].count, 1U);
  EXPECT_EQ(s.histogram[19].count, 2U) << "100 falls in the last bin";
  ASSERT_EQ(s.levels.size(), 2U);
  EXPECT_EQ(s.levels[0].count, 3U);
  EXPECT_DOUBLE_EQ(s.levels[0].percent, 50.0);
}

TEST(Dashboard, SortingIsTotalAndStable) {
  auto rows = latest_per_agency_and_year(
      {row(3, 2566, 80, "ข"), row(1, 2566, 90, "ก"), row(2, 2566, 80, "ก")});
  sort_rows(rows, SortKey::Total, false);
  EXPECT_EQ(rows[0].agency_id, 2) << "equal totals by rank";
  EXPECT_EQ(rows[1].agency_id, 3);
  EXPECT_EQ(rows[2].agency_id, 1);
  sort_rows(rows, SortKey::Province, true);
  EXPECT_EQ(rows[0].agency_id, 3);
  EXPECT_EQ(rows[1].agency_id, 1);
  sort_rows(rows, SortKey::Rank, false);
  EXPECT_EQ(rows[0].agency_id, 1);
  EXPECT_EQ(parse_sort_key("eit"), SortKey::Eit);
  EXPECT_FALSE(parse_sort_key("EIT"));
  for (SortKey k : kSortKeys) EXPECT_EQ(parse_sort_key(sort_key_code(k)), k);
  EXPECT_FALSE(parse_sort_key(""));
}

TEST(Dashboard, SortsByLevelBestFirstThenByRank) {
  // Level index 0 (≥ 85) is the better level; within a level the national rank decides.
  auto rows = latest_per_agency_and_year(
      {row(1, 2566, 84), row(2, 2566, 86), row(3, 2566, 90), row(4, 2566, 60), row(5, 2566, 86)});
  sort_rows(rows, SortKey::Level, true);
  std::vector<std::int64_t> order;
  for (const auto& r : rows) order.push_back(r.agency_id);
  EXPECT_EQ(order, (std::vector<std::int64_t>{3, 2, 5, 1, 4}));
  sort_rows(rows, SortKey::Level, false);
  order.clear();
  for (const auto& r : rows) order.push_back(r.agency_id);
  EXPECT_EQ(order, (std::vector<std::int64_t>{1, 4, 3, 2, 5})) << "worst level first, ties by rank";
  EXPECT_TRUE(descending_by_default(SortKey::Level));
  EXPECT_TRUE(descending_by_default(SortKey::Total));
  EXPECT_FALSE(descending_by_default(SortKey::Rank));
  EXPECT_FALSE(descending_by_default(SortKey::Name));
}

TEST(Dashboard, FilterChoicesAreTheYearsProvincesAndTypes) {
  const auto rows =
      latest_per_agency_and_year({row(1, 2566, 80, "ข", "อบต."), row(2, 2566, 80, "ก", "กรม"),
                                  row(3, 2566, 80, "ก", "อบต."), row(4, 2567, 80, "ค", "อบจ.")});
  const Choices c = choices(rows, 2566);
  EXPECT_EQ(c.provinces, (std::vector<std::string>{"ก", "ข"}));
  EXPECT_EQ(c.types, (std::vector<std::string>{"กรม", "อบต."}));
  EXPECT_TRUE(choices(rows, 2599).provinces.empty());
}

TEST(Dashboard, TrendPerYearWithTheFilter) {
  std::vector<AgencyScore> rows;
  for (int i = 1; i <= 3; ++i) {
    rows.push_back(row(i, 2566, 80, "ก"));
    rows.push_back(row(i, 2567, 90, "ก"));
  }
  rows.push_back(row(9, 2567, 10, "ข"));
  rows = latest_per_agency_and_year(rows);
  const auto all = trend(rows, {2567, "", ""}, 3);
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].fiscal_year, 2566);
  EXPECT_EQ(all[0].mean_total, round2(80));
  EXPECT_EQ(all[1].count, 4U);
  EXPECT_EQ(all[1].mean_total, round2(70));
  const auto only_b = trend(rows, {2567, "ข", ""}, 3);
  ASSERT_EQ(only_b.size(), 1U);
  EXPECT_TRUE(only_b[0].suppressed);
  EXPECT_EQ(fiscal_years(rows), (std::vector<int>{2566, 2567}));
}

}  // namespace
}  // namespace ita::dashboard
