#include "service/listing.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "service/errors.hpp"

namespace ita::service {

namespace {

constexpr std::size_t kMaxFilterBytes = 1000;

// The decimal integer `text` when it is one within [min, max]; else Invalid naming `field` and
// saying what it should be (`expected`).
std::int64_t integer(const std::string& field, const std::string& text, std::int64_t min,
                     std::int64_t max, const std::string& expected) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < min || v > max)
    throw Invalid("query parameter \"" + field + "\" must be " + expected + ", not \"" + text +
                  "\"");
  return v;
}

std::optional<std::string> text(const std::map<std::string, std::string>& query,
                                const std::string& field) {
  const auto it = query.find(field);
  if (it == query.end()) return std::nullopt;
  if (it->second.empty() || it->second.size() > kMaxFilterBytes)
    throw Invalid("query parameter \"" + field + "\" must be 1 to 1000 bytes of text");
  return it->second;
}

std::string ascii_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The page `p` of `all` (ordered by id) that match `keep`.
template <typename T, typename Keep>
Page<T> page_of(std::vector<T> all, const PageRequest& p, Keep keep) {
  Page<T> out;
  for (auto& item : all) {
    if (!keep(item)) continue;
    ++out.total;
    if (item.id <= p.after) continue;
    if (out.items.size() == p.limit) {
      out.next = std::to_string(out.items.back().id);
      continue;
    }
    out.items.push_back(std::move(item));
  }
  return out;
}

}  // namespace

void only_parameters(const std::map<std::string, std::string>& query,
                     const std::set<std::string>& known) {
  std::string unknown;
  for (const auto& [k, _] : query) {
    if (!known.contains(k)) unknown += (unknown.empty() ? "\"" : ", \"") + k + "\"";
  }
  if (!unknown.empty()) throw Invalid("unknown query parameter " + unknown + " (พารามิเตอร์ที่ไม่รู้จัก)");
}

PageRequest page_request(const std::map<std::string, std::string>& query) {
  PageRequest p;
  if (auto it = query.find("limit"); it != query.end())
    p.limit = static_cast<std::size_t>(integer("limit", it->second, 1,
                                               static_cast<std::int64_t>(kMaxPageSize),
                                               "an integer from 1 to 500"));
  if (auto it = query.find("cursor"); it != query.end())
    p.after = integer("cursor", it->second, 1, std::numeric_limits<std::int64_t>::max(),
                      "the \"next\" of a previous page");
  return p;
}

AgencyFilter agency_filter(const std::map<std::string, std::string>& query) {
  only_parameters(query, {"province", "q", "limit", "cursor"});
  return {text(query, "province"), text(query, "q"), std::nullopt};
}

RoundFilter round_filter(const std::map<std::string, std::string>& query) {
  only_parameters(query, {"agency_id", "fiscal_year", "status", "limit", "cursor"});
  RoundFilter f;
  if (auto it = query.find("agency_id"); it != query.end())
    f.agency_id = integer("agency_id", it->second, 1, std::numeric_limits<std::int64_t>::max(),
                          "a positive integer");
  if (auto it = query.find("fiscal_year"); it != query.end())
    f.fiscal_year = static_cast<int>(
        integer("fiscal_year", it->second, 2500, 2700, "a Buddhist Era year (2500 to 2700)"));
  if (auto it = query.find("status"); it != query.end()) {
    f.status = store::parse_round_status(it->second);
    if (!f.status)
      throw Invalid("query parameter \"status\" must be \"open\" or \"closed\", not \"" +
                    it->second + "\"");
  }
  return f;
}

Page<store::Agency> list_agencies(store::Store& store, const AgencyFilter& f,
                                  const PageRequest& p) {
  const std::string q = f.q ? ascii_lower(*f.q) : "";
  return page_of(store.agencies(), p, [&](const store::Agency& a) {
    return (!f.only || a.id == *f.only) && (!f.province || a.province == *f.province) &&
           (!f.q || ascii_lower(a.name).find(q) != std::string::npos);
  });
}

Page<store::Round> list_rounds(store::Store& store, EditionCatalog& editions, const RoundFilter& f,
                               const PageRequest& p, std::chrono::year_month_day today) {
  if (f.only && f.agency_id && *f.only != *f.agency_id) return {};
  // One agency's rounds are read by their own index; only a national list reads every round.
  const std::optional<std::int64_t> agency = f.only ? f.only : f.agency_id;
  auto all = agency ? store.rounds_of_agency(*agency) : store.rounds();
  return page_of(std::move(all), p, [&](const store::Round& r) {
    if (f.status && store::effective_status(r, today) != *f.status) return false;
    if (!f.fiscal_year) return true;
    const Edition* e = editions.find(r.edition_id);
    return e != nullptr && e->fiscal_year == *f.fiscal_year;
  });
}

}  // namespace ita::service
