#include "store/sql_store.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <type_traits>
#include <utility>

#include "core/error.hpp"
#include "core/thai.hpp"
#include "store/answers_json.hpp"

namespace ita::store::sql {
namespace {

using nlohmann::json;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// 128 bits from the kernel's CSPRNG as 32 lowercase hex digits. Random, so the ids say nothing
// about who answered or when.
std::string random_id() {
  unsigned char bytes[16];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw StoreError(std::string("response.submit: reading random bytes (getrandom) failed: ") +
                       std::strerror(errno));
    }
    got += static_cast<std::size_t>(n);
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string id;
  id.reserve(2 * sizeof bytes);
  for (unsigned char b : bytes) {
    id += hex[b >> 4];
    id += hex[b & 0x0f];
  }
  return id;
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

const std::string kAgencyColumns = "id, name, district, province, type";
Agency agency_from(const Row& row) {
  return Agency{row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4)};
}

const std::string kUserColumns = "id, email, role, agency_id, password_hash";
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
  return u;
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
    "access_codes_required, status, practice";
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
  return r;
}

const std::string kOitColumns =
    "round_id, item, url, note, stage, verdict, review_comment, appeal_explanation, "
    "final_verdict, final_comment";
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

// What the audit log keeps of an OIT step: the new stage and the verdict or URL it set.
json oit_detail(const OitEntry& e) {
  json detail = {{"stage", std::string(oit_stage_code(e.stage))}};
  if (e.stage == OitStage::Submitted) detail["url"] = e.url;
  if (e.stage == OitStage::Reviewed && e.verdict) detail["pass"] = *e.verdict;
  if (e.stage == OitStage::Confirmed && e.final_verdict) detail["pass"] = *e.final_verdict;
  return detail;
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
  if (!parsed) throw StoreError("progress_reports.status holds the unknown status '" + status + "'");
  p.report.status = *parsed;
  p.user_id = row.integer(7);
  p.created_at = row.integer(8);
  return p;
}

