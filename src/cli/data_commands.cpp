#include "cli/data_commands.hpp"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <ostream>

#include "store/maintenance.hpp"
#include "store/store.hpp"

namespace ita::cli {

namespace {

constexpr int kExitProblems = 1;
constexpr int kExitBadInput = 2;

void add_db_option(CLI::App* cmd, std::string& db) {
  cmd->add_option("--db", db,
                  "Database: a SQLite file path (default var/openita.sqlite) or postgresql://…")
      ->capture_default_str();
}

void add_pg_bin_option(CLI::App* cmd, std::string& dir) {
  cmd->add_option("--pg-bin", dir,
                  "PostgreSQL: the folder of pg_dump and pg_restore (default: found on PATH)");
}

bool non_empty_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return !ec && size > 0;
}

// A SQLite database must exist to be read: opening a missing one would create it.
void require_existing(const std::string& db) {
  const auto path = store::sqlite_file(db);
  if (path && !non_empty_file(*path))
    throw store::StoreError("there is no SQLite database at " + *path);
}

std::string size_text(std::uintmax_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double size = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (size >= 1024 && unit + 1 < std::size(units)) {
    size /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {} ({} bytes)", size, units[unit], bytes);
}

std::string contents_text(const store::DatabaseSummary& s) {
  return fmt::format("schema version {}, {} agencies, {} rounds, {} responses", s.schema_version,
                     s.agencies, s.rounds, s.responses);
}

std::unique_ptr<store::Store> open_unmigrated(const std::string& db) {
  store::StoreOptions options;
  options.migrate = false;
  return store::open_store(db, options);
}

}  // namespace

DataCommands::DataCommands(CLI::App& app) {
  backup_ = app.add_subcommand(
      "backup", "Write a consistent backup of the database, also while ita serve is running");
  add_db_option(backup_, db_);
  backup_->add_option("--out", file_, "The backup file to write")->required();
  add_pg_bin_option(backup_, pg_bin_);

  restore_ =
      app.add_subcommand("restore", "Replace the database with a backup (stop ita serve first)");
  add_db_option(restore_, db_);
  restore_->add_option("--in", file_, "The backup file (written by ita backup)")->required();
  restore_->add_flag("--force", force_, "Replace a database that holds data");
  add_pg_bin_option(restore_, pg_bin_);

  check_ = app.add_subcommand(
      "check", "Check the database: its storage, schema version and the application's rules");
  add_db_option(check_, db_);
}

bool DataCommands::chosen() const {
  return backup_->parsed() || restore_->parsed() || check_->parsed();
}

int DataCommands::run(std::ostream& out, std::ostream& err) {
  try {
    if (backup_->parsed()) return backup(out);
    if (restore_->parsed()) return restore(out);
    return check(out);
  } catch (const store::Conflict& e) {
    err << "ita: error: " << e.what() << "\n";
  } catch (const store::StoreError& e) {
    err << "ita: database error: " << e.what() << "\n";
  }
  return kExitBadInput;
}

int DataCommands::backup(std::ostream& out) {
  const store::DatabaseSummary s =
      store::backup_database(db_, file_, store::MaintenanceOptions{pg_bin_, false});
  out << s.file << ": backup of the " << store::describe_database(db_) << " written, "
      << size_text(s.bytes) << ": " << contents_text(s) << "\n";
  return 0;
}

int DataCommands::restore(std::ostream& out) {
  const store::DatabaseSummary s =
      store::restore_database(db_, file_, store::MaintenanceOptions{pg_bin_, force_});
  out << "the " << store::describe_database(db_) << " is restored from " << s.file << ", "
      << size_text(s.bytes) << ": " << contents_text(s) << "\n";
  return 0;
}

int DataCommands::check(std::ostream& out) {
  require_existing(db_);
  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<store::Store> store;
  std::vector<std::string> problems;
  try {
    store = open_unmigrated(db_);
    problems = store->check(false);
  } catch (const store::StoreError& e) {
    // A SQLite file that cannot be read is what the check is for; a server that cannot be
    // reached is not a finding about the data.
    if (!store::sqlite_file(db_)) throw;
    problems.push_back(e.what());
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  const std::string where = store::describe_database(db_);
  if (problems.empty()) {
    out << where << ": ok (schema version " << store->schema_version()
        << fmt::format(", checked in {:.1f} s)\n", took.count());
    return 0;
  }
  out << where << ": " << problems.size() << (problems.size() == 1 ? " problem" : " problems")
      << ":\n";
  for (const auto& p : problems) out << "  " << p << "\n";
  out << "ฐานข้อมูลมีปัญหา " << problems.size()
      << " รายการ — กู้คืนจากไฟล์สำรองล่าสุดด้วย ita restore (README, Backups)\n";
  return kExitProblems;
}

int check_before_serving(const std::string& db, std::ostream& err) {
  if (const auto path = store::sqlite_file(db); path && !non_empty_file(*path)) return 0;
  std::vector<std::string> problems;
  try {
    problems = open_unmigrated(db)->check(true);
  } catch (const store::StoreError& e) {
    problems.push_back(e.what());
  }
  if (problems.empty()) return 0;
  err << "ita: error: the " << store::describe_database(db)
      << " is damaged or cannot be read; ita serve will not start on it:\n";
  for (const auto& p : problems) err << "  " << p << "\n";
  err << "ita: ข้อผิดพลาด: ฐานข้อมูลเสียหายหรืออ่านไม่ได้ จึงไม่เปิดให้บริการ — "
         "ตรวจด้วย ita check แล้วกู้คืนจากไฟล์สำรองด้วย ita restore\n"
      << "Run ita check --db … for the full check, and restore the last backup with ita restore "
         "(README, Backups).\n";
  return kExitBadInput;
}

}  // namespace ita::cli
