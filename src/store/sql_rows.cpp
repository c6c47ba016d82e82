#include "store/sql_rows.hpp"

#include <chrono>

#include "core/thai.hpp"

namespace ita::store::sql {

using nlohmann::json;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string json_text(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Value optional_value(std::optional<std::int64_t> v) {
  return v ? Value{*v} : Value{nullptr};
}
Value optional_value(std::optional<bool> v) {
  return v ? Value{*v} : Value{nullptr};
}
Value optional_value(std::optional<std::chrono::year_month_day> d) {
  return d ? Value{format_iso_date(*d)} : Value{nullptr};
}
json optional_json(std::optional<std::int64_t> v) {
  return v ? json(*v) : json(nullptr);
}

std::string round_target(std::int64_t round_id) {
  return "round:" + std::to_string(round_id);
}
std::string user_target(std::int64_t user_id) {
  return "user:" + std::to_string(user_id);
}
std::string oit_target(std::int64_t round_id, const std::string& item) {
  return round_target(round_id) + "/" + item;
}

const std::string kAgencyColumns = "id, name, district, province, type, website";
Agency agency_from(const Row& row) {
  return Agency{row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4), row.text(5)};
}

const std::string kUserColumns = "id, email, role, agency_id, password_hash, disabled_at";
User user_from(const Row& row) {
  const std::string code = row.text(2);
  const auto role = parse_role(code);
  if (!role) {
    throw StoreError("users.role holds the unknown role '" + code +
                     "'; was the database written by a newer OpenITA?");
  }
  User u;
  u.id = row.integer(0);
  u.email = row.text(1);
  u.role = *role;
  if (!row.is_null(3)) u.agency_id = row.integer(3);
  u.password_hash = row.text(4);
  if (!row.is_null(5)) u.disabled_at = row.integer(5);
  return u;
}

const std::string kApiTokenColumns =
    "t.id, t.user_id, u.email, t.created_at, t.expires_at, t.last_used_at";
ApiToken api_token_from(const Row& row) {
  ApiToken t;
  t.id = row.integer(0);
  t.user_id = row.integer(1);
  t.email = row.text(2);
  t.created_at = row.integer(3);
  t.expires_at = row.integer(4);
  if (!row.is_null(5)) t.last_used_at = row.integer(5);
  return t;
}

const std::string kSessionColumns = "token_hash, user_id, csrf_token, expires_at";
Session session_from(const Row& row) {
  return Session{row.text(0), row.integer(1), row.text(2), row.integer(3)};
}

// The tool of a stored response (responses.tool, 'IIT' or 'EIT' by the schema's CHECK).
ToolId stored_tool(const char* op, const std::string& code) {
  const auto tool = parse_tool(code);
  if (!tool || *tool == ToolId::OIT)
    throw StoreError(std::string(op) + ": a stored response has the unknown tool '" + code + "'");
  return *tool;
}

const std::string kRoundColumns =
    "id, agency_id, edition_id, staff_count, service_users, iit_token, eit_token, "
    "access_codes_required, status, practice, closes_at, closed_at, response_cap_percent";
Round round_from(const Row& row) {
  Round r;
  r.id = row.integer(0);
  r.agency_id = row.integer(1);
  r.edition_id = row.text(2);
  r.staff_count = static_cast<int>(row.integer(3));
  r.service_users = static_cast<int>(row.integer(4));
  r.iit_token = row.text(5);
  r.eit_token = row.text(6);
  r.access_codes_required = row.boolean(7);
  const std::string status = row.text(8);
  const auto parsed = parse_round_status(status);
  if (!parsed) throw StoreError("rounds.status holds the unknown status '" + status + "'");
  r.status = *parsed;
  r.practice = row.boolean(9);
  if (!row.is_null(10)) {
    const std::string day = row.text(10);
    r.closes_at = parse_iso_date(day);
    if (!r.closes_at)
      throw StoreError("rounds.closes_at holds '" + day + "', not a date YYYY-MM-DD");
  }
  if (!row.is_null(11)) r.closed_at = row.integer(11);
  if (!row.is_null(12)) r.response_cap_percent = static_cast<int>(row.integer(12));
  return r;
}

std::string join_more_urls(const std::vector<std::string>& urls) {
  std::string text;
  for (const auto& u : urls) text += (text.empty() ? "" : "\n") + u;
  return text;
}

std::vector<std::string> split_more_urls(const std::string& text) {
  std::vector<std::string> urls;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) urls.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return urls;
}

const std::string kOitColumns =
    "round_id, item, url, note, stage, verdict, review_comment, appeal_explanation, "
    "final_verdict, final_comment, more_urls";
OitEntry oit_from(const Row& row) {
  OitEntry e;
  e.round_id = row.integer(0);
  e.item = row.text(1);
  e.url = row.text(2);
  e.note = row.text(3);
  const std::string stage = row.text(4);
  const auto parsed = parse_oit_stage(stage);
  if (!parsed) throw StoreError("oit_entries.stage holds the unknown stage '" + stage + "'");
  e.stage = *parsed;
  if (!row.is_null(5)) e.verdict = row.boolean(5);
  e.review_comment = row.text(6);
  e.appeal_explanation = row.text(7);
  if (!row.is_null(8)) e.final_verdict = row.boolean(8);
  e.final_comment = row.text(9);
  e.more_urls = split_more_urls(row.text(10));
  return e;
}

const std::string kAuditColumns = "id, at, user_id, action, target, detail";
AuditEntry audit_from(const Row& row) {
  AuditEntry e;
  e.id = row.integer(0);
  e.at = row.integer(1);
  if (!row.is_null(2)) e.user_id = row.integer(2);
  e.action = row.text(3);
  e.target = row.text(4);
  e.detail = row.text(5);
  return e;
}

const std::string kProgressColumns =
    "id, round_id, measure_id, day, text, evidence_url, status, user_id, created_at";
StoredProgressReport progress_from(const Row& row) {
  StoredProgressReport p;
  p.id = row.integer(0);
  p.round_id = row.integer(1);
  p.report.measure_id = row.text(2);
  const std::string day = row.text(3);
  const auto date = parse_iso_date(day);
  if (!date) throw StoreError("progress_reports.day holds '" + day + "', not a date YYYY-MM-DD");
  p.report.date = *date;
  p.report.text_th = row.text(4);
  p.report.evidence_url = row.text(5);
  const std::string status = row.text(6);
  const auto parsed = parse_measure_status(status);
  if (!parsed)
    throw StoreError("progress_reports.status holds the unknown status '" + status + "'");
  p.report.status = *parsed;
  p.user_id = row.integer(7);
  p.created_at = row.integer(8);
  return p;
}

}  // namespace ita::store::sql