// The measure ids of an "ita-measures/1" plan. InputError (field "plan") when the text is not a
// JSON object with a "measures" array of objects with string ids.
std::set<std::string> plan_measure_ids(const std::string& plan_json, json* parsed = nullptr) {
  json plan = json::parse(plan_json, nullptr, false);
  if (plan.is_discarded() || !plan.is_object() || !plan.contains("measures") || !plan["measures"].is_array()) {
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

// Rows per multi-row INSERT: few round trips, well under both databases' parameter limits.
constexpr std::size_t kRowsPerInsert = 200;

}  // namespace

SqlStore::SqlStore(std::unique_ptr<Connection> connection) : db_(std::move(connection)) {}

template <class Body>
auto SqlStore::transaction(bool write, Body&& body) {
  if (holder_.load() == std::this_thread::get_id()) {
    throw StoreError(
        "the store was called from inside its own for_each_answer callback; "
        "collect the rows first, then call the store");
  }
  std::lock_guard lock(mutex_);
  holder_ = std::this_thread::get_id();
  struct Release {
    std::atomic<std::thread::id>& holder;
    ~Release() { holder = std::thread::id{}; }
  } release{holder_};

  db_->begin(write);
  try {
    if constexpr (std::is_void_v<std::invoke_result_t<Body&>>) {
      body();
      db_->commit();
    } else {
      auto result = body();
      db_->commit();
      return result;
    }
  } catch (...) {
    db_->rollback();
    throw;
  }
}

std::int64_t SqlStore::insert_returning_id(std::string_view op, const std::string& sql,
                                           const Params& params) {
  std::optional<std::int64_t> id;
  db_->run(op, sql, params, [&](const Row& row) { id = row.integer(0); });
  if (!id) throw StoreError(std::string(op) + ": the INSERT returned no id");
  return *id;
}

void SqlStore::insert_rows(std::string_view op, const std::string& insert_prefix,
                           std::size_t columns, const std::vector<Params>& rows) {
  for (std::size_t first = 0; first < rows.size(); first += kRowsPerInsert) {
    const std::size_t last = std::min(rows.size(), first + kRowsPerInsert);
    std::string sql = insert_prefix;
    Params params;
    params.reserve((last - first) * columns);
    for (std::size_t i = first; i < last; ++i) {
      sql += i == first ? "(" : ", (";
      for (std::size_t c = 0; c < columns; ++c) {
        params.push_back(rows[i].at(c));
        sql += (c == 0 ? "$" : ", $") + std::to_string(params.size());
      }
      sql += ")";
    }
    db_->run(op, sql, params);
  }
}

void SqlStore::audit(std::optional<std::int64_t> user_id, std::string_view action,
                     const std::string& target, const std::string& detail) {
  db_->run(
      action,
      "INSERT INTO audit_log (at, user_id, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
      {now_seconds(), optional_value(user_id), std::string(action), target, detail});
}

// ---- schema ----

void SqlStore::migrate() {
  write([&] {
    db_->lock_for_migration();
    db_->run_script("migrate",
                    "CREATE TABLE IF NOT EXISTS schema_version ("
                    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    std::int64_t current = 0;
    db_->run("migrate", "SELECT COALESCE(MAX(version), 0) FROM schema_version", {},
             [&](const Row& row) { current = row.integer(0); });
    const auto& migrations = db_->migrations();
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    if (current > latest) {
      throw StoreError("migrate: the database is at schema version " + std::to_string(current) +
                       ", newer than this OpenITA knows (" + std::to_string(latest) +
                       "); run a newer OpenITA");
    }
    for (const Migration& m : migrations) {
      if (m.version <= current) continue;
      const std::string op = "migrate " + std::string(m.name);
      db_->run_script(op, m.sql);
      db_->run(op, "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
               {std::int64_t{m.version}, std::string(m.name), now_seconds()});
    }
  });
}

int SqlStore::schema_version() {
  return read([&] {
    int version = 0;
    db_->run("schema_version", "SELECT COALESCE(MAX(version), 0) FROM schema_version", {},
             [&](const Row& row) { version = static_cast<int>(row.integer(0)); });
    return version;
  });
}

// ---- agencies ----

Agency SqlStore::create_agency(const Agency& a, std::optional<std::int64_t> by_user) {
  return write([&] {
    Agency created = a;
    created.id = insert_returning_id("agency.create",
                                     "INSERT INTO agencies (name, district, province, type) VALUES "
                                     "($1, $2, $3, $4) RETURNING id",
                                     {a.name, a.district, a.province, a.type});
    audit(by_user, "agency.create", "agency:" + std::to_string(created.id),
          json_text({{"name", a.name}, {"province", a.province}}));
    return created;
  });
}

std::optional<Agency> SqlStore::agency(std::int64_t id) {
  return read([&] {
    std::optional<Agency> found;
    db_->run("agency.read", "SELECT " + kAgencyColumns + " FROM agencies WHERE id = $1", {id},
             [&](const Row& row) { found = agency_from(row); });
    return found;
  });
}

std::vector<Agency> SqlStore::agencies() {
  return read([&] {
    std::vector<Agency> all;
    db_->run("agency.list", "SELECT " + kAgencyColumns + " FROM agencies ORDER BY id", {},
             [&](const Row& row) { all.push_back(agency_from(row)); });
    return all;
  });
}

// ---- users, sessions, API tokens ----

User SqlStore::create_user(const User& u, std::optional<std::int64_t> by_user) {
  return write([&] {
    User created = u;
    try {
      created.id = insert_returning_id(
          "user.create",
          "INSERT INTO users (email, role, agency_id, password_hash) VALUES ($1, $2, $3, $4) "
          "RETURNING id",
          {u.email, role_code(u.role), optional_value(u.agency_id), u.password_hash});
    } catch (const UniqueViolation&) {
      throw Conflict("a user with the e-mail address " + u.email + " already exists");
    } catch (const ForeignKeyViolation&) {
      throw Conflict("agency " + std::to_string(u.agency_id.value_or(0)) + " does not exist");
    }
    audit(by_user, "user.create", user_target(created.id),
          json_text({{"email", u.email},
                     {"role", role_code(u.role)},
                     {"agency_id", optional_json(u.agency_id)}}));
    return created;
  });
}

std::optional<User> SqlStore::user_by_email(const std::string& email) {
  return read([&] {
    std::optional<User> found;
    db_->run("user.read",
             "SELECT " + kUserColumns + " FROM users WHERE lower(email) = lower(CAST($1 AS TEXT))",
             {email}, [&](const Row& row) { found = user_from(row); });
    return found;
  });
}

std::optional<User> SqlStore::user(std::int64_t id) {
  return read([&] {
    std::optional<User> found;
    db_->run("user.read", "SELECT " + kUserColumns + " FROM users WHERE id = $1", {id},
             [&](const Row& row) { found = user_from(row); });
    return found;
  });
}

void SqlStore::create_session(const Session& s) {
  write([&] {
    try {
      db_->run("session.create",
               "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) "
               "VALUES ($1, $2, $3, $4)",
               {s.token_hash, s.user_id, s.csrf_token, s.expires_at});
    } catch (const UniqueViolation&) {
      throw Conflict("a session with this token already exists");
    } catch (const ForeignKeyViolation&) {
      throw Conflict("user " + std::to_string(s.user_id) + " does not exist");
    }
    audit(s.user_id, "session.create", user_target(s.user_id),
          json_text({{"expires_at", s.expires_at}}));
  });
}

std::optional<Session> SqlStore::session(const std::string& token_hash, std::int64_t now) {
  const auto found = read([&] {
    std::optional<Session> s;
    db_->run("session.read", "SELECT " + kSessionColumns + " FROM sessions WHERE token_hash = $1",
             {token_hash}, [&](const Row& row) { s = session_from(row); });
    return s;
  });
  if (!found || found->expires_at > now) return found;
  // Expired sessions never come back: drop this one now that someone presented it.
  write([&] {
    db_->run("session.expire", "DELETE FROM sessions WHERE token_hash = $1 AND expires_at <= $2",
             {token_hash, now});
  });
  return std::nullopt;
}

void SqlStore::delete_session(const std::string& token_hash) {
  write([&] {
    db_->run("session.delete", "DELETE FROM sessions WHERE token_hash = $1", {token_hash});
  });
}

void SqlStore::create_api_token(const std::string& token_hash, std::int64_t user_id,
                                std::int64_t by_user) {
  write([&] {
    try {
      db_->run("api_token.create",
               "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
               {token_hash, user_id, now_seconds()});
    } catch (const UniqueViolation&) {
      throw Conflict("this API token is already registered; generate a new one");
    } catch (const ForeignKeyViolation&) {
      throw Conflict("user " + std::to_string(user_id) + " does not exist");
    }
    audit(by_user, "api_token.create", user_target(user_id), "{}");
  });
}

std::optional<User> SqlStore::user_by_api_token(const std::string& token_hash) {
  return read([&] {
    std::optional<User> found;
    db_->run("api_token.read",
             "SELECT u.id, u.email, u.role, u.agency_id, u.password_hash FROM api_tokens t "
             "JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
             {token_hash}, [&](const Row& row) { found = user_from(row); });
    return found;
  });
}

// ---- rounds and access codes ----

Round SqlStore::create_round(const Round& r, std::int64_t by_user) {
  return write([&] {
    Round created = r;
    // The UNIQUE constraints hold per column; a link token must also not be the other tool's.
    bool token_taken = false;
    db_->run("round.create",
             "SELECT 1 FROM rounds WHERE iit_token IN ($1, $2) OR eit_token IN ($1, $2)",
             {r.iit_token, r.eit_token}, [&](const Row&) { token_taken = true; });
    try {
      if (token_taken) throw UniqueViolation("round.create: link token taken");
      created.id = insert_returning_id(
          "round.create",
          "INSERT INTO rounds (agency_id, edition_id, staff_count, service_users, iit_token, "
          "eit_token, "
          "access_codes_required, status, practice) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          "RETURNING id",
          {r.agency_id, r.edition_id, std::int64_t{r.staff_count}, std::int64_t{r.service_users},
           r.iit_token, r.eit_token, r.access_codes_required, round_status_code(created.status),
           r.practice});
    } catch (const UniqueViolation&) {
      throw Conflict(
          "a survey link token of the new round is already used by another round; "
          "generate new tokens");
    } catch (const ForeignKeyViolation&) {
      throw Conflict("agency " + std::to_string(r.agency_id) + " does not exist");
    }
    audit(by_user, "round.create", round_target(created.id),
          json_text({{"agency_id", r.agency_id},
                     {"edition_id", r.edition_id},
                     {"staff_count", r.staff_count},
                     {"service_users", r.service_users},
                     {"access_codes_required", r.access_codes_required},
                     {"status", round_status_code(created.status)},
                     {"practice", r.practice}}));
    return created;
  });
}

std::optional<Round> SqlStore::round(std::int64_t id) {
  return read([&] {
    std::optional<Round> found;
    db_->run("round.read", "SELECT " + kRoundColumns + " FROM rounds WHERE id = $1", {id},
             [&](const Row& row) { found = round_from(row); });
    return found;
  });
}

std::optional<Round> SqlStore::round_by_token(const std::string& token) {
  return read([&] {
    std::optional<Round> found;
    db_->run("round.read",
             "SELECT " + kRoundColumns + " FROM rounds WHERE iit_token = $1 OR eit_token = $1",
             {token}, [&](const Row& row) { found = round_from(row); });
    return found;
  });
}

std::vector<Round> SqlStore::rounds_of_agency(std::int64_t agency_id) {
  return read([&] {
    std::vector<Round> all;
    db_->run("round.list",
             "SELECT " + kRoundColumns + " FROM rounds WHERE agency_id = $1 ORDER BY id",
             {agency_id}, [&](const Row& row) { all.push_back(round_from(row)); });
    return all;
  });
}

// ---- published editions ----

PublishedEdition SqlStore::publish_edition(const std::string& id, const std::string& json,
                                           std::optional<std::int64_t> by_user) {
  return write([&] {
    int used = 0;
    db_->run("edition.publish", "SELECT COUNT(*) FROM rounds WHERE edition_id = $1", {id},
             [&](const Row& row) { used = static_cast<int>(row.integer(0)); });
    if (used > 0) {
      throw Conflict("edition " + id + " is used by " + std::to_string(used) +
                     " round(s) and can no longer change; publish it under a new id");
    }
    PublishedEdition e{id, 1, json, by_user, now_seconds()};
    db_->run("edition.publish", "SELECT COALESCE(MAX(version), 0) FROM editions WHERE id = $1",
             {id}, [&](const Row& row) { e.version = static_cast<int>(row.integer(0)) + 1; });
    db_->run("edition.publish",
             "INSERT INTO editions (id, version, edition_json, published_by, published_at) "
             "VALUES ($1, $2, $3, $4, $5)",
             {id, std::int64_t{e.version}, json, optional_value(by_user), e.published_at});
    audit(by_user, "edition.publish", "edition:" + id,
          json_text({{"id", id}, {"version", e.version}, {"bytes", json.size()}}));
    return e;
  });
}

std::vector<PublishedEdition> SqlStore::published_editions() {
  return read([&] {
    std::vector<PublishedEdition> all;
    db_->run("edition.list",
             "SELECT e.id, e.version, e.edition_json, e.published_by, e.published_at "
             "FROM editions e WHERE e.version = "
             "(SELECT MAX(n.version) FROM editions n WHERE n.id = e.id) ORDER BY e.id",
             {}, [&](const Row& row) {
               PublishedEdition e;
               e.id = row.text(0);
               e.version = static_cast<int>(row.integer(1));
               e.json = row.text(2);
               if (!row.is_null(3)) e.published_by = row.integer(3);
               e.published_at = row.integer(4);
               all.push_back(std::move(e));
             });
    return all;
  });
}

int SqlStore::rounds_using_edition(const std::string& id) {
  return read([&] {
    int used = 0;
    db_->run("edition.used", "SELECT COUNT(*) FROM rounds WHERE edition_id = $1", {id},
             [&](const Row& row) { used = static_cast<int>(row.integer(0)); });
    return used;
  });
}

constexpr std::int64_t kDraftSeconds = 24 * 3600;

void SqlStore::save_edition_draft(const std::string& token, const std::string& json,
                                  std::int64_t by_user) {
  write([&] {
    const std::int64_t now = now_seconds();
    db_->run("edition.draft", "DELETE FROM edition_drafts WHERE uploaded_at < $1",
             {now - kDraftSeconds});
    db_->run("edition.draft",
             "INSERT INTO edition_drafts (token, edition_json, uploaded_by, uploaded_at) "
             "VALUES ($1, $2, $3, $4)",
             {token, json, by_user, now});
  });
}

std::optional<std::string> SqlStore::edition_draft(const std::string& token, std::int64_t user) {
  return read([&] {
    std::optional<std::string> found;
    db_->run("edition.draft",
             "SELECT edition_json FROM edition_drafts "
             "WHERE token = $1 AND uploaded_by = $2 AND uploaded_at >= $3",
             {token, user, now_seconds() - kDraftSeconds},
             [&](const Row& row) { found = row.text(0); });
    return found;
  });
}

void SqlStore::add_access_codes(std::int64_t round_id, const std::vector<std::string>& code_hashes,
                                std::int64_t by_user) {
  write([&] {
    std::vector<Params> rows;
    rows.reserve(code_hashes.size());
    for (const auto& hash : code_hashes) rows.push_back({hash, round_id});
    try {
      insert_rows("access_codes.add", "INSERT INTO access_codes (code_hash, round_id) VALUES ", 2,
                  rows);
    } catch (const UniqueViolation&) {
      throw Conflict(
          "an access code of this batch is already registered (or repeated in it); "
          "generate a new batch");
    } catch (const ForeignKeyViolation&) {
      throw Conflict("round " + std::to_string(round_id) + " does not exist");
    }
    audit(by_user, "access_codes.add", round_target(round_id),
          json_text({{"count", code_hashes.size()}}));
  });
}

std::pair<int, int> SqlStore::access_code_counts(std::int64_t round_id) {
  return read([&] {
    std::pair<int, int> counts{0, 0};
    db_->run(
        "access_codes.count",
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN used THEN 1 ELSE 0 END), 0) FROM access_codes "
        "WHERE round_id = $1",
        {round_id}, [&](const Row& row) {
          counts = {static_cast<int>(row.integer(0)), static_cast<int>(row.integer(1))};
        });
    return counts;
  });
}

