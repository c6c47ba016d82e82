#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "store/sql_store.hpp"
#include "store/sqlite/handle.hpp"
#include "store/sqlite/sqlite_maintenance.hpp"

namespace ita::store {
namespace {

using sql::Params;
using sql::Row;
using sql::RowFn;
using sql::Value;

using sqlite::Handle;
using sqlite::OpenOptions;
using sqlite::Statement;
using sqlite::StatementUse;

class SqliteRow final : public Row {
 public:
  explicit SqliteRow(sqlite3_stmt* s) : s_(s) {}
  bool is_null(int column) const override { return sqlite3_column_type(s_, column) == SQLITE_NULL; }
  std::int64_t integer(int column) const override { return sqlite3_column_int64(s_, column); }
  std::string text(int column) const override {
    return std::string(sqlite::column_text(s_, column));
  }
  bool boolean(int column) const override { return integer(column) != 0; }

 private:
  sqlite3_stmt* s_;
};

constexpr OpenOptions kStoreOpen{true, sql::Constraints::AsConflicts};

// The background checkpoints of a continuously writing connection (sqlite_store.hpp).
class BackgroundCheckpointer {
 public:
  static constexpr int kPassEvery = 2000;   // log pages not yet copied that start a background pass
  static constexpr int kRestartAt = 16000;  // log pages past which the writer lets the log restart
  static constexpr int kHardLimit = 50000;  // the writer waits for the background beyond this
  static constexpr int kCatchUp = 512;      // at most this many pages are copied by the writer

  explicit BackgroundCheckpointer(const std::string& path) : db_(path, kStoreOpen) {
    // A connection that has not read the database has not opened its log: checkpoints on it
    // would do nothing.
    db_.exec_quietly("PRAGMA journal_mode");
    thread_ = std::thread([this] { run(); });
  }
  ~BackgroundCheckpointer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  BackgroundCheckpointer(const BackgroundCheckpointer&) = delete;
  BackgroundCheckpointer& operator=(const BackgroundCheckpointer&) = delete;

  // The writer's WAL hook: runs on the writer's thread after each of its commits, with the
  // pages the log now holds.
  void after_commit(sqlite3* writer, int pages) {
    std::unique_lock lock(mutex_);
    if (pages < copied_) copied_ = 0;  // the log started again
    if (pages >= kHardLimit) idle_.wait(lock, [&] { return !running_ && !wanted_; });
    if (running_ || wanted_) return;
    const int left = pages - copied_;
    // Right after a background pass only the pages of the last few commits are left: the writer
    // copies them itself, quickly, and as no commit can add pages meanwhile, every page is then
    // in the file and the next transaction starts the log again.
    if (pages >= kHardLimit || (pages >= kRestartAt && left <= kCatchUp)) {
      lock.unlock();
      checkpoint(writer);
      return;
    }
    if (left >= kPassEvery || pages >= kRestartAt) {
      wanted_ = true;
      wake_.notify_one();
    }
  }

  // Runs `checkpoint` (one of the writer's own, on the writer's thread) once no background pass
  // runs; none starts before it returns. Two checkpoints cannot run at once: the second would
  // fail SQLITE_BUSY at once, without waiting.
  int exclusively(const std::function<int()>& checkpoint) {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return !running_; });
    return checkpoint();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || wanted_; });
      if (stop_) return;
      wanted_ = false;
      running_ = true;
      lock.unlock();
      const int copied = checkpoint(db_.get());
      sync_database_file();
      lock.lock();
      running_ = false;
      copied_ = std::max(copied_, copied);
      idle_.notify_all();
    }
  }

  // SQLite syncs the database file only at the end of a checkpoint that found no new commits,
  // so the pages a pass wrote while the writer went on would all be synced by the writer's
  // final, short checkpoint. Syncing them here keeps that one short.
  void sync_database_file() {
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(db_.get(), "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK &&
        file != nullptr && file->pMethods != nullptr) {
      file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
    }
  }

  // The pages of the log now in the database file. A failed checkpoint loses nothing (the pages
  // stay in the log); the next one tries again.
  static int checkpoint(sqlite3* db) {
    int log = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
      std::cerr << "ita: SQLite checkpoint failed: " << sqlite3_errmsg(db) << std::endl;
    return rc == SQLITE_OK ? copied : 0;
  }

  Handle db_;
  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  bool stop_ = false;
  bool wanted_ = false;   // a pass is asked for
  bool running_ = false;  // a pass is running
  int copied_ = 0;        // log pages the last pass copied
  std::thread thread_;
};

