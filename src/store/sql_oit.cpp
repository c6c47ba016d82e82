// SqlStore: the OIT workflow (evidence → review → one appeal → confirmation, or the appeal
// declined). The transitions themselves are core/oit_workflow's; each step here reads, applies
// one and writes back.
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