// ---- responses ----

namespace {

// What is wrong with a response as the store's rules see it (a known tool; answers of a unit
// code and an option code, both given, as UTF-8), or nothing. Checked here rather than left to
// the schema so that one bad response is refused alone instead of failing its whole batch. The
// web checks far more, against the edition. The message names the rule, never an answer.
std::optional<std::string> malformed(const NewResponse& r) {
  if (r.tool != ToolId::IIT && r.tool != ToolId::EIT)
    return "response_tool_known: the tool must be IIT or EIT";
  for (const auto& [unit, option] : r.answers) {
    if (unit.empty()) return "answer_unit_given: an answer has no unit code";
    if (option.empty()) return "answer_option_given: an answer has no option code";
    if (first_invalid_utf8(unit) || first_invalid_utf8(option))
      return "answer_codes_utf8: an answer's codes are not UTF-8 text";
  }
  return std::nullopt;
}

}  // namespace

std::string SqlStore::submit_response(const NewResponse& r) {
  auto outcome = submit_responses({r}, {}).front();
  if (outcome.status != SubmitOutcome::Status::Stored) throw Conflict(outcome.message);
  return outcome.id;
}

std::vector<SubmitOutcome> SqlStore::submit_responses(const std::vector<NewResponse>& batch,
                                                      const std::function<void()>& before_commit) {
  const std::string op = "response.submit";
  if (batch.empty()) return {};
  // Each well-formed response's set of answer units, as its layout (store/answers_json.hpp).
  std::vector<std::optional<std::string>> bad(batch.size());
  std::vector<std::string> units(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    bad[i] = malformed(batch[i]);
    if (bad[i]) continue;
    std::vector<std::string_view> codes;
    codes.reserve(batch[i].answers.size());
    for (const auto& [unit, _] : batch[i].answers) codes.push_back(unit);
    answers_json::encode(units[i], codes);
  }
  const std::vector<std::int64_t> layouts = layout_ids(units);
  return write([&] {
    std::vector<SubmitOutcome> out(batch.size());
    // Rounds do not change inside this transaction: read each once (status, codes required).
    std::map<std::int64_t, std::optional<std::pair<RoundStatus, bool>>> rounds;
    std::set<std::int64_t> rounds_with_codes_used;
    std::vector<std::size_t> stored;
    stored.reserve(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const NewResponse& r = batch[i];
      const auto [found, fresh] = rounds.try_emplace(r.round_id);
      auto& state = found->second;
      if (fresh) {
        db_->run(op, "SELECT status, access_codes_required FROM rounds WHERE id = $1", {r.round_id},
                 [&state, &op](const Row& row) {
                   const std::string status = row.text(0);
                   const auto parsed = parse_round_status(status);
                   if (!parsed)
                     throw StoreError(op + ": a round has the unknown status '" + status + "'");
                   state = {*parsed, row.boolean(1)};
                 });
      }
      const std::string round = "round " + std::to_string(r.round_id);
      using Refusal = SubmitOutcome::Refusal;
      auto refuse = [&](Refusal reason, std::string why) {
        out[i].status = SubmitOutcome::Status::Refused;
        out[i].refusal = reason;
        out[i].message = std::move(why);
      };
      if (!state) {
        refuse(Refusal::RoundUnknown, round + " does not exist");
        continue;
      }
      if (state->first != RoundStatus::Open) {
        refuse(Refusal::RoundClosed,
               round + " is " + round_status_code(state->first) + "; it accepts no more responses");
        continue;
      }
      if (state->second && r.tool == ToolId::IIT && !r.access_code_hash) {
        refuse(Refusal::AccessCodeMissing, round + " requires an access code for the IIT survey");
        continue;
      }
      if (bad[i]) {
        refuse(Refusal::Malformed, *bad[i]);
        continue;
      }
      if (r.access_code_hash) {
        // The check and the consumption are one statement: a code used earlier in this batch,
        // or by anyone before, changes no row.
        const auto consumed = db_->run(
            op,
            "UPDATE access_codes SET used = TRUE WHERE code_hash = $1 AND round_id = $2 AND NOT "
            "used",
            {*r.access_code_hash, r.round_id});
        if (consumed == 0) {
          refuse(Refusal::AccessCodeUnknownOrUsed, "access code unknown or already used");
          continue;
        }
        rounds_with_codes_used.insert(r.round_id);
      }
      out[i].status = SubmitOutcome::Status::Stored;
      stored.push_back(i);
    }
    // Rewrite every used code of those rounds in this transaction, so PostgreSQL's hidden row
    // versions (xmin) cannot pair a response with the code it consumed.
    for (const std::int64_t round_id : rounds_with_codes_used) {
      db_->run(op, "UPDATE access_codes SET used = TRUE WHERE round_id = $1 AND used", {round_id});
    }
    insert_responses(batch, layouts, stored, out);
    if (before_commit) before_commit();
    return out;
  });
}

