// SqlStore: the measures tracker (a round's measures plan and the progress reported on it).
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "core/thai.hpp"
#include "store/sql_rows.hpp"
#include "store/sql_store.hpp"

namespace ita::store::sql {

namespace {

using nlohmann::json;

// The measure ids of an "ita-measures/1" plan. InputError (field "plan") when the text is not a
// JSON object with a "measures" array of objects with string ids.
std::set<std::string> plan_measure_ids(const std::string& plan_json, json* parsed = nullptr) {
  json plan = json::parse(plan_json, nullptr, false);
  if (plan.is_discarded() || !plan.is_object() || !plan.contains("measures") ||
      !plan["measures"].is_array()) {
    throw InputError("plan", "the measures plan must be a JSON object with a \"measures\" array");
  }
  std::set<std::string> ids;
  for (const json& m : plan["measures"]) {
    if (!m.is_object() || !m.contains("id") || !m["id"].is_string()) {
      throw InputError("plan", "every measure of the plan needs a string \"id\"");
    }
    ids.insert(m["id"].get<std::string>());
  }
  if (parsed != nullptr) *parsed = std::move(plan);
  return ids;
}

}  // namespace

void SqlStore::put_measures_plan(std::int64_t round_id, const std::string& plan_json,
                                 std::int64_t by_user) {
  json plan;
  const std::set<std::string> ids = plan_measure_ids(plan_json, &plan);
  write([&] {
    const std::string op = "measures.plan";
    bool round_exists = false;
    db_->run(op, "SELECT 1 FROM rounds WHERE id = $1", {round_id},
             [&](const Row&) { round_exists = true; });
    if (!round_exists) throw Conflict("round " + std::to_string(round_id) + " does not exist");
    bool replaced = false;
    db_->run(op, "SELECT 1 FROM measures_plans WHERE round_id = $1" + std::string(db_->row_lock()),
             {round_id}, [&](const Row&) { replaced = true; });
    if (replaced) {
      // A plan may change, but not lose a measure that progress has been reported on.
      std::set<std::string> reported;
      db_->run(op, "SELECT DISTINCT measure_id FROM progress_reports WHERE round_id = $1",
               {round_id}, [&](const Row& row) { reported.insert(row.text(0)); });
      std::string dropped;
      for (const auto& id : reported) {
        if (!ids.contains(id)) dropped += (dropped.empty() ? "" : ", ") + id;
      }
      if (!dropped.empty()) {
        throw Conflict("the new plan of round " + std::to_string(round_id) +
                       " leaves out measures with progress reports: " + dropped);
      }
    }
    try {
      db_->run(op,
               "INSERT INTO measures_plans (round_id, plan_json, updated_by, updated_at) VALUES "
               "($1, $2, $3, $4) "
               "ON CONFLICT (round_id) DO UPDATE SET plan_json = excluded.plan_json, "
               "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
               {round_id, plan_json, by_user, now_seconds()});
    } catch (const ForeignKeyViolation&) {
      throw Conflict("user " + std::to_string(by_user) + " does not exist");
    }
    json detail = {{"measures", ids.size()}, {"replaced", replaced}};
    if (plan.contains("fiscal_year")) detail["fiscal_year"] = plan["fiscal_year"];
    audit(by_user, op, round_target(round_id), json_text(detail));
  });
}

std::optional<std::string> SqlStore::measures_plan(std::int64_t round_id) {
  return read([&] {
    std::optional<std::string> found;
    db_->run("measures.plan.read", "SELECT plan_json FROM measures_plans WHERE round_id = $1",
             {round_id}, [&](const Row& row) { found = row.text(0); });
    return found;
  });
}

StoredProgressReport SqlStore::add_progress_report(std::int64_t round_id,
                                                   const ProgressReport& report,
                                                   std::int64_t by_user) {
  if (!report.date.ok()) throw InputError("date", "the report's date is not a calendar date");
  return write([&] {
    const std::string op = "measures.progress";
    std::optional<std::string> plan_json;
    db_->run(op, "SELECT plan_json FROM measures_plans WHERE round_id = $1", {round_id},
             [&](const Row& row) { plan_json = row.text(0); });
    if (!plan_json) throw Conflict("round " + std::to_string(round_id) + " has no measures plan");
    if (!plan_measure_ids(*plan_json).contains(report.measure_id)) {
      throw InputError("measure_id", "the measures plan of round " + std::to_string(round_id) +
                                         " has no measure \"" + report.measure_id + "\"");
    }
    StoredProgressReport stored{0, round_id, report, by_user, now_seconds()};
    try {
      stored.id = insert_returning_id(
          op,
          "INSERT INTO progress_reports (round_id, measure_id, day, text, evidence_url, status, "
          "user_id, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
          {round_id, report.measure_id, format_iso_date(report.date), report.text_th,
           report.evidence_url, std::string(measure_status_code(report.status)), by_user,
           stored.created_at});
    } catch (const ForeignKeyViolation&) {
      throw Conflict("user " + std::to_string(by_user) + " does not exist");
    }
    audit(by_user, op, round_target(round_id) + "/" + report.measure_id,
          json_text({{"id", stored.id},
                     {"date", format_iso_date(report.date)},
                     {"status", std::string(measure_status_code(report.status))},
                     {"evidence_url", report.evidence_url}}));
    return stored;
  });
}

std::vector<StoredProgressReport> SqlStore::progress_reports(std::int64_t round_id) {
  return read([&] {
    std::vector<StoredProgressReport> all;
    db_->run(
        "measures.progress.read",
        "SELECT " + kProgressColumns + " FROM progress_reports WHERE round_id = $1 ORDER BY id",
        {round_id}, [&](const Row& row) { all.push_back(progress_from(row)); });
    return all;
  });
}

}  // namespace ita::store::sql
