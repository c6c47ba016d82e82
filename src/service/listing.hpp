#pragma once
// Lists of the JSON API (docs/api.md, "Lists"): agencies and rounds, filtered and a page at a
// time, in a stable order (by id). Who may see what is the web's to decide: it passes the one
// agency a caller is limited to as the filter's `only`.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "service/edition_catalog.hpp"
#include "store/store.hpp"

namespace ita::service {

inline constexpr std::size_t kDefaultPageSize = 50;
inline constexpr std::size_t kMaxPageSize = 500;

// Which page of a list: at most `limit` items whose id is above `after` (the cursor).
struct PageRequest {
  std::size_t limit = kDefaultPageSize;
  std::int64_t after = 0;
};

// A page of a list ordered by id: `next` is the cursor of the following page (nothing on the
// last one); `total` counts every item that matches the filter, whatever the page.
template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next;
  std::size_t total = 0;
};

// Agencies whose province is `province` (exactly as stored) and whose name contains `q` (ASCII
// letters in either case); `only`: that agency alone (a caller who may see one agency).
struct AgencyFilter {
  std::optional<std::string> province;
  std::optional<std::string> q;
  std::optional<std::int64_t> only;
};

// Rounds of agency `agency_id`, of fiscal year `fiscal_year` (BE, their edition's), whose status
// on the day listed (store::effective_status) is `status`; `only` as for agencies.
struct RoundFilter {
  std::optional<std::int64_t> agency_id;
  std::optional<int> fiscal_year;
  std::optional<store::RoundStatus> status;
  std::optional<std::int64_t> only;
};

// Throws Invalid naming every parameter of `query` that is not in `known` ("unknown query
// parameter \"sort\""). Pure.
void only_parameters(const std::map<std::string, std::string>& query,
                     const std::set<std::string>& known);

// The page that a query's "limit" (1 to kMaxPageSize, default kDefaultPageSize) and "cursor" (a
// page's `next`, default: the first page) ask for. Throws Invalid naming the field for a value
// that is not one of these. Pure.
PageRequest page_request(const std::map<std::string, std::string>& query);

// The filter of a query of GET /api/v1/agencies: "province", "q", plus the page's "limit" and
// "cursor". Throws Invalid naming the parameters it does not know, or the field whose value is
// empty or longer than 1000 bytes. Pure.
AgencyFilter agency_filter(const std::map<std::string, std::string>& query);

// The filter of a query of GET /api/v1/rounds: "agency_id" (a positive integer), "fiscal_year"
// (a Buddhist Era year, 2500 to 2700), "status" ("open" or "closed"), plus "limit" and
// "cursor". Throws Invalid naming the unknown parameters or the field with a bad value. Pure.
RoundFilter round_filter(const std::map<std::string, std::string>& query);

// The agencies that match `f`, the page `p` of them by id. Leaves the store unchanged.
Page<store::Agency> list_agencies(store::Store& store, const AgencyFilter& f, const PageRequest& p);

// The rounds that match `f` on `today` (Thailand's day: service::thai_today), the page `p` of
// them by id. A round whose edition is not in force matches no fiscal year. Leaves the store
// unchanged.
Page<store::Round> list_rounds(store::Store& store, EditionCatalog& editions, const RoundFilter& f,
                               const PageRequest& p, std::chrono::year_month_day today);

}  // namespace ita::service
