#include "store/sqlite/sqlite_maintenance.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "io/atomic_file.hpp"
#include "store/migrations.hpp"

namespace ita::store::sqlite {

namespace {

namespace fs = std::filesystem;

constexpr OpenOptions kExisting{false, sql::Constraints::AsStoreErrors};
constexpr OpenOptions kNew{true, sql::Constraints::AsStoreErrors};
constexpr std::size_t kMostLines = 20;  // foreign key problems listed one by one
// The largest file whose rows' CHECK constraints the quick check evaluates (about 2 s): beyond,
// it checks the structure of the pages and records only.
constexpr std::int64_t kQuickCheckConstraintsUpTo = std::int64_t{64} << 20;

// The text rows of a PRAGMA that answers "ok" when it finds nothing. On a damaged file the
// PRAGMA itself may stop with an error after its rows ("database disk image is malformed"):
// that is one more problem, not a failure of the check.
std::vector<std::string> pragma_problems(Handle& db, const std::string& pragma) {
  const Statement s = db.prepare(pragma, "PRAGMA " + pragma);
  StatementUse use(s.get());
  std::vector<std::string> lines;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    const std::string line(column_text(s.get(), 0));
    if (line != "ok") lines.push_back("SQLite " + pragma + ": " + line);
  }
  if (rc != SQLITE_DONE) lines.push_back("SQLite " + pragma + ": " + sqlite3_errmsg(db.get()));
  return lines;
}

// One line per table and parent table: "… 3 rows of responses refer to a row of rounds that does
// not exist".
std::vector<std::string> foreign_key_problems(Handle& db) {
  const Statement s = db.prepare("foreign_key_check", "PRAGMA foreign_key_check");
  StatementUse use(s.get());
  std::map<std::pair<std::string, std::string>, std::int64_t> missing;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW)
    ++missing[{std::string(column_text(s.get(), 0)), std::string(column_text(s.get(), 2))}];
  std::vector<std::string> lines;
  if (rc != SQLITE_DONE)
    lines.push_back(std::string("SQLite foreign_key_check: ") + sqlite3_errmsg(db.get()));
  for (const auto& [tables, rows] : missing) {
    if (lines.size() == kMostLines) break;
    lines.push_back("SQLite foreign_key_check: " + std::to_string(rows) + " rows of " +
                    tables.first + " refer to a row of " + tables.second + " that does not exist");
  }
  return lines;
}

std::int64_t single_integer(Handle& db, std::string_view op, const std::string& sql) {
  const Statement s = db.prepare(op, sql);
  StatementUse use(s.get());
  if (sqlite3_step(s.get()) != SQLITE_ROW) db.fail(op);
  return sqlite3_column_int64(s.get(), 0);
}

DatabaseSummary read_summary(Handle& db) {
  const Statement s = db.prepare("summary", detail::kSummarySql);
  StatementUse use(s.get());
  if (sqlite3_step(s.get()) != SQLITE_ROW) db.fail("summary");
  DatabaseSummary summary;
  summary.schema_version = sqlite3_column_int(s.get(), 0);
  summary.agencies = sqlite3_column_int64(s.get(), 1);
  summary.rounds = sqlite3_column_int64(s.get(), 2);
  summary.responses = sqlite3_column_int64(s.get(), 3);
  return summary;
}

int latest_schema() {
  const auto& migrations = sqlite_migrations();
  return migrations.empty() ? 0 : migrations.back().version;
}

bool non_empty_file(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return !ec && size > 0;
}

// The pages of `source`, all copied in one step: one read transaction, so one snapshot. A
// writer in another process goes on meanwhile (WAL); step retries only while the source is
// being recovered or its log restarted.
void copy_pages(Handle& source, Handle& copy) {
  sqlite3_backup* backup = sqlite3_backup_init(copy.get(), "main", source.get(), "main");
  if (backup == nullptr) copy.fail("backup");
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 200; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(50);
  }
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) source.fail("backup", rc, sqlite3_errstr(rc));
  if (finished != SQLITE_OK) copy.fail("backup");
}

