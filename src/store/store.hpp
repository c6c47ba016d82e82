#pragma once
// The storage interface of the web application. Two backends implement it: SQLite (the
// default, one file) and PostgreSQL (libpq). Every method is one transaction: it either
// commits before returning or throws and leaves nothing behind.
//
// Anonymity (IIT/EIT): a response is stored as a random id, the round, the tool, the day of
// submission (no time of day) and its answers. No user, access code, IP address, user agent
// or precise time is stored with it, and access codes only record that they were used.
#include <chrono>
#include <cstddef>
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
#include "core/oit_readiness.hpp"
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

// A change of a round's lifecycle (Store::change_round); its audit action is "round.close",
// "round.reopen" or "round.closing_date".
enum class RoundChange { Close, Reopen, ClosingDate };

struct Agency {
  std::int64_t id = 0;
  std::string name;
  std::string district;
  std::string province;
  std::string type;  // e.g. เทศบาลตำบล
  // The agency's own website: an absolute http(s) URL (service/agencies checks it), "" when
  // unknown. Shown on its public OIT index page (/p/{agency}/oit/{year}). (An initializer, so
  // that the aggregates written before it, {id, name, district, province, type}, stay complete.)
  std::string website{};
};

struct User {
  std::int64_t id = 0;
  std::string email;
  Role role = Role::Viewer;
  std::optional<std::int64_t> agency_id;  // officers and viewers belong to an agency
  std::string password_hash;              // argon2id string (libsodium crypto_pwhash_str)
  // When the user was disabled (unix seconds): they cannot sign in, and their sessions and API
  // tokens no longer work. Nothing while they may sign in.
  std::optional<std::int64_t> disabled_at = std::nullopt;
};

// An API bearer token as `ita token list` shows it: never the token itself (the store keeps
// only its SHA-256).
struct ApiToken {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string email;  // the user's
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;                              // unix seconds; refused from then on
  std::optional<std::int64_t> last_used_at = std::nullopt;  // to the hour; nothing: never used
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
  // The last day (in Thailand, inclusive) it accepts responses; none: until it is closed.
  std::optional<std::chrono::year_month_day> closes_at = std::nullopt;
  std::optional<std::int64_t> closed_at =
      std::nullopt;  // unix seconds it was closed; none while Open
  // The IIT survey takes at most staff_count × this / 100 responses (response_cap); none: no cap.
  std::optional<int> response_cap_percent = std::nullopt;
};

// Whether `r` accepts responses on `day` (in Thailand): Closed when it was closed or when `day` is
// after its closing date, else Open. The one rule for the pages, the API, the survey and the
// store's write transaction alike.
RoundStatus effective_status(const Round& r, std::chrono::year_month_day day);

// How many responses of `tool` round `r` takes at most: for IIT, staff_count ×
// response_cap_percent / 100 rounded up, when both are set (the staff is a head count, so more
// responses than that are not genuine); none for EIT (its population is an estimate) or without
// a percentage. The store refuses a response past it inside its write transaction.
std::optional<std::int64_t> response_cap(const Round& r, ToolId tool);

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
  // The SHA-256 of the one-time value of the survey form it was sent with (add_form_token):
  // consumed in the same transaction, never stored with the response. None: the API.
  std::optional<std::string> form_token_hash = std::nullopt;
};

