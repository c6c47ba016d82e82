// SqlStore::check: the backend's checks of its storage (Connection::storage_problems), the
// schema version, and the invariants the application keeps in its rows, in SQL both backends
// speak. Each invariant is also a constraint of the schema: a row breaking one means the file was
// damaged or changed behind the store's back (or a restore skipped the constraints).
#include <iterator>

#include "store/sql_store.hpp"

namespace ita::store::sql {

namespace {

struct Invariant {
  const char* broken;  // what the rows counted are
  const char* sql;     // counts them
};

constexpr Invariant kInvariants[] = {
    {"responses whose slot is not in their round's range (slot >> 40 <> round_id)",
     "SELECT count(*) FROM responses WHERE (slot >> 40) <> round_id"},
    {"responses of a round that does not exist",
     "SELECT count(*) FROM responses r LEFT JOIN rounds o ON o.id = r.round_id WHERE o.id IS NULL"},
    {"responses whose answer layout does not exist",
     "SELECT count(*) FROM responses r LEFT JOIN answer_layouts l ON l.id = r.layout "
     "WHERE l.id IS NULL"},
    {"responses of a tool other than IIT and EIT",
     "SELECT count(*) FROM responses WHERE tool NOT IN ('IIT', 'EIT')"},
    {"rounds of an agency that does not exist",
     "SELECT count(*) FROM rounds r LEFT JOIN agencies a ON a.id = r.agency_id WHERE a.id IS NULL"},
    {"access codes of a round that does not exist",
     "SELECT count(*) FROM access_codes c LEFT JOIN rounds r ON r.id = c.round_id "
     "WHERE r.id IS NULL"},
    {"OIT entries of a round that does not exist",
     "SELECT count(*) FROM oit_entries e LEFT JOIN rounds r ON r.id = e.round_id "
     "WHERE r.id IS NULL"},
};

// Adds a line per broken invariant. Stops at the first that cannot be read (a damaged page; on
// PostgreSQL the transaction cannot go on after an error anyway).
void invariant_problems(Connection& db, std::vector<std::string>& problems) {
  for (const Invariant& invariant : kInvariants) {
    std::int64_t rows = 0;
    try {
      db.run("check", invariant.sql, {}, [&](const Row& row) { rows = row.integer(0); });
    } catch (const StoreError& e) {
      problems.push_back(std::string("could not count the ") + invariant.broken + ": " + e.what());
      return;
    }
    if (rows > 0) problems.push_back(std::to_string(rows) + " " + invariant.broken);
  }
}

}  // namespace

std::vector<std::string> SqlStore::check(bool quick) {
  std::vector<std::string> problems;
  try {
    read([&] { check_in_transaction(quick, problems); });
  } catch (const StoreError& e) {
    // SQLite may fail even the end of a read transaction on a damaged file: the problems found
    // say more than that failure.
    if (problems.empty()) throw;
    problems.push_back(e.what());
  }
  return problems;
}

void SqlStore::check_in_transaction(bool quick, std::vector<std::string>& problems) {
  problems = db_->storage_problems(quick);
  if (!db_->has_table("schema_version")) {
    problems.push_back("no schema_version table: not an OpenITA database");
    return;
  }
  std::int64_t version = 0;
  db_->run("check", "SELECT COALESCE(MAX(version), 0) FROM schema_version", {},
           [&](const Row& row) { version = row.integer(0); });
  const auto& migrations = db_->migrations();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (version > latest) {
    problems.push_back("the schema version is " + std::to_string(version) +
                       ", newer than this OpenITA knows (" + std::to_string(latest) +
                       "): run the OpenITA that wrote it, or a newer one");
  }
  // An older schema is fine (ita serve migrates it), but its tables are not the ones the
  // invariants read.
  if (!quick && version == latest) invariant_problems(*db_, problems);
}

}  // namespace ita::store::sql
