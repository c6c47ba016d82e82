#include "core/dashboard.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace ita::dashboard {

namespace {

bool passes(const AgencyScore& r, const Filter& f) {
  return r.fiscal_year == f.fiscal_year && (f.province.empty() || r.province == f.province) &&
         (f.type.empty() || r.type == f.type);
}

// Means of the shown (rounded) figures, rounded again: what a reader can recompute from the table.
struct Sums {
  std::size_t count = 0;
  std::int64_t total = 0;
  std::array<std::int64_t, 3> tools{};

  void add(const AgencyScore& r) {
    ++count;
    total += r.total.hundredths;
    for (std::size_t t = 0; t < 3; ++t) tools[t] += r.tools[t].hundredths;
  }
  Rounded mean(std::int64_t sum) const {
    return count == 0 ? Rounded{}
                      : round2(static_cast<double>(sum) / 100.0 / static_cast<double>(count));
  }
};

std::vector<Group> groups(const std::vector<AgencyScore>& rows, const Filter& filter,
                          bool by_province, std::size_t rules, std::size_t min_group) {
  std::map<std::string, std::pair<Sums, std::vector<std::size_t>>> acc;
  for (const auto& r : rows) {
    if (r.fiscal_year != filter.fiscal_year) continue;
    if (by_province && !filter.type.empty() && r.type != filter.type) continue;
    if (!by_province && !filter.province.empty() && r.province != filter.province) continue;
    auto& [sums, levels] = acc[by_province ? r.province : r.type];
    if (levels.empty()) levels.assign(rules, 0);
    sums.add(r);
    if (r.level_index < rules) ++levels[r.level_index];
  }
  std::vector<Group> out;
  for (auto& [key, value] : acc) {
    auto& [sums, levels] = value;
    Group g;
    g.key = key;
    g.count = sums.count;
    g.suppressed = sums.count < min_group;
    if (!g.suppressed) {
      g.mean_total = sums.mean(sums.total);
      for (std::size_t t = 0; t < 3; ++t) g.mean_tools[t] = sums.mean(sums.tools[t]);
      g.level_counts = std::move(levels);
    }
    out.push_back(std::move(g));
  }
  return out;
}

void assign_ranks(std::vector<AgencyScore>& rows) {
  std::sort(rows.begin(), rows.end(), [](const AgencyScore& a, const AgencyScore& b) {
    return std::tie(a.fiscal_year, b.total, a.agency_id) <
           std::tie(b.fiscal_year, a.total, b.agency_id);
  });
  std::map<std::pair<int, std::string>, std::size_t> in_province;
  std::size_t national = 0;
  int year = 0;
  for (auto& r : rows) {
    if (r.fiscal_year != year) {
      year = r.fiscal_year;
      national = 0;
    }
    r.national_rank = ++national;
    r.province_rank = ++in_province[{r.fiscal_year, r.province}];
  }
}

}  // namespace

std::vector<AgencyScore> latest_per_agency_and_year(std::vector<AgencyScore> rows) {
  std::map<std::pair<std::int64_t, int>, std::size_t> latest;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto [it, fresh] = latest.try_emplace({rows[i].agency_id, rows[i].fiscal_year}, i);
    if (!fresh && rows[it->second].round_id < rows[i].round_id) it->second = i;
  }
  std::vector<AgencyScore> kept;
  kept.reserve(latest.size());
  for (const auto& [key, index] : latest) kept.push_back(std::move(rows[index]));
  assign_ranks(kept);
  return kept;
}

std::optional<SortKey> parse_sort_key(std::string_view code) {
  for (SortKey k : kSortKeys) {
    if (sort_key_code(k) == code) return k;
  }
  return std::nullopt;
}

std::string_view sort_key_code(SortKey k) {
  switch (k) {
    case SortKey::Name:
      return "name";
    case SortKey::Province:
      return "province";
    case SortKey::Type:
      return "type";
    case SortKey::Iit:
      return "iit";
    case SortKey::Eit:
      return "eit";
    case SortKey::Oit:
      return "oit";
    case SortKey::Total:
      return "total";
    case SortKey::Level:
      return "level";
    case SortKey::Rank:
      break;
  }
  return "rank";
}

bool descending_by_default(SortKey k) {
  return k != SortKey::Name && k != SortKey::Province && k != SortKey::Type && k != SortKey::Rank;
}

