// SqlStore: the OIT workflow (evidence → review → one appeal → confirmation, or the appeal
// declined). The transitions themselves are core/oit_workflow's; each step here reads, applies
// one and writes back. Also the history of OIT readiness checks (service/oit_check.hpp).
#include <cmath>
#include <nlohmann/json.hpp>

#include "store/sql_rows.hpp"
#include "store/sql_store.hpp"

namespace ita::store::sql {

namespace {

using nlohmann::json;

// What the audit log keeps of an OIT step: the new stage and the verdict or URL it set.
json oit_detail(const OitEntry& e) {
  json detail = {{"stage", std::string(oit_stage_code(e.stage))}};
  if (e.stage == OitStage::Submitted) {
    detail["url"] = e.url;
    if (!e.more_urls.empty()) detail["more_urls"] = e.more_urls;
  }
  if (e.stage == OitStage::Reviewed && e.verdict) detail["pass"] = *e.verdict;
  if (e.stage == OitStage::Confirmed && e.final_verdict) detail["pass"] = *e.final_verdict;
  return detail;
}

}  // namespace

void SqlStore::change_oit(std::int64_t round_id, const std::string& item, std::int64_t by_user,
                          std::string_view action, const std::function<OitEntry(OitEntry)>& step) {
  write([&] {
    OitEntry current;
    current.round_id = round_id;
    current.item = item;
    db_->run(action,
             "SELECT " + kOitColumns + " FROM oit_entries WHERE round_id = $1 AND item = $2" +
                 std::string(db_->row_lock()),
             {round_id, item}, [&](const Row& row) { current = oit_from(row); });

    const OitEntry next = step(std::move(current));  // the core's InputError rolls everything back
    try {
      db_->run(
          action,
          "INSERT INTO oit_entries (" + kOitColumns +
              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT "
              "(round_id, item) DO UPDATE SET "
              "url = excluded.url, note = excluded.note, stage = excluded.stage, verdict = "
              "excluded.verdict, "
              "review_comment = excluded.review_comment, appeal_explanation = "
              "excluded.appeal_explanation, "
              "final_verdict = excluded.final_verdict, final_comment = "
              "excluded.final_comment, more_urls = excluded.more_urls",
          {round_id, item, next.url, next.note, std::string(oit_stage_code(next.stage)),
           optional_value(next.verdict), next.review_comment, next.appeal_explanation,
           optional_value(next.final_verdict), next.final_comment, join_more_urls(next.more_urls)});
    } catch (const ForeignKeyViolation&) {
      throw Conflict("round " + std::to_string(round_id) + " does not exist");
    }
    audit(by_user, action, oit_target(round_id, item), json_text(oit_detail(next)));
  });
}

void SqlStore::put_oit_evidence(std::int64_t round_id, const std::string& item,
                                const std::vector<std::string>& urls, const std::string& note,
                                std::int64_t by_user) {
  change_oit(round_id, item, by_user, "oit.evidence",
             [&](OitEntry e) { return ita::submit_evidence(std::move(e), urls, note); });
}

void SqlStore::review_oit(std::int64_t round_id, const std::string& item, bool pass,
                          const std::string& comment, std::int64_t by_user) {
  change_oit(round_id, item, by_user, "oit.review",
             [&](OitEntry e) { return ita::review(std::move(e), pass, comment); });
}

void SqlStore::appeal_oit(std::int64_t round_id, const std::string& item,
                          const std::string& explanation, std::int64_t by_user) {
  change_oit(round_id, item, by_user, "oit.appeal",
             [&](OitEntry e) { return ita::appeal(std::move(e), explanation); });
}

void SqlStore::decline_oit_appeal(std::int64_t round_id, const std::string& item,
                                  std::int64_t by_user) {
  change_oit(round_id, item, by_user, "oit.decline",
             [&](OitEntry e) { return ita::decline_appeal(std::move(e)); });
}

void SqlStore::confirm_oit(std::int64_t round_id, const std::string& item, bool pass,
                           const std::string& comment, std::int64_t by_user) {
  change_oit(round_id, item, by_user, "oit.confirm",
             [&](OitEntry e) { return ita::confirm(std::move(e), pass, comment); });
}

std::vector<OitEntry> SqlStore::oit_entries(std::int64_t round_id) {
  return read([&] {
    std::vector<OitEntry> all;
    db_->run("oit.read",
             "SELECT " + kOitColumns +
                 " FROM oit_entries WHERE round_id = $1 ORDER BY length(item), item",
             {round_id}, [&](const Row& row) { all.push_back(oit_from(row)); });
    return all;
  });
}

}  // namespace ita::store::sql

// ---- readiness checks ----

