#pragma once
// The Store, written once over a minimal SQL connection. The SQLite and PostgreSQL backends
// differ only in their Connection. Statements use $1, $2… placeholders (PostgreSQL's syntax,
// which SQLite reads as named parameters) and the SQL both databases speak; every value is a
// bound parameter. SqlStore is defined in one file per area (sql_store.cpp for transactions,
// migrations and the audit log; sql_accounts, sql_rounds, sql_responses, sql_oit, sql_tracker),
// over the row mappings of sql_rows.hpp.
//
// Threads: one connection guarded by one mutex, so calls are serialised. That is simple and
// correct; a pool of readers is a later optimisation. for_each_answer calls its callback while
// holding the lock: the callback must not call the store (it gets a StoreError if it does).
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "store/migrations.hpp"
#include "store/store.hpp"

namespace ita::store::sql {

using Value = std::variant<std::nullptr_t, std::int64_t, std::string, bool>;
using Params = std::vector<Value>;

// One result row, valid only during the callback that receives it.
class Row {
 public:
  virtual ~Row() = default;
  virtual bool is_null(int column) const = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual std::string text(int column) const = 0;
  virtual bool boolean(int column) const = 0;
};
using RowFn = std::function<void(const Row&)>;

// Constraint violations a connection reports; the store rethrows them as Conflicts that name
// the thing in conflict.
class UniqueViolation : public Conflict {
 public:
  using Conflict::Conflict;
};
class ForeignKeyViolation : public Conflict {
 public:
  using Conflict::Conflict;
};
// How a backend's handle (sqlite/handle.hpp, postgres/handle.hpp) reports a violated UNIQUE or
// FOREIGN KEY constraint: as the Conflicts above, for the store's Connection, or as a StoreError
// like any other failure, for the bulk loader and the national reader.
enum class Constraints { AsConflicts, AsStoreErrors };

class Connection {
 public:
  virtual ~Connection() = default;

  // Runs one parameterised statement, calling on_row for each result row. Returns the number
  // of rows an INSERT/UPDATE/DELETE changed. `op` names the operation in error messages.
  virtual std::int64_t run(std::string_view op, const std::string& sql, const Params& params,
                           const RowFn& on_row = {}) = 0;
  // Runs a fixed multi-statement script without parameters (migrations only).
  virtual void run_script(std::string_view op, std::string_view sql) = 0;

  virtual void begin(bool write) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  // Inside a write transaction: keeps other processes from migrating at the same time.
  virtual void lock_for_migration() = 0;
  virtual const std::vector<Migration>& migrations() const = 0;
  // Appended to a SELECT that is followed by an UPDATE of the same row ("" where the write
  // transaction already excludes other writers).
  virtual std::string_view row_lock() const = 0;

  // Inside a transaction: what the backend's own checks of its storage find, one line each
  // (Store::check; sqlite/sqlite_maintenance.hpp, postgres/postgres_maintenance.hpp).
  virtual std::vector<std::string> storage_problems(bool quick) = 0;
  // Whether the table `name` exists (PostgreSQL: on the search path).
  virtual bool has_table(const std::string& name) = 0;

