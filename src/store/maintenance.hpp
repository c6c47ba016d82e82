#pragma once
// Backups and restores of a store's database, for `ita backup` and `ita restore` (README,
// "Backups"; docs/operations.md). The check of a database is Store::check.
//
// SQLite: a backup is a copy made with SQLite's online backup API, consistent while a server
// writes (a copy of the file itself is not: the latest commits are in the -wal file), verified
// with PRAGMA integrity_check, one self-contained file. PostgreSQL: a backup is an archive of
// pg_dump --format=custom of the whole database, restored with pg_restore.
#include <cstdint>
#include <string>

namespace ita::store {

// What a backup holds: the file, its size, and the database's schema version and rows.
struct DatabaseSummary {
  std::string file;
  std::uintmax_t bytes = 0;
  int schema_version = 0;
  std::int64_t agencies = 0;
  std::int64_t rounds = 0;
  std::int64_t responses = 0;
};

struct MaintenanceOptions {
  // PostgreSQL: the folder of pg_dump and pg_restore; empty: they are looked for on PATH.
  std::string pg_bin;
  // restore: replace a database that holds data.
  bool force = false;
};

// Writes a backup of the database `url` (as open_store reads it) to `file`: under a temporary
// name in the same folder, synced, then renamed, so `file` is either the old file or the whole
// new backup; readable by its owner only (it holds password hashes). Returns what it holds.
// Throws StoreError when the database cannot be read or the copy fails its check (io::FileError
// when `file` cannot be written), leaving `file` unchanged. The database is only read.
DatabaseSummary backup_database(const std::string& url, const std::string& file,
                                const MaintenanceOptions& options);

// Replaces the database `url` with the backup `file`; returns what it now holds. Refuses with
// Conflict, changing nothing, when the database holds data (rows of agencies, users, rounds or
// responses, or tables of something else) and options.force is not set, when the backup's
// schema is newer than this binary knows, and (SQLite) while another process has the database
// open. Throws StoreError when the backup cannot be read or is damaged, changing nothing.
// SQLite: the file is replaced in one rename (its -wal and -shm files are removed first).
// PostgreSQL: pg_restore --clean in one transaction.
DatabaseSummary restore_database(const std::string& url, const std::string& file,
                                 const MaintenanceOptions& options);

// Names the database `url` for messages without a password: "SQLite database PATH", or
// "PostgreSQL database D on H:P".
std::string describe_database(const std::string& url);

namespace detail {

// The one query both backends read a DatabaseSummary's numbers with.
inline constexpr const char* kSummarySql =
    "SELECT (SELECT COALESCE(MAX(version), 0) FROM schema_version), "
    "(SELECT count(*) FROM agencies), (SELECT count(*) FROM rounds), "
    "(SELECT count(*) FROM responses)";

// Makes a rename into the folder of `path` durable (fsync of the folder). StoreError when it
// cannot.
void sync_folder(const std::string& path);
// Makes the file `path` readable and writable by its owner only; StoreError when it cannot.
void keep_private(const std::string& path);

}  // namespace detail

}  // namespace ita::store