namespace ita::store::sql {

namespace {

Value hundredths(std::optional<double> score) {
  return score ? Value{static_cast<std::int64_t>(std::llround(*score * 100))} : Value{nullptr};
}

std::optional<double> from_hundredths(const Row& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return static_cast<double>(row.integer(column)) / 100;
}

}  // namespace

std::int64_t SqlStore::start_oit_check(std::int64_t round_id, std::optional<std::int64_t> by_user,
                                       std::int64_t now) {
  return write([&] {
    try {
      return insert_returning_id(
          "oit.check.start",
          "INSERT INTO oit_checks (round_id, by_user, started_at) VALUES ($1, $2, $3) RETURNING id",
          {round_id, optional_value(by_user), now});
    } catch (const ForeignKeyViolation&) {
      throw Conflict("round " + std::to_string(round_id) + " or user " +
                     std::to_string(by_user.value_or(0)) + " does not exist");
    }
  });
}

void SqlStore::finish_oit_check(const OitCheck& check, std::int64_t now) {
  write([&] {
    // Built one by one: GCC 12's optimiser warns (maybe-uninitialized) on the variants of a
    // braced list that mixes them.
    Params params;
    params.emplace_back(now);
    params.push_back(hundredths(check.predicted_oit));
    params.push_back(hundredths(check.predicted_total));
    params.emplace_back(check.id);
    // Only an unfinished check takes results: a history entry never changes afterwards.
    const auto changed = db_->run("oit.check.finish",
                                  "UPDATE oit_checks SET finished_at = $1, predicted_oit = $2, "
                                  "predicted_total = $3 WHERE id = $4 AND finished_at IS NULL",
                                  params);
    if (changed != 1) {
      throw Conflict("OIT check " + std::to_string(check.id) + " does not exist or has finished");
    }
    for (const OitCheckResult& r : check.results) {
      db_->run("oit.check.result",
               "INSERT INTO oit_check_results (check_id, item, verdict, reason_th, url, "
               "http_status) VALUES ($1, $2, $3, $4, $5, $6)",
               {check.id, r.item, std::string(readiness_code(r.verdict)), r.reason_th, r.url,
                std::int64_t{r.http_status}});
    }
    std::size_t fine = 0;
    for (const OitCheckResult& r : check.results) fine += r.verdict == Readiness::LikelyFine;
    audit(check.by_user, "oit.check", round_target(check.round_id),
          json_text({{"check", check.id}, {"items", check.results.size()}, {"likely_fine", fine}}));
  });
}

namespace {

const std::string kOitCheckColumns =
    "id, round_id, by_user, started_at, finished_at, predicted_oit, predicted_total";

OitCheck oit_check_from(const Row& row) {
  OitCheck c;
  c.id = row.integer(0);
  c.round_id = row.integer(1);
  if (!row.is_null(2)) c.by_user = row.integer(2);
  c.started_at = row.integer(3);
  if (!row.is_null(4)) c.finished_at = row.integer(4);
  c.predicted_oit = from_hundredths(row, 5);
  c.predicted_total = from_hundredths(row, 6);
  return c;
}

// Reads `c`'s results into it, in item order.
void read_results(Connection& db, OitCheck& c) {
  db.run("oit.check.results",
         "SELECT item, verdict, reason_th, url, http_status FROM oit_check_results "
         "WHERE check_id = $1 ORDER BY length(item), item",
         {c.id}, [&](const Row& row) {
           OitCheckResult r;
           r.item = row.text(0);
           const auto verdict = parse_readiness(row.text(1));
           if (!verdict) throw StoreError("unknown OIT check verdict " + row.text(1));
           r.verdict = *verdict;
           r.reason_th = row.text(2);
           r.url = row.text(3);
           r.http_status = static_cast<int>(row.integer(4));
           c.results.push_back(std::move(r));
         });
}

}  // namespace

std::vector<OitCheck> SqlStore::oit_checks(std::int64_t round_id, std::size_t limit,
                                           bool with_results) {
  return read([&] {
    std::vector<OitCheck> all;
    db_->run("oit.check.list",
             "SELECT " + kOitCheckColumns +
                 " FROM oit_checks WHERE round_id = $1 ORDER BY id DESC LIMIT $2",
             {round_id, static_cast<std::int64_t>(limit)},
             [&](const Row& row) { all.push_back(oit_check_from(row)); });
    if (with_results) {
      for (OitCheck& c : all) read_results(*db_, c);
    }
    return all;
  });
}

std::optional<OitCheck> SqlStore::oit_check(std::int64_t round_id, std::int64_t check_id) {
  return read([&] {
    std::optional<OitCheck> found;
    db_->run("oit.check.read",
             "SELECT " + kOitCheckColumns + " FROM oit_checks WHERE round_id = $1 AND id = $2",
             {round_id, check_id}, [&](const Row& row) { found = oit_check_from(row); });
    if (found) read_results(*db_, *found);
    return found;
  });
}

}  // namespace ita::store::sql
