// SqlStore: releases of open rounds' figures (service/release.hpp, README "No differencing").
// Replacing a release is a compare-and-set on its respondent counts, so two readers that computed
// a successor of the same release cannot both store one.
#include "core/thai.hpp"
#include "store/sql_rows.hpp"
#include "store/sql_store.hpp"

namespace ita::store::sql {

namespace {

const std::string kReleaseColumns =
    "round_id, respondents_iit, respondents_eit, result_json, released_on";

ResultRelease release_from(const Row& row) {
  ResultRelease r;
  r.round_id = row.integer(0);
  r.respondents_iit = static_cast<int>(row.integer(1));
  r.respondents_eit = static_cast<int>(row.integer(2));
  r.result_json = row.text(3);
  const std::string day = row.text(4);
  const auto parsed = parse_iso_date(day);
  if (!parsed) throw StoreError("result_releases.released_on holds '" + day + "', not a date");
  r.released_on = *parsed;
  return r;
}

}  // namespace

std::optional<ResultRelease> SqlStore::result_release(std::int64_t round_id) {
  return read([&] {
    std::optional<ResultRelease> found;
    db_->run("release.read",
             "SELECT " + kReleaseColumns + " FROM result_releases WHERE round_id = $1", {round_id},
             [&](const Row& row) { found = release_from(row); });
    return found;
  });
}

std::vector<ResultRelease> SqlStore::result_releases() {
  return read([&] {
    std::vector<ResultRelease> all;
    db_->run("release.list",
             "SELECT " + kReleaseColumns + " FROM result_releases ORDER BY round_id", {},
             [&](const Row& row) { all.push_back(release_from(row)); });
    return all;
  });
}

bool SqlStore::replace_result_release(const ResultRelease& next,
                                      const std::optional<ResultRelease>& replacing) {
  return write([&] {
    const std::string op = "release.replace";
    bool round_exists = false;
    db_->run(op, "SELECT 1 FROM rounds WHERE id = $1", {next.round_id},
             [&](const Row&) { round_exists = true; });
    if (!round_exists) throw Conflict("round " + std::to_string(next.round_id) + " does not exist");
    const Params values{next.round_id, std::int64_t{next.respondents_iit},
                        std::int64_t{next.respondents_eit}, next.result_json,
                        format_iso_date(next.released_on)};
    if (!replacing) {
      return db_->run(op,
                      "INSERT INTO result_releases (" + kReleaseColumns +
                          ") VALUES ($1, $2, $3, $4, $5) ON CONFLICT (round_id) DO NOTHING",
                      values) == 1;
    }
    const Params params{values[1],
                        values[2],
                        values[3],
                        values[4],
                        next.round_id,
                        std::int64_t{replacing->respondents_iit},
                        std::int64_t{replacing->respondents_eit}};
    return db_->run(op,
                    "UPDATE result_releases SET respondents_iit = $1, respondents_eit = $2, "
                    "result_json = $3, released_on = $4 WHERE round_id = $5 AND "
                    "respondents_iit = $6 AND respondents_eit = $7",
                    params) == 1;
  });
}

}  // namespace ita::store::sql
