#pragma once
// The data safety commands (README, "Backups"; docs/operations.md):
//   ita backup --db URL --out FILE [--pg-bin DIR]
//   ita restore --db URL --in FILE [--force] [--pg-bin DIR]
//   ita check --db URL
// and the check `ita serve` runs before it listens.
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

namespace ita::cli {

class DataCommands {
 public:
  // Adds `backup`, `restore` and `check` to `app`.
  explicit DataCommands(CLI::App& app);
  // True when the parsed command line is one of these commands.
  bool chosen() const;
  // Exit codes: 0 done (check: nothing wrong); 1 check found problems, listed on `out`; 2 bad
  // options, a refusal (restore onto a database holding data without --force, a backup of a
  // newer schema, a server using the database), a file that cannot be read or written, or a
  // database that cannot be opened.
  int run(std::ostream& out, std::ostream& err);

 private:
  int backup(std::ostream& out);
  int restore(std::ostream& out);
  int check(std::ostream& out);

  CLI::App* backup_ = nullptr;
  CLI::App* restore_ = nullptr;
  CLI::App* check_ = nullptr;
  std::string db_ = "var/openita.sqlite";
  std::string file_;
  std::string pg_bin_;
  bool force_ = false;
};

// The quick check (Store::check(true)) of the database `db` before `ita serve` migrates and
// serves it. Returns 0 when it may be served, or does not exist yet; otherwise prints the
// problems and what to do, in English and Thai, to `err` and returns 2. Changes nothing.
int check_before_serving(const std::string& db, std::ostream& err);

}  // namespace ita::cli