  // Mixing (sql_mixing.cpp), inside a write transaction: deletes the responses whose slot is in
  // [first, end) and inserts the same rows again in slot order. Returns how many it rewrote.
  virtual std::int64_t rewrite_in_slot_order(std::string_view op, std::int64_t first,
                                             std::int64_t end) = 0;
  // Mixing, outside any transaction, after rows were rewritten: makes the database let go of
  // the copies that still show where the rows were before (SQLite: the write-ahead log is
  // checkpointed and truncated; PostgreSQL: VACUUM). Returns false when that cannot be done now
  // (SQLite: a reader still uses the log); it is tried again later.
  virtual bool release_old_copies(std::string_view op) = 0;
};

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Connection> connection);

  void migrate() override;
  int schema_version() override;
  std::vector<std::string> check(bool quick) override;  // sql_check.cpp

  Agency create_agency(const Agency& a, std::optional<std::int64_t> by_user) override;
  std::optional<Agency> agency(std::int64_t id) override;
  std::vector<Agency> agencies() override;
  Agency set_agency_website(std::int64_t agency_id, const std::string& website,
                            std::optional<std::int64_t> by_user) override;

  User create_user(const User& u, std::optional<std::int64_t> by_user) override;
  std::optional<User> user_by_email(const std::string& email) override;
  std::optional<User> user(std::int64_t id) override;
  bool disable_user(std::int64_t id, std::int64_t now,
                    std::optional<std::int64_t> by_user) override;
  bool set_password_hash(std::int64_t id, const std::string& password_hash,
                         const std::optional<std::string>& keep_session,
                         std::optional<std::int64_t> by_user) override;

  void create_session(const Session& s) override;
  std::optional<Session> session(const std::string& token_hash, std::int64_t now) override;
  void delete_session(const std::string& token_hash) override;
  ApiToken create_api_token(const std::string& token_hash, std::int64_t user_id,
                            std::int64_t expires_at, std::optional<std::int64_t> by_user) override;
  std::optional<User> user_by_api_token(const std::string& token_hash, std::int64_t now) override;
  std::vector<ApiToken> api_tokens(std::optional<std::int64_t> user_id) override;
  bool revoke_api_token(std::int64_t id, std::optional<std::int64_t> by_user) override;

  Round create_round(const Round& r, std::int64_t by_user) override;
  std::optional<Round> round(std::int64_t id) override;
  std::optional<Round> round_by_token(const std::string& token) override;
  std::vector<Round> rounds_of_agency(std::int64_t agency_id) override;
  std::vector<Round> rounds() override;
  Round change_round(std::int64_t id, RoundChange change,
                     std::optional<std::chrono::year_month_day> closes_at,
                     std::optional<std::int64_t> by_user) override;

  PublishedEdition publish_edition(const std::string& id, const std::string& json,
                                   std::optional<std::int64_t> by_user) override;
  std::vector<PublishedEdition> published_editions() override;
  int rounds_using_edition(const std::string& id) override;
  void save_edition_draft(const std::string& token, const std::string& json,
                          std::int64_t by_user) override;
  std::optional<std::string> edition_draft(const std::string& token, std::int64_t user) override;

  void add_access_codes(std::int64_t round_id, const std::vector<std::string>& code_hashes,
                        std::int64_t by_user) override;
  bool add_access_codes_once(std::int64_t round_id, const std::string& form_token_hash,
                             const std::vector<std::string>& code_hashes,
                             std::int64_t by_user) override;
  std::pair<int, int> access_code_counts(std::int64_t round_id) override;
  void add_form_token(const std::string& token_hash, std::int64_t round_id,
                      std::int64_t expires_at) override;

  std::string submit_response(const NewResponse& r) override;
  std::vector<SubmitOutcome> submit_responses(const std::vector<NewResponse>& batch,
                                              const std::function<void()>& before_commit) override;
  std::map<ToolId, int> response_counts(std::int64_t round_id) override;
  void for_each_answer(std::int64_t round_id,
                       const std::function<void(const AnswerRow&)>& fn) override;
  std::optional<MixStep> mix_step(std::int64_t after_round, std::size_t max_rows) override;
  std::int64_t mix_responses() override;  // sql_mixing.cpp

  using Store::put_oit_evidence;  // the single-URL form
  void put_oit_evidence(std::int64_t round_id, const std::string& item,
                        const std::vector<std::string>& urls, const std::string& note,
                        std::int64_t by_user) override;
  void review_oit(std::int64_t round_id, const std::string& item, bool pass,
                  const std::string& comment, std::int64_t by_user) override;
  void appeal_oit(std::int64_t round_id, const std::string& item, const std::string& explanation,
                  std::int64_t by_user) override;
  void decline_oit_appeal(std::int64_t round_id, const std::string& item,
                          std::int64_t by_user) override;
  void confirm_oit(std::int64_t round_id, const std::string& item, bool pass,
                   const std::string& comment, std::int64_t by_user) override;
  std::vector<OitEntry> oit_entries(std::int64_t round_id) override;
  std::int64_t start_oit_check(std::int64_t round_id, std::optional<std::int64_t> by_user,
                               std::int64_t now) override;
  void finish_oit_check(const OitCheck& check, std::int64_t now) override;
  std::vector<OitCheck> oit_checks(std::int64_t round_id, std::size_t limit,
                                   bool with_results) override;
  std::optional<OitCheck> oit_check(std::int64_t round_id, std::int64_t check_id) override;

  void put_measures_plan(std::int64_t round_id, const std::string& plan_json,
                         std::int64_t by_user) override;
  std::optional<std::string> measures_plan(std::int64_t round_id) override;
  StoredProgressReport add_progress_report(std::int64_t round_id, const ProgressReport& report,
                                           std::int64_t by_user) override;
  std::vector<StoredProgressReport> progress_reports(std::int64_t round_id) override;

  std::optional<ResultRelease> result_release(std::int64_t round_id) override;
  std::vector<ResultRelease> result_releases() override;
  bool replace_result_release(const ResultRelease& next,
                              const std::optional<ResultRelease>& replacing) override;

  void log(const AuditEntry& e) override;
  std::vector<AuditEntry> audit_log(std::int64_t limit) override;

 private:
  // Runs `body` in one transaction under the store's lock: commits when it returns, rolls back
  // and rethrows when it throws (sql_store.cpp). read() and write() return what `body` returns.
  void transaction(bool write, const std::function<void()>& body);
  // check's work inside its read transaction, into `problems` (sql_check.cpp).
  void check_in_transaction(bool quick, std::vector<std::string>& problems);
  // Runs `body` under the store's lock outside any transaction (VACUUM cannot run inside one).
  void locked(const std::function<void()>& body);
  template <class Body>
  auto in_transaction(bool write, Body& body) {
    using Result = std::invoke_result_t<Body&>;
    if constexpr (std::is_void_v<Result>) {
      transaction(write, body);
    } else {
      std::optional<Result> result;
      transaction(write, [&] { result.emplace(body()); });
      return std::move(*result);
    }
  }
  template <class Body>
  auto read(Body&& body) {
    return in_transaction(false, body);
  }
  template <class Body>
  auto write(Body&& body) {
    return in_transaction(true, body);
  }

  std::int64_t insert_returning_id(std::string_view op, const std::string& sql,
                                   const Params& params);
  void insert_rows(std::string_view op, const std::string& insert_prefix, std::size_t columns,
                   const std::vector<Params>& rows);
  // Answer layouts (store/answers_json.hpp): the id of each set of units, added when new; the
  // units of a layout (inside a transaction). Both cached: a layout row never changes.
  std::vector<std::int64_t> layout_ids(const std::vector<std::string>& units);
  const std::vector<std::string>& layout_units(std::int64_t id);
  void insert_responses(const std::vector<NewResponse>& batch,
                        const std::vector<std::int64_t>& layouts,
                        const std::vector<std::size_t>& stored, std::vector<SubmitOutcome>& out);
  // Inside the write transaction of submit_responses: marks the rounds of the responses `stored`
  // (indices into `batch`) for mixing (sql_mixing.cpp).
  void mark_for_mixing(const std::vector<NewResponse>& batch,
                       const std::vector<std::size_t>& stored);
  void audit(std::optional<std::int64_t> user_id, std::string_view action,
             const std::string& target, const std::string& detail);
  // Inside a write transaction: the rows of add_access_codes and their audit entry.
  void insert_access_codes(std::int64_t round_id, const std::vector<std::string>& code_hashes,
                           std::int64_t by_user);
  void change_oit(std::int64_t round_id, const std::string& item, std::int64_t by_user,
                  std::string_view action, const std::function<OitEntry(OitEntry)>& step);

  std::mutex mutex_;
  std::atomic<std::thread::id> holder_{};  // the thread inside a transaction, to catch re-entry
  std::unique_ptr<Connection> db_;
  // Rows may have been rewritten by mixing since the database last let go of their old copies
  // (Connection::release_old_copies); unknown at first (a process before may have stopped in
  // between). Guarded by mutex_.
  bool old_copies_kept_ = true;
  std::mutex layouts_mutex_;
  std::map<std::string, std::int64_t, std::less<>> layout_by_units_;
  std::map<std::int64_t, std::vector<std::string>> units_by_layout_;
};

}  // namespace ita::store::sql