std::vector<std::int64_t> SqlStore::layout_ids(const std::vector<std::string>& units) {
  std::vector<std::int64_t> ids(units.size(), 0);
  std::vector<std::size_t> missing;
  {
    std::lock_guard lock(layouts_mutex_);
    for (std::size_t i = 0; i < units.size(); ++i) {
      if (units[i].empty()) continue;  // no layout wanted (a refused response)
      auto it = layout_by_units_.find(units[i]);
      if (it == layout_by_units_.end()) {
        missing.push_back(i);
      } else {
        ids[i] = it->second;
      }
    }
  }
  if (missing.empty()) return ids;
  // New sets of units: added in a transaction of their own (a layout is no one's answer), then
  // remembered. Another process may add the same one at the same time: the UNIQUE key keeps one.
  std::map<std::string, std::int64_t> added;
  write([&] {
    for (const std::size_t i : missing) {
      if (added.contains(units[i])) continue;
      db_->run("layout.add",
               "INSERT INTO answer_layouts (units) VALUES ($1) ON CONFLICT (units) DO NOTHING",
               {units[i]});
      std::int64_t id = 0;
      db_->run("layout.add", "SELECT id FROM answer_layouts WHERE units = $1", {units[i]},
               [&](const Row& row) { id = row.integer(0); });
      added.emplace(units[i], id);
    }
  });
  std::lock_guard lock(layouts_mutex_);
  for (const auto& [text, id] : added) layout_by_units_.emplace(text, id);
  for (const std::size_t i : missing) ids[i] = added.at(units[i]);
  return ids;
}

