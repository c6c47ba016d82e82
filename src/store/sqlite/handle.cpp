#include "store/sqlite/handle.hpp"

namespace ita::store::sqlite {

Handle::Handle(std::string path, OpenOptions options)
    : path_(std::move(path)), constraints_(options.constraints) {
  sqlite3* raw = nullptr;
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (options.create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path_.c_str(), &raw, flags, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) {
    throw StoreError(
        "opening SQLite database " + path_ + ": " +
        (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)) +
        (options.create ? " (does its folder exist, and may this user write there?)" : ""));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
}

void Handle::fail(std::string_view op, int code, const std::string& message) const {
  const std::string text = std::string(op) + ": " + message;
  if (constraints_ == sql::Constraints::AsConflicts) {
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
      throw sql::UniqueViolation(text);
    if (code == SQLITE_CONSTRAINT_FOREIGNKEY) throw sql::ForeignKeyViolation(text);
  }
  std::string hint;
  if ((code & 0xff) == SQLITE_BUSY)
    hint = " (another process held the write lock for more than 5 s)";
  throw StoreError(text + hint + " [SQLite database " + path_ + "]");
}

void Handle::fail(std::string_view op) const {
  fail(op, sqlite3_extended_errcode(db_.get()), sqlite3_errmsg(db_.get()));
}

void Handle::exec(std::string_view op, const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return;
  const std::string message = error ? error : sqlite3_errstr(rc);
  sqlite3_free(error);
  fail(op, rc, message);
}

void Handle::exec_quietly(const char* sql) noexcept {
  sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
}

Statement Handle::prepare(std::string_view op, const std::string& sql, unsigned flags) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size() + 1), flags,
                                    &raw, nullptr);
  Statement statement(raw);
  if (rc != SQLITE_OK) fail(op, rc, sqlite3_errmsg(db_.get()));
  return statement;
}

void Handle::step_done(sqlite3_stmt* s, std::string_view op) {
  const int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) fail(op);
}

}  // namespace ita::store::sqlite