// What one step of mixing did (Store::mix_step).
struct MixStep {
  std::int64_t round_id = 0;  // the round it rewrote responses of
  std::int64_t rows = 0;      // how many
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
    RoundClosed,              // closed, or the response's day is after the round's closing date
    AccessCodeMissing,        // the round requires an access code for IIT and none was given
    AccessCodeUnknownOrUsed,  // the code is not one of the round's, or was used already
    Malformed,                // the store's own rules: a tool other than IIT/EIT, empty codes…
    CapReached,               // the round holds response_cap responses of the tool already
    FormAlreadySent,          // its form's one-time value is gone: used (or never issued)
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

// One item's outcome in an OIT readiness check (core/oit_readiness.hpp).
struct OitCheckResult {
  std::string item;
  ita::Readiness verdict = ita::Readiness::NoEvidence;
  std::string reason_th;
  std::string url;  // the URL the reason is about ("" for no evidence)
  int http_status = 0;
};

// A readiness check of a round's OIT evidence: started, then finished with its results (never
// changed after). A check whose server stopped mid-way stays unfinished.
struct OitCheck {
  std::int64_t id = 0;  // increases in the order checks start
  std::int64_t round_id = 0;
  std::optional<std::int64_t> by_user;  // none for `ita oit check` run by the operator
  std::int64_t started_at = 0;          // unix seconds
  std::optional<std::int64_t> finished_at;
  std::optional<double> predicted_oit;    // the OIT score if every likely-fine item passed
  std::optional<double> predicted_total;  // with the IIT and EIT scores as they stand
  std::vector<OitCheckResult> results;    // in item order; empty unless asked for or unfinished
};

// A progress report on a measure of a round's plan, as stored (core/tracker.hpp).
struct StoredProgressReport {
  std::int64_t id = 0;  // increases in the order reports are recorded
  std::int64_t round_id = 0;
  ProgressReport report;
  std::int64_t user_id = 0;     // who recorded it
  std::int64_t created_at = 0;  // unix seconds
};

// The last release of an open round's figures (service/release.hpp, README "No differencing"):
// the result as "ita-release/1" JSON text (io/result_snapshot.hpp), the respondents it covers and
// the day in Thailand it was taken.
struct ResultRelease {
  std::int64_t round_id = 0;
  int respondents_iit = 0;
  int respondents_eit = 0;
  std::string result_json;
  std::chrono::year_month_day released_on{};
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
  // The problems found in the database, one English line each; empty when none. `quick`: what
  // `ita serve` checks before it listens (SQLite: PRAGMA quick_check, a read of every page and
  // record, without CHECK constraints for a file over 64 MiB); otherwise everything `ita check`
  // checks (SQLite:
  // integrity_check and foreign_key_check; PostgreSQL: amcheck when installed, a read of every
  // row of every table) plus the application's own invariants. A schema newer than this binary
  // knows is a problem. Leaves the database unchanged; throws StoreError only when it cannot be
  // read at all.
  virtual std::vector<std::string> check(bool quick) = 0;

  virtual Agency create_agency(const Agency& a, std::optional<std::int64_t> by_user) = 0;
  virtual std::optional<Agency> agency(std::int64_t id) = 0;
  virtual std::vector<Agency> agencies() = 0;
  // Sets agency `agency_id`'s website to `website` (checked by the caller; "" removes it) and
  // returns the agency as stored; audited as "agency.website" with the address before and after.
  // Throws Conflict for an unknown agency, the store unchanged.
  virtual Agency set_agency_website(std::int64_t agency_id, const std::string& website,
                                    std::optional<std::int64_t> by_user) = 0;

  virtual User create_user(
      const User& u, std::optional<std::int64_t> by_user) = 0;  // Conflict on duplicate e-mail
  // The user whose e-mail equals `email` ignoring case (lower() of the database), disabled or not.
  virtual std::optional<User> user_by_email(const std::string& email) = 0;
  virtual std::optional<User> user(std::int64_t id) = 0;  // disabled or not
  // Disables user `id` at `now` and deletes their sessions, in one transaction; audited
  // ("user.disable"). Returns false, changing nothing, when no user with that id may sign in.
  virtual bool disable_user(std::int64_t id, std::int64_t now,
                            std::optional<std::int64_t> by_user) = 0;
  // Replaces user `id`'s password hash and deletes their sessions except the one whose token hash
  // is `keep_session` (the session that made the change), in one transaction; audited
  // ("user.password", without the hash). Returns false, changing nothing, for an unknown id.
  virtual bool set_password_hash(std::int64_t id, const std::string& password_hash,
                                 const std::optional<std::string>& keep_session,
                                 std::optional<std::int64_t> by_user) = 0;

  virtual void create_session(const Session& s) = 0;
  virtual std::optional<Session> session(const std::string& token_hash, std::int64_t now) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;
  // Registers the token whose SHA-256 is `token_hash` for `user_id` until `expires_at`; audited
  // ("api_token.create", with its id and expiry). Returns it as api_tokens() lists it. Conflict
  // for a hash already registered or an unknown user.
  virtual ApiToken create_api_token(const std::string& token_hash, std::int64_t user_id,
                                    std::int64_t expires_at,
                                    std::optional<std::int64_t> by_user) = 0;
  // The user of the token whose SHA-256 is `token_hash` when the token has not expired at `now`
  // and the user is not disabled; else nothing. Notes the token's use (at most once an hour, a
  // write of its own).
  virtual std::optional<User> user_by_api_token(const std::string& token_hash,
                                                std::int64_t now) = 0;
  // The API tokens of `user_id` (every user's when nothing), by id, expired ones included.
  virtual std::vector<ApiToken> api_tokens(std::optional<std::int64_t> user_id) = 0;
  // Deletes the token with id `id`; audited ("api_token.revoke"). Returns false, changing nothing,
  // when there is no such token.
  virtual bool revoke_api_token(std::int64_t id, std::optional<std::int64_t> by_user) = 0;

