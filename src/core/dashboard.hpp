#pragma once
// The national dashboard as values: distributions of totals and levels, groups by province and
// agency type, a sortable agency table and the year-over-year trend, with groups smaller than
// a minimum count suppressed. Pure: the web layer feeds it scored rounds and renders the result.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/edition.hpp"
#include "core/rounding.hpp"

namespace ita::dashboard {

// One agency's scored round of a fiscal year.
struct AgencyScore {
  std::int64_t round_id = 0;
  std::int64_t agency_id = 0;
  std::string name;
  std::string province;
  std::string type;
  int fiscal_year = 0;
  std::array<Rounded, 3> tools{};  // IIT, EIT, OIT
  Rounded total;
  std::string level_code;
  std::string level_th;
  std::size_t level_index = 0;  // position of the level in the edition's grade rules
  std::size_t national_rank = 0;
  std::size_t province_rank = 0;
};

// Keeps one round per agency and fiscal year (the latest round id) and fills the ranks within
// each fiscal year: 1 = highest total, equal totals by ascending agency id.
std::vector<AgencyScore> latest_per_agency_and_year(std::vector<AgencyScore> rows);

enum class SortKey { Name, Province, Type, Iit, Eit, Oit, Total, Level, Rank };
inline constexpr SortKey kSortKeys[] = {SortKey::Name,  SortKey::Province, SortKey::Type,
                                        SortKey::Iit,   SortKey::Eit,      SortKey::Oit,
                                        SortKey::Total, SortKey::Level,    SortKey::Rank};
std::optional<SortKey> parse_sort_key(std::string_view code);
std::string_view sort_key_code(SortKey k);
// Scores and levels read best-first (descending) by default, names and ranks ascending.
bool descending_by_default(SortKey k);

// Sorts by `key` (names by their UTF-8 bytes, which orders Thai consonants alphabetically;
// levels by the edition's grade rules, "descending" = the best level first); ties by national
// rank, then agency id, so every order is total and stable across requests.
void sort_rows(std::vector<AgencyScore>& rows, SortKey key, bool descending);

struct Filter {
  int fiscal_year = 0;
  std::string province;  // empty: all
  std::string type;      // empty: all
};

struct LevelCount {
  std::string code;
  std::string label_th;
  std::size_t count = 0;
  double percent = 0;
};

struct Bin {
  int from = 0;  // [from, to), the last bin [95, 100]
  int to = 0;
  std::size_t count = 0;
};

// A province or agency type. When `suppressed`, only `key` may be shown.
struct Group {
  std::string key;
  std::size_t count = 0;
  bool suppressed = false;
  Rounded mean_total;
  std::array<Rounded, 3> mean_tools{};
  std::vector<std::size_t> level_counts;  // per grade rule
};

struct TrendPoint {
  int fiscal_year = 0;
  std::size_t count = 0;
  bool suppressed = false;
  Rounded mean_total;
  std::array<Rounded, 3> mean_tools{};
};

struct Summary {
  Filter filter;
  std::size_t min_group = 0;
  std::size_t agencies = 0;  // scored agencies that pass the filter
  bool suppressed = false;   // fewer than min_group: no figure of the filtered set is shown
  Rounded mean_total;
  std::vector<Bin> histogram;      // 20 bins of 5 points
  std::vector<LevelCount> levels;  // in the order of the edition's grade rules
  std::vector<Group> provinces;    // of the fiscal year (type filter applied), by name
  std::vector<Group> types;        // of the fiscal year (province filter applied), by name
  std::vector<AgencyScore> rows;   // the filtered agencies, empty when suppressed
};

// The figures of `filter.fiscal_year` over `rows` (from latest_per_agency_and_year), graded
// with `rules`. Rows stay in rank order; sort them with sort_rows.
Summary summarize(const std::vector<AgencyScore>& rows, const std::vector<GradeRule>& rules,
                  const Filter& filter, std::size_t min_group);

// Mean totals per fiscal year (ascending) of the agencies passing the province/type filter.
std::vector<TrendPoint> trend(const std::vector<AgencyScore>& rows, const Filter& filter,
                              std::size_t min_group);

// The fiscal years present, ascending.
std::vector<int> fiscal_years(const std::vector<AgencyScore>& rows);

// The provinces and agency types that have scored agencies in `fiscal_year`, by name: the
// choices of the filters.
struct Choices {
  std::vector<std::string> provinces;
  std::vector<std::string> types;
};
Choices choices(const std::vector<AgencyScore>& rows, int fiscal_year);

}  // namespace ita::dashboard