// Inside the write transaction of submit_responses: the rows of the responses `stored` (indices
// into `batch`), each under a fresh random id. A slot already taken (two ids of one round
// sharing their first 40 bits: about once in 10^7 submissions to a round of 100,000) gets
// another id; nothing else is retried.
void SqlStore::insert_responses(const std::vector<NewResponse>& batch,
                                const std::vector<std::int64_t>& layouts,
                                const std::vector<std::size_t>& stored,
                                std::vector<SubmitOutcome>& out) {
  const std::string op = "response.submit";
  std::vector<std::size_t> pending = stored;
  std::vector<std::string> answers(batch.size());
  for (const std::size_t i : stored) {
    std::vector<std::string_view> options;
    options.reserve(batch[i].answers.size());
    for (const auto& [_, option] : batch[i].answers) options.push_back(option);
    answers_json::encode(answers[i], options);
  }
  for (int attempt = 0; !pending.empty(); ++attempt) {
    if (attempt == 8)
      throw StoreError(op + ": random response ids keep colliding; the random source is broken");
    std::map<std::int64_t, std::size_t> by_slot;  // in slot order: neither the table nor its log
    for (const std::size_t i : pending) {         // shows the order the batch arrived in
      for (;;) {
        out[i].id = random_id();
        const std::int64_t slot = answers_json::slot_of(batch[i].round_id, out[i].id);
        if (slot < 0)
          throw StoreError(op + ": round " + std::to_string(batch[i].round_id) +
                           " is beyond the ids the responses table can key");
        if (by_slot.emplace(slot, i).second) break;
      }
    }
    std::set<std::int64_t> inserted;
    auto it = by_slot.begin();
    while (it != by_slot.end()) {
      std::string sql =
          "INSERT INTO responses (slot, round_id, id, tool, day, layout, answers) VALUES ";
      Params params;
      for (std::size_t n = 0; n < kRowsPerInsert && it != by_slot.end(); ++n, ++it) {
        const std::size_t i = it->second;
        const NewResponse& r = batch[i];
        sql += n == 0 ? "(" : ", (";
        for (int c = 0; c < 7; ++c)
          sql += (c == 0 ? "$" : ", $") + std::to_string(params.size() + c + 1);
        sql += ")";
        params.insert(params.end(),
                      {it->first, r.round_id, out[i].id, std::string(tool_code(r.tool)), r.day,
                       layouts[i], answers[i]});
      }
      sql += " ON CONFLICT (slot) DO NOTHING RETURNING slot";
      db_->run(op, sql, params, [&](const Row& row) { inserted.insert(row.integer(0)); });
    }
    pending.clear();
    for (const auto& [slot, i] : by_slot) {
      if (!inserted.contains(slot)) pending.push_back(i);
    }
  }
}