// SQLite's unix VFS: each connection to a WAL database holds a shared lock on byte 128 of its
// -shm file (the "DMS" lock) as long as it is open. A lock held by another process shows here.
bool open_elsewhere(const std::string& path) {
  const int fd = ::open((path + "-shm").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = 128;
  lock.l_len = 1;
  const bool held = ::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  ::close(fd);
  return held;
}

void refuse_if_open_elsewhere(const std::string& path) {
  if (open_elsewhere(path)) {
    throw Conflict("restore: another process has the database " + path +
                   " open (ita serve?); stop it, then restore");
  }
}

// Refuses to replace a database holding rows of agencies, users, rounds or responses, or the
// tables of something other than OpenITA.
void refuse_if_holds_data(const std::string& path) {
  if (!non_empty_file(path)) return;
  std::string what;
  {
    Handle db(path, kExisting);
    if (!has_table(db, "schema_version")) {
      if (single_integer(db, "restore", "SELECT count(*) FROM sqlite_master") > 0)
        what = "tables that are not OpenITA's";
    } else {
      const DatabaseSummary s = read_summary(db);
      const std::int64_t users = single_integer(db, "restore", "SELECT count(*) FROM users");
      if (s.agencies + s.rounds + s.responses + users > 0) {
        what = std::to_string(s.agencies) + " agencies, " + std::to_string(users) + " users, " +
               std::to_string(s.rounds) + " rounds, " + std::to_string(s.responses) + " responses";
      }
    }
  }
  if (!what.empty()) {
    throw Conflict("restore: the database " + path + " is not empty (" + what +
                   "); give --force to replace it");
  }
}

// Checks the copy of backup `file` at `staged` as restore would use it: an OpenITA database of a
// schema this binary knows, that passes integrity_check.
DatabaseSummary verify_backup(const std::string& staged, const std::string& file) {
  Handle db(staged, kExisting);
  std::vector<std::string> problems;
  try {
    if (!has_table(db, "schema_version"))
      throw StoreError("it has no schema_version table: not an OpenITA database");
    const auto version =
        single_integer(db, "restore", "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    if (version > latest_schema()) {
      throw Conflict("restore: the backup " + file + " is at schema version " +
                     std::to_string(version) + ", newer than this OpenITA knows (" +
                     std::to_string(latest_schema()) +
                     "); restore it with the OpenITA that wrote it, or a newer one");
    }
    problems = pragma_problems(db, "integrity_check");
  } catch (const StoreError& e) {
    throw StoreError("restore: the backup " + file + " cannot be read: " + e.what());
  }
  if (!problems.empty()) {
    throw StoreError("restore: the backup " + file + " is damaged (" + problems.front() + ", " +
                     std::to_string(problems.size()) + " problems); nothing was changed");
  }
  return read_summary(db);
}

// The mode the restored file gets: the replaced file's, or private when there is none.
void set_mode(const std::string& staged, const std::string& target) {
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0) {
    ::chmod(staged.c_str(), st.st_mode & 07777);
  } else {
    detail::keep_private(staged);
  }
}

}  // namespace

std::vector<std::string> integrity_problems(Handle& db, bool quick) {
  if (quick) {
    const auto bytes = single_integer(db, "check", "PRAGMA page_count") *
                       single_integer(db, "check", "PRAGMA page_size");
    if (bytes <= kQuickCheckConstraintsUpTo) return pragma_problems(db, "quick_check");
    // Evaluating every row's CHECK constraints at each start would take 9.5 s on a national-scale
    // file (318 MB; docs/operations.md): the structure of every page and record then (1.2 s),
    // the constraints being ita check's. The connection enforces its constraints again after.
    db.exec("check", "PRAGMA ignore_check_constraints = ON");
    struct Enforce {
      Handle& db;
      ~Enforce() { db.exec_quietly("PRAGMA ignore_check_constraints = OFF"); }
    } enforce{db};
    return pragma_problems(db, "quick_check");
  }
  std::vector<std::string> problems = pragma_problems(db, "integrity_check");
  for (auto& line : foreign_key_problems(db)) problems.push_back(std::move(line));
  return problems;
}

bool has_table(Handle& db, const std::string& name) {
  const Statement s =
      db.prepare("has_table", "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  StatementUse use(s.get());
  bind_text(s.get(), 1, name);
  const int rc = sqlite3_step(s.get());
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) db.fail("has_table", rc, sqlite3_errmsg(db.get()));
  return rc == SQLITE_ROW;
}

DatabaseSummary backup(const std::string& path, const std::string& file) {
  if (!non_empty_file(path)) throw StoreError("backup: there is no SQLite database at " + path);
  Handle source(path, kExisting);
  if (!has_table(source, "schema_version"))
    throw StoreError("backup: " + path + " is not an OpenITA database (no schema_version table)");
  io::AtomicFile out(file);
  out.close_fd();
  detail::keep_private(out.temp_path());
  DatabaseSummary summary;
  {
    Handle copy(out.temp_path(), kNew);
    copy_pages(source, copy);
    // One self-contained file: reading it needs no -wal or -shm file beside it.
    copy.exec("backup", "PRAGMA journal_mode = DELETE");
    const auto problems = pragma_problems(copy, "integrity_check");
    if (!problems.empty()) {
      throw StoreError("backup: the copy of " + path + " fails its integrity check (" +
                       problems.front() + "); nothing was written to " + file +
                       "; run ita check on the database");
    }
    summary = read_summary(copy);
  }
  out.commit();
  detail::sync_folder(file);
  summary.file = file;
  summary.bytes = fs::file_size(file);
  return summary;
}

DatabaseSummary restore(const std::string& path, const std::string& file, bool force) {
  if (!non_empty_file(file)) throw StoreError("restore: there is no backup file " + file);
  refuse_if_open_elsewhere(path);
  if (!force) refuse_if_holds_data(path);
  std::error_code ec;
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  io::AtomicFile staged(path);
  staged.close_fd();
  fs::copy_file(file, staged.temp_path(), fs::copy_options::overwrite_existing, ec);
  if (ec) throw StoreError("restore: cannot copy " + file + ": " + ec.message());
  set_mode(staged.temp_path(), path);
  DatabaseSummary summary = verify_backup(staged.temp_path(), file);
  refuse_if_open_elsewhere(path);
  // A log or journal left beside the replaced database would be read as the new one's.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
  staged.commit();
  detail::sync_folder(path);
  summary.file = file;
  summary.bytes = fs::file_size(file);
  return summary;
}

}  // namespace ita::store::sqlite
