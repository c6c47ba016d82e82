#pragma once
// The one place that opens, runs statements on and reports the failures of an SQLite database
// handle. Used by the store's connection (sqlite_store.cpp) and by the bulk loader's sink and the
// national scorer's source (sqlite_national.cpp), each on its own handle.
//
// A handle runs without SQLite's own mutex (SQLITE_OPEN_NOMUTEX): its owner serialises the calls.
#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "store/sql_store.hpp"

namespace ita::store::sqlite {

struct FinalizeStatement {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// Resets a statement when a run ends, however it ends, so it holds no lock and can run again.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* s) : s_(s) {}
  ~StatementUse() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

 private:
  sqlite3_stmt* s_;
};

// How long a statement waits for a lock another connection holds before it fails SQLITE_BUSY.
inline constexpr int kBusyTimeoutMs = 5000;

struct OpenOptions {
  // Creates the file when missing (the store); the national tools open a database the store
  // made and migrated.
  bool create = false;
  sql::Constraints constraints = sql::Constraints::AsStoreErrors;
};

class Handle {
 public:
  // Opens `path` with extended result codes and a 5 s busy timeout. StoreError when it cannot.
  Handle(std::string path, OpenOptions options);
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  sqlite3* get() const { return db_.get(); }
  const std::string& path() const { return path_; }

  // Throws what the failure `code` (with SQLite's `message`) of operation `op` means: a
  // constraint violation as options.constraints says, anything else a StoreError naming the
  // database (and, for SQLITE_BUSY, the likely cause).
  [[noreturn]] void fail(std::string_view op, int code, const std::string& message) const;
  // The same for the handle's last failure.
  [[noreturn]] void fail(std::string_view op) const;

  // Runs a script of statements without parameters; fails as above.
  void exec(std::string_view op, const std::string& sql);
  // Runs a statement without caring whether it works (ROLLBACK in a destructor).
  void exec_quietly(const char* sql) noexcept;
  // Compiles one statement (`flags`: SQLITE_PREPARE_*); fails as above.
  Statement prepare(std::string_view op, const std::string& sql, unsigned flags = 0);
  // Steps a statement that returns no rows, then resets it; fails as above.
  void step_done(sqlite3_stmt* s, std::string_view op);

 private:
  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };

  std::string path_;
  sql::Constraints constraints_;
  std::unique_ptr<sqlite3, Close> db_;
};

// Binds text that outlives the statement's run (SQLite does not copy it). Not named "bind": with
// a std::string argument, argument-dependent lookup would also find std::bind.
inline int bind_text(sqlite3_stmt* s, int index, std::string_view v) {
  return sqlite3_bind_text64(s, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
}

// A text column of the current row, valid until the next step; empty for NULL.
inline std::string_view column_text(sqlite3_stmt* s, int i) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return text ? std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(s, i)))
              : std::string_view();
}

}  // namespace ita::store::sqlite
