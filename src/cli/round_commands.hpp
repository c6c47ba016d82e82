#pragma once
// `ita round close ID` and `ita round reopen ID`: an assessment round's lifecycle from the
// command line (service/rounds.hpp), for the operator who runs the server. The audit log records
// them without a user (the command line).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace ita::cli {

class RoundCommands {
 public:
  explicit RoundCommands(CLI::App& app);
  bool chosen() const;
  // Closes or reopens the round, printing "round 7 closed" / "round 7 reopened" to `out`; 0 on
  // success. service::Error (no such round, closed already, open already) and the store's errors
  // (a missing database: "no database at …") propagate to cli::run, which prints them: exit 2.
  int run(std::ostream& out);

 private:
  CLI::App* close_ = nullptr;
  CLI::App* reopen_ = nullptr;
  std::int64_t round_id_ = 0;
  std::string db_ = "var/openita.sqlite";
};

}  // namespace ita::cli