// The connection runs without SQLite's own mutex: SqlStore serialises every call.
class SqliteConnection final : public sql::Connection {
 public:
  SqliteConnection(std::string path, const StoreOptions& options);
  ~SqliteConnection() override {
    if (checkpointer_) sqlite3_wal_hook(db_.get(), nullptr, nullptr);
  }

  std::int64_t run(std::string_view op, const std::string& sql, const Params& params,
                   const RowFn& on_row) override;
  void run_script(std::string_view op, std::string_view sql) override;
  void begin(bool write) override { run("begin", write ? "BEGIN IMMEDIATE" : "BEGIN", {}, {}); }
  void commit() override { run("commit", "COMMIT", {}, {}); }
  void rollback() noexcept override {
    if (!sqlite3_get_autocommit(db_.get())) db_.exec_quietly("ROLLBACK");
  }
  void lock_for_migration() override {}  // BEGIN IMMEDIATE already keeps other writers out
  const std::vector<Migration>& migrations() const override { return sqlite_migrations(); }
  std::string_view row_lock() const override { return ""; }
  std::int64_t rewrite_in_slot_order(std::string_view op, std::int64_t first,
                                     std::int64_t end) override;
  bool release_old_copies(std::string_view op) override;
  std::vector<std::string> storage_problems(bool quick) override {
    return sqlite::integrity_problems(db_, quick);
  }
  bool has_table(const std::string& name) override { return sqlite::has_table(db_, name); }

 private:
  sqlite3_stmt* prepare(std::string_view op, const std::string& sql);
  void bind(std::string_view op, sqlite3_stmt* s, const Params& params);

  Handle db_;
  std::unordered_map<std::string, Statement> statements_;
  std::unique_ptr<BackgroundCheckpointer> checkpointer_;
};

SqliteConnection::SqliteConnection(std::string path, const StoreOptions& options)
    : db_(std::move(path), kStoreOpen) {
  std::string mode;
  run("open", "PRAGMA journal_mode = WAL", {}, [&](const Row& row) { mode = row.text(0); });
  if (mode != "wal" && mode != "memory") {
    throw StoreError("opening SQLite database " + db_.path() +
                     ": it cannot use WAL mode (journal mode is '" + mode +
                     "'); put the file on a local file system");
  }
  // FULL: every COMMIT syncs the WAL, so a committed (and acknowledged) transaction survives a
  // power cut too, not only a killed process. Survey submissions are group-committed, so the
  // sync is paid once per batch. Statement journals (a multi-row INSERT inside a transaction)
  // in memory rather than in a temporary file created and deleted each time; a 32 MiB page
  // cache (used only as it fills) so a growing responses table is not read back page by page.
  // secure_delete: what a DELETE removes (a row mixing rewrites elsewhere, a session) is
  // overwritten with zeros, and so are the pages it frees, instead of staying in the file.
  run_script("open",
             "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; "
             "PRAGMA cache_size = -32768; PRAGMA secure_delete = ON;");
  bool foreign_keys = false;
  run("open", "PRAGMA foreign_keys", {}, [&](const Row& row) { foreign_keys = row.boolean(0); });
  if (!foreign_keys)
    throw StoreError("opening SQLite database " + db_.path() +
                     ": this SQLite cannot enforce foreign keys");
  if (options.continuous_writes) {
    checkpointer_ = std::make_unique<BackgroundCheckpointer>(db_.path());
    // Replaces the automatic checkpoint, which is a WAL hook too.
    sqlite3_wal_hook(
        db_.get(),
        [](void* checkpointer, sqlite3* db, const char*, int pages) {
          static_cast<BackgroundCheckpointer*>(checkpointer)->after_commit(db, pages);
          return SQLITE_OK;
        },
        checkpointer_.get());
  }
}

sqlite3_stmt* SqliteConnection::prepare(std::string_view op, const std::string& sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) return it->second.get();
  Statement statement = db_.prepare(op, sql);
  sqlite3_stmt* raw = statement.get();
  // SQLite numbers "$N" parameters in order of first appearance; the store's SQL must match.
  for (int i = 1; i <= sqlite3_bind_parameter_count(raw); ++i) {
    const char* name = sqlite3_bind_parameter_name(raw, i);
    if (name == nullptr || name != "$" + std::to_string(i)) {
      throw StoreError(std::string(op) + ": parameter " + std::to_string(i) +
                       " of the statement is not $" + std::to_string(i) + ": " + sql);
    }
  }
  return statements_.emplace(sql, std::move(statement)).first->second.get();
}

