// SqlStore: transactions, the INSERT helpers every area uses, the schema (migrations) and the
// audit log. The operations of each area are in sql_accounts.cpp, sql_rounds.cpp,
// sql_responses.cpp, sql_oit.cpp and sql_tracker.cpp; rows are mapped in sql_rows.cpp.
#include "store/sql_store.hpp"

#include <algorithm>
#include <thread>

#include "store/sql_rows.hpp"

namespace ita::store::sql {

SqlStore::SqlStore(std::unique_ptr<Connection> connection) : db_(std::move(connection)) {}

void SqlStore::locked(const std::function<void()>& body) {
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
  body();
}

void SqlStore::transaction(bool write, const std::function<void()>& body) {
  locked([&] {
    db_->begin(write);
    try {
      body();
      db_->commit();
    } catch (...) {
      db_->rollback();
      throw;
    }
  });
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

// ---- audit log ----

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
