#pragma once
// The storage interface of the web application. Two backends implement it: SQLite (the
// default, one file) and PostgreSQL (libpq). Every method is one transaction: it either
// commits before returning or throws and leaves nothing behind.
//
// Anonymity (IIT/EIT): a response is stored as a random id, the round, the tool, the day of
// submission (no time of day) and its answers. No user, access code, IP address, user agent
// or precise time is stored with it, and access codes only record that they were used.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/edition.hpp"
#include "core/oit_workflow.hpp"
#include "core/tracker.hpp"

namespace ita::store {

// A failure of the database itself (connection, disk, constraint we did not expect).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A request the data forbids (duplicate e-mail, used access code, unknown round…).
class Conflict : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Role { Admin, Officer, Assessor, Viewer };
std::string role_code(Role r);  // "admin", "officer", "assessor", "viewer"
std::optional<Role> parse_role(const std::string& code);

// Whether a round accepts survey responses; stored as its code in rounds.status.
enum class RoundStatus { Open, Closed };
std::string round_status_code(RoundStatus s);                          // "open", "closed"
std::optional<RoundStatus> parse_round_status(std::string_view code);  // nothing if unknown

struct Agency {
  std::int64_t id = 0;
  std::string name;
  std::string district;
  std::string province;
  std::string type;  // e.g. เทศบาลตำบล
};

struct User {
  std::int64_t id = 0;
  std::string email;
  Role role = Role::Viewer;
  std::optional<std::int64_t> agency_id;  // officers and viewers belong to an agency
  std::string password_hash;              // argon2id string (libsodium crypto_pwhash_str)
};

struct Session {
  std::string token_hash;  // SHA-256 hex of the cookie value; the value itself is never stored
  std::int64_t user_id = 0;
  std::string csrf_token;
  std::int64_t expires_at = 0;  // unix seconds
};

struct Round {
  std::int64_t id = 0;
  std::int64_t agency_id = 0;
  std::string edition_id;  // e.g. "2566"
  int staff_count = 0;
  int service_users = 0;  // estimated external stakeholders
  std::string iit_token;  // public link tokens: /s/{token}
  std::string eit_token;
  bool access_codes_required = false;  // IIT answers need a single-use slip code
  RoundStatus status = RoundStatus::Open;
  bool practice = false;  // a try-out on an incomplete edition: its result is not an assessment
};

// An edition an administrator published (ita-edition/1 JSON, docs/editions.md); one per version.
struct PublishedEdition {
  std::string id;  // e.g. "2570"
  int version = 0;
  std::string json;
  std::optional<std::int64_t> published_by;
  std::int64_t published_at = 0;  // unix seconds
};

// One anonymous respondent's answers: answer unit code → option code.
struct NewResponse {
  std::int64_t round_id = 0;
  ToolId tool = ToolId::IIT;  // IIT or EIT; the store refuses OIT
  std::string day;            // submission day, "YYYY-MM-DD"
  std::map<std::string, std::string> answers;
  std::optional<std::string> access_code_hash;  // consumed in the same transaction
};

// What became of one response of a batch (Store::submit_responses, store::SubmissionWriter).
struct SubmitOutcome {
  enum class Status {
    Stored,   // committed: `id` is its random id
    Refused,  // the data forbids it (round closed, access code unknown or used): nothing stored
    Failed,   // its batch was not committed (database error, shutting down): nothing stored
  };
  // Why the store refused it: None unless `status` is Refused.
  enum class Refusal {
    None,
    RoundUnknown,             // no round has that id
    RoundClosed,              // the round accepts no more responses
    AccessCodeMissing,        // the round requires an access code for IIT and none was given
    AccessCodeUnknownOrUsed,  // the code is not one of the round's, or was used already
    Malformed,                // the store's own rules: a tool other than IIT/EIT, empty codes…
  };
  Status status = Status::Failed;
  Refusal refusal = Refusal::None;
  std::string id;
  std::string message;  // why, when not stored (the text a Conflict would carry when Refused)
};

struct AnswerRow {
  ToolId tool = ToolId::IIT;  // IIT or EIT
  std::string response_id;    // random, not ordered by time
  std::string unit;
  std::string option;
};

using ita::OitEntry;  // the workflow and its transitions live in core/oit_workflow.hpp
using ita::OitStage;

// A progress report on a measure of a round's plan, as stored (core/tracker.hpp).
struct StoredProgressReport {
  std::int64_t id = 0;  // increases in the order reports are recorded
  std::int64_t round_id = 0;
  ProgressReport report;
  std::int64_t user_id = 0;     // who recorded it
  std::int64_t created_at = 0;  // unix seconds
};

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t at = 0;  // unix seconds (administrative actions are not anonymous)
  std::optional<std::int64_t> user_id;
  std::string action;  // "agency.create", "round.create", "user.add", "oit.review", …
  std::string target;  // "agency:3", "round:7/O12", …
  std::string detail;  // JSON text
};

class Store {
 public:
  virtual ~Store() = default;

  // Brings the schema to the latest version (migrations in src/store/migrations/).
  virtual void migrate() = 0;
  virtual int schema_version() = 0;

  virtual Agency create_agency(const Agency& a, std::optional<std::int64_t> by_user) = 0;
  virtual std::optional<Agency> agency(std::int64_t id) = 0;
  virtual std::vector<Agency> agencies() = 0;

  virtual User create_user(
      const User& u, std::optional<std::int64_t> by_user) = 0;  // Conflict on duplicate e-mail
  virtual std::optional<User> user_by_email(const std::string& email) = 0;
  virtual std::optional<User> user(std::int64_t id) = 0;