void SqliteConnection::bind(std::string_view op, sqlite3_stmt* s, const Params& params) {
  if (sqlite3_bind_parameter_count(s) != static_cast<int>(params.size())) {
    throw StoreError(std::string(op) + ": the statement takes " +
                     std::to_string(sqlite3_bind_parameter_count(s)) + " parameters, " +
                     std::to_string(params.size()) + " given");
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    // Parameters outlive the statement's run, so SQLite need not copy them.
    const int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) {
            return sqlite3_bind_null(s, index);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return sqlite3_bind_int64(s, index, v);
          } else if constexpr (std::is_same_v<T, bool>) {
            return sqlite3_bind_int64(s, index, v ? 1 : 0);
          } else {
            return sqlite::bind_text(s, index, v);
          }
        },
        params[i]);
    if (rc != SQLITE_OK) db_.fail(op, rc, sqlite3_errmsg(db_.get()));
  }
}

std::int64_t SqliteConnection::run(std::string_view op, const std::string& sql,
                                   const Params& params, const RowFn& on_row) {
  sqlite3_stmt* s = prepare(op, sql);
  StatementUse use(s);
  bind(op, s, params);
  for (;;) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) db_.fail(op, rc, sqlite3_errmsg(db_.get()));
    if (on_row) on_row(SqliteRow(s));
  }
  return sqlite3_stmt_readonly(s) ? 0 : sqlite3_changes64(db_.get());
}

void SqliteConnection::run_script(std::string_view op, std::string_view sql) {
  db_.exec(op, std::string(sql));
}

// The rows wait in a table of the connection's temporary database, which is in memory
// (temp_store = MEMORY): nothing of them goes to a file but the table itself. BEGIN IMMEDIATE
// keeps every other writer out, so the rows deleted are the rows copied. The DELETE overwrites
// them with zeros (secure_delete); the INSERT adds them back in slot order, so each page's rows
// lie in key order and the pages are filled one after another.
std::int64_t SqliteConnection::rewrite_in_slot_order(std::string_view op, std::int64_t first,
                                                     std::int64_t end) {
  static const std::string columns = "slot, round_id, id, tool, day, layout, answers";
  run(op,
      "CREATE TEMP TABLE IF NOT EXISTS responses_mixing (slot INTEGER PRIMARY KEY, round_id "
      "INTEGER NOT NULL, id TEXT NOT NULL, tool TEXT NOT NULL, day TEXT NOT NULL, layout INTEGER "
      "NOT NULL, answers TEXT NOT NULL)",
      {}, {});
  run(op,
      "INSERT INTO temp.responses_mixing SELECT " + columns +
          " FROM main.responses WHERE slot >= $1 AND slot < $2",
      {first, end}, {});
  run(op, "DELETE FROM main.responses WHERE slot >= $1 AND slot < $2", {first, end}, {});
  const std::int64_t rows = run(op,
                                "INSERT INTO main.responses (" + columns + ") SELECT " + columns +
                                    " FROM temp.responses_mixing ORDER BY slot",
                                {}, {});
  run(op, "DELETE FROM temp.responses_mixing", {}, {});
  return rows;
}

// Until the write-ahead log starts again from its beginning, it holds the pages as they were
// before the rows were rewritten, commit after commit; and a log that starts again overwrites
// its old frames only as far as new ones reach. A TRUNCATE checkpoint copies every page into
// the database file and cuts the log to zero bytes. It needs every reader off the log: it waits
// for them 200 ms at most (the survey writer's thread waits meanwhile), else it is tried later.
bool SqliteConnection::release_old_copies(std::string_view op) {
  constexpr int kWaitForReadersMs = 200;
  const auto truncate = [&] {
    sqlite3_busy_timeout(db_.get(), kWaitForReadersMs);
    int log = 0, copied = 0;
    const int rc =
        sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &copied);
    sqlite3_busy_timeout(db_.get(), sqlite::kBusyTimeoutMs);
    return rc;
  };
  const int rc = checkpointer_ ? checkpointer_->exclusively(truncate) : truncate();
  if (rc == SQLITE_OK) return true;
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return false;
  db_.fail(op, rc, sqlite3_errmsg(db_.get()));
}

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path, const StoreOptions& options) {
  auto store = std::make_unique<sql::SqlStore>(std::make_unique<SqliteConnection>(path, options));
  if (options.migrate) store->migrate();
  return store;
}

}  // namespace ita::store
