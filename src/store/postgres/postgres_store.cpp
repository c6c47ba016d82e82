#include "store/postgres/postgres_store.hpp"

#include <libpq-fe.h>

#include <exception>

#include "store/postgres/handle.hpp"
#include "store/postgres/postgres_maintenance.hpp"
#include "store/sql_store.hpp"

namespace ita::store {
namespace {

using sql::Params;
using sql::Row;
using sql::RowFn;

using postgres::Handle;
using postgres::parse_integer;
using postgres::Result;

constexpr std::int64_t kMigrationLockKey = 0x6f70656e697461;  // "openita"

class PostgresRow final : public Row {
 public:
  PostgresRow(const PGresult* r, int row) : r_(r), row_(row) {}
  bool is_null(int column) const override { return PQgetisnull(r_, row_, column) != 0; }
  std::int64_t integer(int column) const override { return parse_integer(value(column)); }
  std::string text(int column) const override { return std::string(value(column)); }
  bool boolean(int column) const override { return value(column) == "t"; }

 private:
  std::string_view value(int column) const {
    return {PQgetvalue(r_, row_, column), static_cast<std::size_t>(PQgetlength(r_, row_, column))};
  }
  const PGresult* r_;
  int row_;
};

class PostgresConnection final : public sql::Connection {
 public:
  explicit PostgresConnection(const std::string& url);

  std::int64_t run(std::string_view op, const std::string& sql, const Params& params,
                   const RowFn& on_row) override;
  void run_script(std::string_view op, std::string_view sql) override;
  void begin(bool write) override;
  void commit() override;
  void rollback() noexcept override { db_.exec_quietly("ROLLBACK"); }
  void lock_for_migration() override {
    run("migrate", "SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}, {});
  }
  const std::vector<Migration>& migrations() const override { return postgres_migrations(); }
  std::string_view row_lock() const override { return " FOR UPDATE"; }
  std::int64_t rewrite_in_slot_order(std::string_view op, std::int64_t first,
                                     std::int64_t end) override;
  bool release_old_copies(std::string_view op) override;
  std::vector<std::string> storage_problems(bool quick) override {
    return postgres::storage_problems(db_, quick);
  }
  bool has_table(const std::string& name) override { return postgres::has_table(db_, name); }

 private:
  Handle db_;
};

// synchronous_commit=on whatever the server's default: a COMMIT (and so an acknowledged survey
// response) returns only once its WAL is flushed; group commit pays that once per batch.
PostgresConnection::PostgresConnection(const std::string& url)
    : db_(url, {"-c synchronous_commit=on", sql::Constraints::AsConflicts}) {}

void PostgresConnection::begin(bool write) {
  db_.reconnect_if_lost();
  // Reads see one snapshot for all their statements (as SQLite's do): a read-only transaction
  // at REPEATABLE READ never fails to serialise.
  const std::string statement = write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  try {
    run("begin", statement, {}, {});
  } catch (const StoreError&) {
    // A connection the server closed while idle (restart, idle timeout) only shows when used.
    // Nothing has happened in this transaction yet, so reconnecting and retrying once is safe.
    if (PQstatus(db_.get()) == CONNECTION_OK) throw;
    db_.reconnect_if_lost();
    run("begin", statement, {}, {});
  }
}

void PostgresConnection::commit() {
  const Result r(PQexec(db_.get(), "COMMIT"));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) db_.fail("commit", r.get());
  // COMMIT of a transaction that already failed answers ROLLBACK instead of an error.
  if (std::string_view(PQcmdStatus(r.get())) != "COMMIT") {
    throw StoreError("commit: the transaction had failed and was rolled back [" + db_.where() +
                     "]");
  }
}

std::int64_t PostgresConnection::run(std::string_view op, const std::string& sql,
                                     const Params& params, const RowFn& on_row) {
  std::vector<std::string> numbers(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::int64_t>) {
            numbers[i] = std::to_string(v);
            values[i] = numbers[i].c_str();
          } else if constexpr (std::is_same_v<T, bool>) {
            values[i] = v ? "true" : "false";
          } else if constexpr (std::is_same_v<T, std::string>) {
            values[i] = v.c_str();
          }
        },
        params[i]);
  }
  if (!PQsendQueryParams(db_.get(), sql.c_str(), static_cast<int>(params.size()), nullptr,
                         values.data(), nullptr, nullptr, 0)) {
    throw StoreError(std::string(op) + ": sending the statement failed: " + db_.last_error() +
                     " [" + db_.where() + "]");
  }
  PQsetSingleRowMode(db_.get());  // rows stream one by one instead of the whole result in memory

  // Every result must be read before the connection takes the next statement, even after a
  // failure, so the first failure is kept and rethrown at the end.
  std::int64_t changed = 0;
  std::exception_ptr failure;
  while (Result r{PQgetResult(db_.get())}) {
    if (failure) continue;
    try {
      const ExecStatusType status = PQresultStatus(r.get());
      if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        db_.fail(op, r.get());
      for (int row = 0; on_row && row < PQntuples(r.get()); ++row)
        on_row(PostgresRow(r.get(), row));
      const std::string_view tuples = PQcmdTuples(r.get());
      if (status != PGRES_SINGLE_TUPLE && !tuples.empty()) changed = parse_integer(tuples);
    } catch (...) {
      failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  return changed;
}

void PostgresConnection::run_script(std::string_view op, std::string_view sql) {
  db_.exec(op, std::string(sql));
}

// One statement: the rows deleted are exactly the rows inserted again (a response another
// server stores meanwhile is neither), the new versions all carry this transaction's id (xmin)
// and lie on the heap (ctid) in slot order. A key deleted by this same transaction does not
// conflict with its new version.
std::int64_t PostgresConnection::rewrite_in_slot_order(std::string_view op, std::int64_t first,
                                                       std::int64_t end) {
  return run(op,
             "WITH moved AS (DELETE FROM responses WHERE slot >= $1 AND slot < $2 RETURNING slot, "
             "round_id, id, tool, day, layout, answers) INSERT INTO responses (slot, round_id, "
             "id, tool, day, layout, answers) SELECT slot, round_id, id, tool, day, layout, "
             "answers FROM moved ORDER BY slot",
             {first, end}, {});
}

// The old versions of the rewritten rows stay in the heap, dead, where they were written, and
// the primary key keeps an entry for each (its slot and old ctid: where it was written) until
// VACUUM removes them. INDEX_CLEANUP ON: VACUUM would otherwise skip the index when few pages
// have dead rows. Their bytes stay until new rows overwrite them (README, "Threat model for
// anonymity"). VACUUM cannot run inside a transaction.
bool PostgresConnection::release_old_copies(std::string_view op) {
  db_.reconnect_if_lost();
  run(op, "VACUUM (INDEX_CLEANUP ON) responses, rounds_to_mix, rounds_being_mixed", {}, {});
  return true;
}
}  // namespace

std::unique_ptr<Store> open_postgres_store(const std::string& url, const StoreOptions& options) {
  auto store = std::make_unique<sql::SqlStore>(std::make_unique<PostgresConnection>(url));
  if (options.migrate) store->migrate();
  return store;
}

}  // namespace ita::store