void sort_rows(std::vector<AgencyScore>& rows, SortKey key, bool descending) {
  auto primary = [key](const AgencyScore& a, const AgencyScore& b) -> int {
    auto cmp = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
    switch (key) {
      case SortKey::Name:
        return cmp(a.name, b.name);
      case SortKey::Province:
        return cmp(a.province, b.province);
      case SortKey::Type:
        return cmp(a.type, b.type);
      case SortKey::Iit:
        return cmp(a.tools[0], b.tools[0]);
      case SortKey::Eit:
        return cmp(a.tools[1], b.tools[1]);
      case SortKey::Oit:
        return cmp(a.tools[2], b.tools[2]);
      case SortKey::Total:
        return cmp(a.total, b.total);
      case SortKey::Level:  // rule 0 is the best level: a lower index sorts higher
        return cmp(b.level_index, a.level_index);
      case SortKey::Rank:
        break;
    }
    return cmp(a.national_rank, b.national_rank);
  };
  std::sort(rows.begin(), rows.end(), [&](const AgencyScore& a, const AgencyScore& b) {
    const int c = primary(a, b);
    if (c != 0) return descending ? c > 0 : c < 0;
    return std::tie(a.national_rank, a.agency_id) < std::tie(b.national_rank, b.agency_id);
  });
}

Summary summarize(const std::vector<AgencyScore>& rows, const std::vector<GradeRule>& rules,
                  const Filter& filter, std::size_t min_group) {
  Summary s;
  s.filter = filter;
  s.min_group = min_group;
  Sums sums;
  for (const auto& r : rows) {
    if (passes(r, filter)) {
      sums.add(r);
      s.rows.push_back(r);
    }
  }
  s.agencies = sums.count;
  s.suppressed = sums.count < min_group;
  s.provinces = groups(rows, filter, true, rules.size(), min_group);
  s.types = groups(rows, filter, false, rules.size(), min_group);
  if (s.suppressed) {
    s.rows.clear();
    return s;
  }
  s.mean_total = sums.mean(sums.total);
  for (int from = 0; from < 100; from += 5) s.histogram.push_back({from, from + 5, 0});
  for (const auto& rule : rules) s.levels.push_back({rule.code, rule.label_th, 0, 0});
  for (const auto& r : s.rows) {
    const auto bin = std::min<std::int64_t>(r.total.hundredths / 500, 19);
    ++s.histogram[static_cast<std::size_t>(std::max<std::int64_t>(bin, 0))].count;
    if (r.level_index < s.levels.size()) ++s.levels[r.level_index].count;
  }
  for (auto& l : s.levels)
    l.percent = 100.0 * static_cast<double>(l.count) / static_cast<double>(sums.count);
  return s;
}

std::vector<TrendPoint> trend(const std::vector<AgencyScore>& rows, const Filter& filter,
                              std::size_t min_group) {
  std::map<int, Sums> by_year;
  for (const auto& r : rows) {
    Filter f = filter;
    f.fiscal_year = r.fiscal_year;
    if (passes(r, f)) by_year[r.fiscal_year].add(r);
  }
  std::vector<TrendPoint> out;
  for (const auto& [year, sums] : by_year) {
    TrendPoint p;
    p.fiscal_year = year;
    p.count = sums.count;
    p.suppressed = sums.count < min_group;
    if (!p.suppressed) {
      p.mean_total = sums.mean(sums.total);
      for (std::size_t t = 0; t < 3; ++t) p.mean_tools[t] = sums.mean(sums.tools[t]);
    }
    out.push_back(p);
  }
  return out;
}

std::vector<int> fiscal_years(const std::vector<AgencyScore>& rows) {
  std::set<int> years;
  for (const auto& r : rows) years.insert(r.fiscal_year);
  return {years.begin(), years.end()};
}

Choices choices(const std::vector<AgencyScore>& rows, int fiscal_year) {
  std::set<std::string> provinces, types;
  for (const auto& r : rows) {
    if (r.fiscal_year != fiscal_year) continue;
    provinces.insert(r.province);
    types.insert(r.type);
  }
  return {{provinces.begin(), provinces.end()}, {types.begin(), types.end()}};
}

}  // namespace ita::dashboard
