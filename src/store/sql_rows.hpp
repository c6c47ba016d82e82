#pragma once
// Internal to the SqlStore files (sql_store.cpp, sql_accounts.cpp, sql_rounds.cpp,
// sql_responses.cpp, sql_oit.cpp, sql_tracker.cpp): the columns each table is read with and the
// row → struct mappings for them, plus the small helpers every area uses (the clock, audit
// targets and details, optional values as parameters).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "store/sql_store.hpp"

namespace ita::store::sql {

// Rows per multi-row INSERT: few round trips, well under both databases' parameter limits.
inline constexpr std::size_t kRowsPerInsert = 200;

std::int64_t now_seconds();

// JSON text for the audit log (invalid UTF-8 replaced, never thrown on).
std::string json_text(const nlohmann::json& j);

Value optional_value(std::optional<std::int64_t> v);
Value optional_value(std::optional<bool> v);
Value optional_value(std::optional<std::chrono::year_month_day> d);  // "YYYY-MM-DD" or NULL
nlohmann::json optional_json(std::optional<std::int64_t> v);

// Audit targets: "round:7", "user:3", "round:7/O12".
std::string round_target(std::int64_t round_id);
std::string user_target(std::int64_t user_id);
std::string oit_target(std::int64_t round_id, const std::string& item);

// Each table's columns in the order its *_from reads them. StoreError when a stored code (role,
// status, stage…) is not one this OpenITA knows.
extern const std::string kAgencyColumns;
Agency agency_from(const Row& row);

extern const std::string kUserColumns;
User user_from(const Row& row);

// Of `api_tokens t JOIN users u`.
extern const std::string kApiTokenColumns;
ApiToken api_token_from(const Row& row);

extern const std::string kSessionColumns;
Session session_from(const Row& row);

extern const std::string kRoundColumns;
Round round_from(const Row& row);

extern const std::string kOitColumns;  // more_urls last, as join_more_urls writes it
OitEntry oit_from(const Row& row);
// oit_entries.more_urls: the further evidence URLs, one a line (a URL has no white space).
std::string join_more_urls(const std::vector<std::string>& urls);
std::vector<std::string> split_more_urls(const std::string& text);

extern const std::string kProgressColumns;
StoredProgressReport progress_from(const Row& row);

extern const std::string kAuditColumns;
AuditEntry audit_from(const Row& row);

// The tool of a stored response (responses.tool, 'IIT' or 'EIT' by the schema's CHECK).
ToolId stored_tool(const char* op, const std::string& code);

}  // namespace ita::store::sql
