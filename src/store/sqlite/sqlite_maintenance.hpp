#pragma once
// SQLite's side of Store::check, backup_database and restore_database (store/maintenance.hpp).
#include <string>
#include <vector>

#include "store/maintenance.hpp"
#include "store/sqlite/handle.hpp"

namespace ita::store::sqlite {

// What SQLite finds wrong with the database of `db`, one line each; empty when nothing. `quick`:
// PRAGMA quick_check (every page read, the B-trees' structure, each record's format, NOT NULL
// and CHECK constraints); for a file over 64 MiB (a national-scale one), the same without the
// constraints. Otherwise PRAGMA integrity_check (quick_check's, plus UNIQUE constraints and every
// index against its table) and PRAGMA foreign_key_check.
std::vector<std::string> integrity_problems(Handle& db, bool quick);
// Whether the database of `db` has a table `name`.
bool has_table(Handle& db, const std::string& name);

// backup_database for the file `path`: the online backup API copies every page in one read
// transaction (a snapshot; a writer goes on meanwhile, in WAL mode), into a file in rollback
// journal mode that integrity_check then verifies. StoreError when `path` does not exist.
DatabaseSummary backup(const std::string& path, const std::string& file);
// restore_database for the file `path`. Another process has `path` open when it holds the
// shared lock every SQLite connection keeps on its -shm file; the check cannot see connections
// of this process, so none may be open here.
DatabaseSummary restore(const std::string& path, const std::string& file, bool force);

}  // namespace ita::store::sqlite
