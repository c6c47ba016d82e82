#include "store/postgres/postgres_store.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <exception>

#include "store/sql_store.hpp"

namespace ita::store {
namespace {

using sql::Params;
using sql::Row;
using sql::RowFn;

struct FinishConnection {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ClearResult {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ClearResult>;

constexpr std::string_view kUniqueViolation = "23505";
constexpr std::string_view kForeignKeyViolation = "23503";
constexpr std::int64_t kMigrationLockKey = 0x6f70656e697461;  // "openita"

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::int64_t parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    throw StoreError("PostgreSQL returned '" + std::string(text) +
                     "' where an integer was expected");
  }
  return value;
}

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
  void rollback() noexcept override { Result(PQexec(conn_.get(), "ROLLBACK")); }
  void lock_for_migration() override {
    run("migrate", "SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}, {});
  }
  const std::vector<Migration>& migrations() const override { return postgres_migrations(); }
  std::string_view row_lock() const override { return " FOR UPDATE"; }

 private:
  std::string where() const;
  [[noreturn]] void fail(std::string_view op, const PGresult* r) const;
  void reconnect_if_lost();

  std::unique_ptr<PGconn, FinishConnection> conn_;
};

PostgresConnection::PostgresConnection(const std::string& url) {
  // The URL comes last, so its own settings win over these defaults. synchronous_commit=on
  // whatever the server's default: a COMMIT (and so an acknowledged survey response) returns
  // only once its WAL is flushed; group commit pays that once per batch.
  const char* const keys[] = {"connect_timeout", "client_encoding", "options", "dbname", nullptr};
  const char* const values[] = {"10", "UTF8", "-c synchronous_commit=on", url.c_str(), nullptr};
  conn_.reset(PQconnectdbParams(keys, values, 1));
  if (!conn_) throw StoreError("connecting to PostgreSQL: out of memory");
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    throw StoreError("connecting to " + where() + ": " + trimmed(PQerrorMessage(conn_.get())));
  }
  // Notices such as "relation already exists, skipping" are expected; keep them off stderr.
  PQsetNoticeProcessor(
      conn_.get(), [](void*, const char*) {}, nullptr);
}

// Names the server without the password the URL may hold.
std::string PostgresConnection::where() const {
  const char* db = PQdb(conn_.get());
  const char* host = PQhost(conn_.get());
  const char* port = PQport(conn_.get());
  return std::string("PostgreSQL database ") + (db ? db : "?") + " on " + (host ? host : "?") +
         ":" + (port ? port : "?");
}

// Only the primary message: DETAIL lines quote row values, which may be answers.
void PostgresConnection::fail(std::string_view op, const PGresult* r) const {
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  const std::string text = std::string(op) + ": " +
                           (primary ? std::string(primary) : trimmed(PQerrorMessage(conn_.get())));
  const std::string_view code = state ? state : "";
  if (code == kUniqueViolation) throw sql::UniqueViolation(text);
  if (code == kForeignKeyViolation) throw sql::ForeignKeyViolation(text);
  throw StoreError(text + (code.empty() ? "" : " (SQLSTATE " + std::string(code) + ")") + " [" +
                   where() + "]");
}

void PostgresConnection::reconnect_if_lost() {
  if (PQstatus(conn_.get()) == CONNECTION_OK) return;
  PQreset(conn_.get());
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    throw StoreError("reconnecting to " + where() + ": " + trimmed(PQerrorMessage(conn_.get())));
  }
}

void PostgresConnection::begin(bool write) {
  reconnect_if_lost();
  // Reads see one snapshot for all their statements (as SQLite's do): a read-only transaction
  // at REPEATABLE READ never fails to serialise.
  const std::string statement = write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  try {
    run("begin", statement, {}, {});
  } catch (const StoreError&) {
    // A connection the server closed while idle (restart, idle timeout) only shows when used.
    // Nothing has happened in this transaction yet, so reconnecting and retrying once is safe.
    if (PQstatus(conn_.get()) == CONNECTION_OK) throw;
    reconnect_if_lost();
    run("begin", statement, {}, {});
  }
}

void PostgresConnection::commit() {
  const Result r(PQexec(conn_.get(), "COMMIT"));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail("commit", r.get());
  // COMMIT of a transaction that already failed answers ROLLBACK instead of an error.
  if (std::string_view(PQcmdStatus(r.get())) != "COMMIT") {
    throw StoreError("commit: the transaction had failed and was rolled back [" + where() + "]");
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
  if (!PQsendQueryParams(conn_.get(), sql.c_str(), static_cast<int>(params.size()), nullptr,
                         values.data(), nullptr, nullptr, 0)) {
    throw StoreError(std::string(op) + ": sending the statement failed: " +
                     trimmed(PQerrorMessage(conn_.get())) + " [" + where() + "]");
  }
  PQsetSingleRowMode(conn_.get());  // rows stream one by one instead of the whole result in memory

  // Every result must be read before the connection takes the next statement, even after a
  // failure, so the first failure is kept and rethrown at the end.
  std::int64_t changed = 0;
  std::exception_ptr failure;
  while (Result r{PQgetResult(conn_.get())}) {
    if (failure) continue;
    try {
      const ExecStatusType status = PQresultStatus(r.get());
      if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        fail(op, r.get());
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
  const Result r(PQexec(conn_.get(), std::string(sql).c_str()));
  const ExecStatusType status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(op, r.get());
}

}  // namespace

std::unique_ptr<Store> open_postgres_store(const std::string& url) {
  auto store = std::make_unique<sql::SqlStore>(std::make_unique<PostgresConnection>(url));
  store->migrate();
  return store;
}

}  // namespace ita::store
