#pragma once
// PostgreSQL's side of Store::check, backup_database and restore_database
// (store/maintenance.hpp). pg_dump and pg_restore run from an argument vector (posix_spawn, no
// shell), connected with the URL's parameters; a password in the URL reaches them through a
// private temporary passfile (PGPASSFILE), never their command line.
#include <string>
#include <vector>

#include "store/maintenance.hpp"
#include "store/postgres/handle.hpp"

namespace ita::store::postgres {

// Inside a transaction: what a full check finds wrong with the tables of the current schema,
// one line each (nothing when `quick`: the server keeps its own storage consistent). Every row
// of every table is read, whole; with the amcheck extension installed (CREATE EXTENSION amcheck)
// and executable, every B-tree index is verified against its table (bt_index_check with
// heapallindexed). Each check runs in a savepoint, so one failure does not hide the others.
std::vector<std::string> storage_problems(Handle& db, bool quick);
// Whether a table `name` is on the connection's search path.
bool has_table(Handle& db, const std::string& name);

// backup_database: pg_dump --format=custom --no-owner --no-privileges of the database, reading
// the snapshot the summary was read in; the archive is then listed with pg_restore --list.
// `bin`: the folder of pg_dump and pg_restore, or empty to use PATH.
DatabaseSummary backup(const std::string& url, const std::string& file, const std::string& bin);
// restore_database: pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error
// --single-transaction, after reading the archive's schema version (its schema_version rows).
DatabaseSummary restore(const std::string& url, const std::string& file, const std::string& bin,
                        bool force);
// "PostgreSQL database D on H:P" from the URL alone, without connecting.
std::string describe(const std::string& url);

}  // namespace ita::store::postgres