std::map<ToolId, int> SqlStore::response_counts(std::int64_t round_id) {
  return read([&] {
    std::map<ToolId, int> counts{{ToolId::IIT, 0}, {ToolId::EIT, 0}};
    const auto [first, end] = answers_json::slots_of_round(round_id);
    db_->run("response.count",
             "SELECT tool, COUNT(*) FROM responses WHERE slot >= $1 AND slot < $2 GROUP BY tool",
             {first, end}, [&](const Row& row) {
               counts[stored_tool("response.count", row.text(0))] =
                   static_cast<int>(row.integer(1));
             });
    return counts;
  });
}

const std::vector<std::string>& SqlStore::layout_units(std::int64_t id) {
  {
    std::lock_guard lock(layouts_mutex_);
    if (auto it = units_by_layout_.find(id); it != units_by_layout_.end()) return it->second;
  }
  std::optional<std::string> text;
  db_->run("layout.read", "SELECT units FROM answer_layouts WHERE id = $1", {id},
           [&](const Row& row) { text = row.text(0); });
  if (!text)
    throw StoreError("layout.read: answer layout " + std::to_string(id) + " does not exist");
  answers_json::Decoder decoder;
  const auto* codes = decoder.decode(*text);
  if (codes == nullptr) {
    throw StoreError("layout.read: answer layout " + std::to_string(id) +
                     " is not a JSON array of strings");
  }
  std::lock_guard lock(layouts_mutex_);
  // A node-based map: the reference stays valid as other layouts are added.
  return units_by_layout_.try_emplace(id, codes->begin(), codes->end()).first->second;
}

