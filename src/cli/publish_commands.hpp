#pragma once
// `ita agency add|set-website` and `ita oit index`: an agency's details and its public OIT index
// (service/agencies.hpp, service/oit_index.hpp) from the command line, for the operator who runs
// the server. The audit log records the changes without a user (the command line).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace ita::cli {

class PublishCommands {
 public:
  // Registers `ita agency add|set-website` and `ita oit index` (the `oit` command is shared with
  // cli/oit_commands.hpp, which finds it).
  explicit PublishCommands(CLI::App& app);
  bool chosen() const;
  // `agency add` prints "agency 7 added", `agency set-website` "agency 7 website: URL", `oit
  // index` the two files written; 0 on success, 2 when the output cannot be written (printed to
  // `err`). service::Error (Invalid values, an unknown agency or round) and the store's errors
  // (a missing database) propagate to cli::run, which prints them: exit 2.
  int run(std::ostream& out, std::ostream& err);

 private:
  int add_agency(std::ostream& out);
  int set_website(std::ostream& out);
  int write_index(std::ostream& out);

  CLI::App* add_ = nullptr;
  CLI::App* set_website_ = nullptr;
  CLI::App* index_ = nullptr;
  std::string db_ = "var/openita.sqlite";
  std::string name_, district_, province_, type_, website_;
  std::int64_t agency_id_ = 0;
  std::int64_t round_id_ = 0;
  std::string out_dir_;
};

}  // namespace ita::cli