  virtual Round create_round(const Round& r, std::int64_t by_user) = 0;
  virtual std::optional<Round> round(std::int64_t id) = 0;
  virtual std::optional<Round> round_by_token(
      const std::string& token) = 0;  // IIT or EIT link token
  // The rounds of agency `agency_id`, by id. Leaves the store unchanged.
  virtual std::vector<Round> rounds_of_agency(std::int64_t agency_id) = 0;
  // Every round of every agency, by id (the API's list of rounds). Leaves the store unchanged.
  virtual std::vector<Round> rounds() = 0;
  // Applies `change` to round `id` and sets its closing date to `closes_at`, in one transaction,
  // audited for `by_user` (none: the command line) with the status and closing date before and
  // after; returns the round as stored. Close: status Closed, closed_at now; Reopen: status Open,
  // no closed_at; ClosingDate: only the date. The caller decides whether the change is allowed
  // (service/rounds.hpp). Throws Conflict, changing nothing, when there is no round `id`.
  virtual Round change_round(std::int64_t id, RoundChange change,
                             std::optional<std::chrono::year_month_day> closes_at,
                             std::optional<std::int64_t> by_user) = 0;

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
  // As add_access_codes, but only by consuming the one-time form value whose SHA-256 is
  // `form_token_hash` (kept by add_form_token for round `round_id`) in the same transaction:
  // returns false and stores nothing when that value is gone (the batch was issued already).
  virtual bool add_access_codes_once(std::int64_t round_id, const std::string& form_token_hash,
                                     const std::vector<std::string>& code_hashes,
                                     std::int64_t by_user) = 0;
  // Counts of access codes: {issued, used}.
  virtual std::pair<int, int> access_code_counts(std::int64_t round_id) = 0;

  // Keeps the SHA-256 `token_hash` of a survey form's one-time value for round `round_id` until
  // `expires_at` (unix seconds), for submit_responses to consume, and deletes the values that
  // expired more than an hour ago. Throws Conflict for an unknown round or a hash kept already.
  virtual void add_form_token(const std::string& token_hash, std::int64_t round_id,
                              std::int64_t expires_at) = 0;

  // Stores one response durably; returns its random id. Throws Conflict if the access code is
  // unknown or already used (and then stores nothing).
  virtual std::string submit_response(const NewResponse& r) = 0;
  // Stores a batch of responses in ONE transaction (group commit). Each is checked in order as
  // submit_response checks it — a code consumed earlier in the same batch counts as used — and a
  // refused one leaves nothing, without affecting the others. The checks, in order: the round
  // exists and is open on the response's day; an access code is given where required; the
  // response is well formed; its form's one-time value (form_token_hash) is consumed — gone:
  // FormAlreadySent; the round holds fewer than response_cap responses of the tool (under a row
  // lock of its tally, counting those admitted earlier in the batch); the access code is
  // consumed. A response refused after its form's value was consumed gives the value back. The
  // rows are written in the order of their random ids, not of the batch. `before_commit` (may
  // be empty) runs inside the transaction just before COMMIT; anything that fails (the database,
  // the commit, an exception from `before_commit`) rolls the whole batch back and propagates:
  // then none of it is stored.
  virtual std::vector<SubmitOutcome> submit_responses(
      const std::vector<NewResponse>& batch, const std::function<void()>& before_commit) = 0;
  // Number of responses per tool: IIT and EIT, each present (0 when none).
  virtual std::map<ToolId, int> response_counts(std::int64_t round_id) = 0;
  // Streams every answer of a round (in response-id order, not submission order).
  virtual void for_each_answer(std::int64_t round_id,
                               const std::function<void(const AnswerRow&)>& fn) = 0;

  // Mixing (README, "Threat model for anonymity"): storing a response marks its round; mixing
  // rewrites a marked round's responses in key order, so that where their rows lie in the
  // database's files (and, on PostgreSQL, which transaction wrote them) no longer tells the
  // order they arrived in. Contents, ids and counts are unchanged.
  //
  // One step, one transaction: rewrites at most `max_rows` (≥ 1) responses of the round whose
  // mixing is under way, else of the first marked round whose id is above `after_round` (0: any),
  // which it starts. Returns that round and the rows rewritten. When there is none, it makes the
  // database let go of the old copies of the rows rewritten since it last did (SQLite: checkpoint
  // and truncate the write-ahead log; PostgreSQL: VACUUM the table) and returns nothing. A round
  // that gets responses while it is being mixed stays marked. Throws StoreError; a failed step
  // changes nothing.
  virtual std::optional<MixStep> mix_step(std::int64_t after_round, std::size_t max_rows) = 0;
  // Mixes every marked round (mix_step until it returns nothing); returns the rows rewritten.
  virtual std::int64_t mix_responses() = 0;