void SqlStore::for_each_answer(std::int64_t round_id,
                               const std::function<void(const AnswerRow&)>& fn) {
  read([&] {
    answers_json::Decoder decoder;
    const auto [first, end] = answers_json::slots_of_round(round_id);
    // The round's layouts first: a connection may stream rows, and runs one statement at a time.
    std::map<std::int64_t, const std::vector<std::string>*> layouts;
    std::vector<std::int64_t> ids;
    db_->run("answers.read", "SELECT DISTINCT layout FROM responses WHERE slot >= $1 AND slot < $2",
             {first, end}, [&](const Row& row) { ids.push_back(row.integer(0)); });
    for (const std::int64_t id : ids) layouts.emplace(id, &layout_units(id));
    db_->run("answers.read",
             "SELECT tool, id, layout, answers FROM responses WHERE slot >= $1 AND slot < $2 "
             "ORDER BY slot",
             {first, end}, [&](const Row& row) {
               AnswerRow a{stored_tool("answers.read", row.text(0)), row.text(1), {}, {}};
               auto layout = layouts.find(row.integer(2));
               if (layout == layouts.end()) {  // cannot happen: both statements see one snapshot
                 throw StoreError("answers.read: a response of round " + std::to_string(round_id) +
                                  " has a layout the round's responses did not show");
               }
               const std::vector<std::string>& units = *layout->second;
               const std::string text = row.text(3);
               const auto* options = decoder.decode(text);
               if (options == nullptr || options->size() != units.size()) {
                 throw StoreError("answers.read: the answers of response " + a.response_id +
                                  " are not a JSON array of strings, one per unit of its layout");
               }
               // By unit (a layout's units are in byte order), as one row per answer was read
               // before schema version 3.
               for (std::size_t k = 0; k < units.size(); ++k) {
                 a.unit = units[k];
                 a.option = (*options)[k];
                 fn(a);
               }
             });
  });
}