  virtual void create_session(const Session& s) = 0;
  virtual std::optional<Session> session(const std::string& token_hash, std::int64_t now) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;
  virtual void create_api_token(const std::string& token_hash, std::int64_t user_id,
                                std::int64_t by_user) = 0;
  virtual std::optional<User> user_by_api_token(const std::string& token_hash) = 0;

  virtual Round create_round(const Round& r, std::int64_t by_user) = 0;
  virtual std::optional<Round> round(std::int64_t id) = 0;
  virtual std::optional<Round> round_by_token(
      const std::string& token) = 0;  // IIT or EIT link token
  virtual std::vector<Round> rounds_of_agency(std::int64_t agency_id) = 0;

  // Stores `json` as the next version of edition `id` (version 1 when new) and audits it.
  // Throws Conflict, storing nothing, when a round already uses `id`: the edition a round was
  // opened on never changes. The caller has validated the JSON.
  virtual PublishedEdition publish_edition(const std::string& id, const std::string& json,
                                           std::optional<std::int64_t> by_user) = 0;
  // The newest version of each published edition, ordered by id. Leaves the store unchanged.
  virtual std::vector<PublishedEdition> published_editions() = 0;
  // How many rounds use edition `id` (built-in or published).
  virtual int rounds_using_edition(const std::string& id) = 0;
  // Keeps an uploaded, checked edition for review under the random `token` (not audited: it is
  // not in force), and deletes drafts older than a day.
  virtual void save_edition_draft(const std::string& token, const std::string& json,
                                  std::int64_t by_user) = 0;
  // The JSON of the draft `token` uploaded by `user` within the last day, or nothing.
  virtual std::optional<std::string> edition_draft(const std::string& token, std::int64_t user) = 0;

  // Stores the hashes of single-use access codes for a round's IIT survey.
  virtual void add_access_codes(std::int64_t round_id, const std::vector<std::string>& code_hashes,
                                std::int64_t by_user) = 0;
  // Counts of access codes: {issued, used}.
  virtual std::pair<int, int> access_code_counts(std::int64_t round_id) = 0;

  // Stores one response durably; returns its random id. Throws Conflict if the access code is
  // unknown or already used (and then stores nothing).
  virtual std::string submit_response(const NewResponse& r) = 0;
  // Stores a batch of responses in ONE transaction (group commit). Each is checked in order as
  // submit_response checks it — a code consumed earlier in the same batch counts as used — and a
  // refused one leaves nothing, without affecting the others. The rows are written in the order
  // of their random ids, not of the batch. `before_commit` (may be empty) runs inside the
  // transaction just before COMMIT; anything that fails (the database, the commit, an exception
  // from `before_commit`) rolls the whole batch back and propagates: then none of it is stored.
  virtual std::vector<SubmitOutcome> submit_responses(
      const std::vector<NewResponse>& batch, const std::function<void()>& before_commit) = 0;
  // Number of responses per tool: IIT and EIT, each present (0 when none).
  virtual std::map<ToolId, int> response_counts(std::int64_t round_id) = 0;
  // Streams every answer of a round (in response-id order, not submission order).
  virtual void for_each_answer(std::int64_t round_id,
                               const std::function<void(const AnswerRow&)>& fn) = 0;

  // OIT: each call reads the entry, applies the transition of core/oit_workflow.hpp and writes
  // it back in one transaction; a step not allowed now propagates the core's InputError.
  virtual void put_oit_evidence(std::int64_t round_id, const std::string& item,
                                const std::string& url, const std::string& note,
                                std::int64_t by_user) = 0;
  virtual void review_oit(std::int64_t round_id, const std::string& item, bool pass,
                          const std::string& comment, std::int64_t by_user) = 0;
  virtual void appeal_oit(std::int64_t round_id, const std::string& item,
                          const std::string& explanation, std::int64_t by_user) = 0;
  virtual void confirm_oit(std::int64_t round_id, const std::string& item, bool pass,
                           const std::string& comment, std::int64_t by_user) = 0;
  virtual std::vector<OitEntry> oit_entries(std::int64_t round_id) = 0;

  // Measures tracker. The plan is "ita-measures/1" JSON text (docs/measures.md), one per round;
  // putting it again replaces it. Throws Conflict for an unknown round or user, InputError when
  // the text is not a JSON object with a "measures" array.
  virtual void put_measures_plan(std::int64_t round_id, const std::string& plan_json,
                                 std::int64_t by_user) = 0;
  virtual std::optional<std::string> measures_plan(std::int64_t round_id) = 0;
  // Records a report on a measure of the round's plan. Conflict when the round has no plan or
  // the user is unknown; InputError (field "measure_id") when the plan has no such measure.
  virtual StoredProgressReport add_progress_report(std::int64_t round_id,
                                                   const ProgressReport& report,
                                                   std::int64_t by_user) = 0;
  // Every report of the round, in the order they were recorded.
  virtual std::vector<StoredProgressReport> progress_reports(std::int64_t round_id) = 0;

  virtual void log(const AuditEntry& e) = 0;
  virtual std::vector<AuditEntry> audit_log(std::int64_t limit) = 0;
};

struct StoreOptions {
  // The connection commits small transactions continuously (the survey writer,
  // store/submission_writer.hpp). SQLite then copies its write-ahead log into the database file
  // on a thread of its own instead of inside the commit that crosses a size threshold (see
  // store/sqlite/sqlite_store.hpp); PostgreSQL checkpoints in its server anyway.
  bool continuous_writes = false;
};

// Opens a store: "postgresql://…" or "postgres://…" (libpq conninfo URL) for PostgreSQL,
// "sqlite:PATH" or a plain file path for SQLite. Runs the migrations.
std::unique_ptr<Store> open_store(const std::string& url, const StoreOptions& options = {});

}  // namespace ita::store