  // OIT: each call reads the entry, applies the transition of core/oit_workflow.hpp and writes
  // it back in one transaction; a step not allowed now propagates the core's InputError.
  // put_oit_evidence: 1 to 10 distinct URLs (core submit_evidence); the string form puts {url}.
  virtual void put_oit_evidence(std::int64_t round_id, const std::string& item,
                                const std::vector<std::string>& urls, const std::string& note,
                                std::int64_t by_user) = 0;
  void put_oit_evidence(std::int64_t round_id, const std::string& item, const std::string& url,
                        const std::string& note, std::int64_t by_user) {
    put_oit_evidence(round_id, item, std::vector<std::string>{url}, note, by_user);
  }
  virtual void review_oit(std::int64_t round_id, const std::string& item, bool pass,
                          const std::string& comment, std::int64_t by_user) = 0;
  virtual void appeal_oit(std::int64_t round_id, const std::string& item,
                          const std::string& explanation, std::int64_t by_user) = 0;
  // The agency declines to appeal a fail (core decline_appeal); audited as "oit.decline".
  virtual void decline_oit_appeal(std::int64_t round_id, const std::string& item,
                                  std::int64_t by_user) = 0;
  virtual void confirm_oit(std::int64_t round_id, const std::string& item, bool pass,
                           const std::string& comment, std::int64_t by_user) = 0;
  virtual std::vector<OitEntry> oit_entries(std::int64_t round_id) = 0;

  // OIT readiness checks. start_oit_check records a check begun now and returns its id (throws
  // Conflict for an unknown round or user); finish_oit_check stores its results and predictions
  // in one transaction, audited as "oit.check" (throws Conflict unless the check exists and is
  // unfinished: results are written once).
  virtual std::int64_t start_oit_check(std::int64_t round_id, std::optional<std::int64_t> by_user,
                                       std::int64_t now) = 0;
  virtual void finish_oit_check(const OitCheck& check, std::int64_t now) = 0;
  // The round's checks, newest first, at most `limit`; each with its results when
  // `with_results`. Unknown rounds have none.
  virtual std::vector<OitCheck> oit_checks(std::int64_t round_id, std::size_t limit,
                                           bool with_results) = 0;
  // Check `check_id` of round `round_id` with its results, or nothing (another round's check
  // too). Leaves the store unchanged.
  virtual std::optional<OitCheck> oit_check(std::int64_t round_id, std::int64_t check_id) = 0;

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

  // Releases of open rounds' figures (service/release.hpp). Round `round_id`'s last release, or
  // nothing. Leaves the store unchanged.
  virtual std::optional<ResultRelease> result_release(std::int64_t round_id) = 0;
  // Every round's last release, in round id order (the national dashboard). Leaves the store
  // unchanged.
  virtual std::vector<ResultRelease> result_releases() = 0;
  // Stores `next` as its round's release, in one transaction, only if the release stored now is
  // still `replacing` (the same respondent counts; none: no release stored yet). Returns whether it
  // stored it: of two readers that computed a release from the same predecessor only the first
  // one's is kept, and the other reads that one again. Not audited (a release is a reading, not an
  // administrative change). Throws Conflict, storing nothing, when there is no round
  // `next.round_id`.
  virtual bool replace_result_release(const ResultRelease& next,
                                      const std::optional<ResultRelease>& replacing) = 0;

  virtual void log(const AuditEntry& e) = 0;
  virtual std::vector<AuditEntry> audit_log(std::int64_t limit) = 0;
};

struct StoreOptions {
  // The connection commits small transactions continuously (the survey writer,
  // store/submission_writer.hpp). SQLite then copies its write-ahead log into the database file
  // on a thread of its own instead of inside the commit that crosses a size threshold (see
  // store/sqlite/sqlite_store.hpp); PostgreSQL checkpoints in its server anyway.
  bool continuous_writes = false;
  // Brings the schema up to date on opening. `ita check` and the check before `ita serve` open
  // without, so that they look at the database as it is.
  bool migrate = true;
  // A SQLite file that does not exist is a StoreError ("no database at PATH") instead of a new
  // empty database: for commands that work on an existing one, where a mistyped path must not
  // create one.
  bool must_exist = false;
};

// The file of a SQLite URL ("sqlite:PATH", "sqlite://PATH" or a plain path); nothing for a
// PostgreSQL URL ("postgresql://…", "postgres://…"). StoreError when no file is named.
std::optional<std::string> sqlite_file(const std::string& url);

// Opens a store: "postgresql://…" or "postgres://…" (libpq conninfo URL) for PostgreSQL,
// "sqlite:PATH" or a plain file path for SQLite. Runs the migrations unless options.migrate is
// false.
std::unique_ptr<Store> open_store(const std::string& url, const StoreOptions& options = {});

}  // namespace ita::store