// ---- OIT ----

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
      db_->run(action,
               "INSERT INTO oit_entries (" + kOitColumns +
                   ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (round_id, "
                   "item) DO UPDATE SET "
                   "url = excluded.url, note = excluded.note, stage = excluded.stage, verdict = "
                   "excluded.verdict, "
                   "review_comment = excluded.review_comment, appeal_explanation = "
                   "excluded.appeal_explanation, "
                   "final_verdict = excluded.final_verdict, final_comment = excluded.final_comment",
               {round_id, item, next.url, next.note, std::string(oit_stage_code(next.stage)),
                optional_value(next.verdict), next.review_comment, next.appeal_explanation,
                optional_value(next.final_verdict), next.final_comment});
    } catch (const ForeignKeyViolation&) {
      throw Conflict("round " + std::to_string(round_id) + " does not exist");
    }
    audit(by_user, action, oit_target(round_id, item), json_text(oit_detail(next)));
  });
}

void SqlStore::put_oit_evidence(std::int64_t round_id, const std::string& item,
                                const std::string& url, const std::string& note,
                                std::int64_t by_user) {
  change_oit(round_id, item, by_user, "oit.evidence",
             [&](OitEntry e) { return ita::submit_evidence(std::move(e), url, note); });
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

// ---- measures tracker ----

void SqlStore::put_measures_plan(std::int64_t round_id, const std::string& plan_json, std::int64_t by_user) {
  json plan;
  const std::set<std::string> ids = plan_measure_ids(plan_json, &plan);
  write([&] {
    const std::string op = "measures.plan";
    bool round_exists = false;
    db_->run(op, "SELECT 1 FROM rounds WHERE id = $1", {round_id}, [&](const Row&) { round_exists = true; });
    if (!round_exists) throw Conflict("round " + std::to_string(round_id) + " does not exist");
    bool replaced = false;
    db_->run(op, "SELECT 1 FROM measures_plans WHERE round_id = $1" + std::string(db_->row_lock()), {round_id},
             [&](const Row&) { replaced = true; });
    if (replaced) {
      // A plan may change, but not lose a measure that progress has been reported on.
      std::set<std::string> reported;
      db_->run(op, "SELECT DISTINCT measure_id FROM progress_reports WHERE round_id = $1", {round_id},
               [&](const Row& row) { reported.insert(row.text(0)); });
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
               "INSERT INTO measures_plans (round_id, plan_json, updated_by, updated_at) VALUES ($1, $2, $3, $4) "
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
    db_->run("measures.plan.read", "SELECT plan_json FROM measures_plans WHERE round_id = $1", {round_id},
             [&](const Row& row) { found = row.text(0); });
    return found;
  });
}

StoredProgressReport SqlStore::add_progress_report(std::int64_t round_id, const ProgressReport& report,
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
          "INSERT INTO progress_reports (round_id, measure_id, day, text, evidence_url, status, user_id, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
          {round_id, report.measure_id, format_iso_date(report.date), report.text_th, report.evidence_url,
           std::string(measure_status_code(report.status)), by_user, stored.created_at});
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
    db_->run("measures.progress.read",
             "SELECT " + kProgressColumns + " FROM progress_reports WHERE round_id = $1 ORDER BY id", {round_id},
             [&](const Row& row) { all.push_back(progress_from(row)); });
    return all;
  });
}

// ---- audit log ----

void SqlStore::log(const AuditEntry& e) {
  write([&] {
    db_->run(
        "audit.log",
        "INSERT INTO audit_log (at, user_id, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
        {e.at != 0 ? e.at : now_seconds(), optional_value(e.user_id), e.action, e.target,
         e.detail.empty() ? std::string("{}") : e.detail});
  });
}

std::vector<AuditEntry> SqlStore::audit_log(std::int64_t limit) {
  if (limit <= 0) return {};
  return read([&] {
    std::vector<AuditEntry> entries;
    db_->run("audit.read", "SELECT " + kAuditColumns + " FROM audit_log ORDER BY id DESC LIMIT $1",
             {limit}, [&](const Row& row) { entries.push_back(audit_from(row)); });
    return entries;
  });
}

}  // namespace ita::store::sql
