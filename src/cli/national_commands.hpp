#pragma once
// The national-scale commands (docs/scaling.md):
//   ita datagen --agencies N --answers M --edition E --out DIR [--seed S]
//   ita import DIR --db URL
//   ita score --db URL --round-all [--out results.csv]   (options added to `ita score`)
//   ita score --dataset DIR [--out results.csv]          (the same CSV, straight from the files)
#include <CLI/CLI.hpp>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace ita::cli {

class NationalCommands {
 public:
  // Adds `datagen` and `import` to `app`, and --db/--round-all and --dataset to the `score`
  // subcommand (whose FILE then becomes optional: one of FILE, --db and --dataset is needed).
  NationalCommands(CLI::App& app, CLI::App* score);
  // True when the parsed command line is one of these commands.
  bool chosen() const;
  // Exit codes: 0 done; 2 bad options, a bad data set, an unwritable output or a database error.
  // Maps its own errors, bad data sets and database errors; InputError and io::FileError
  // propagate to cli::run, which maps them like every command's.
  int run(std::ostream& out, std::ostream& err, const std::optional<std::string>& out_path,
          const std::optional<std::string>& edition_file);

 private:
  int datagen(std::ostream& out, const std::optional<std::string>& edition_file);
  int import(std::ostream& out, const std::optional<std::string>& edition_file);
  int score_all(std::ostream& out, std::ostream& err, const std::optional<std::string>& out_path,
                const std::optional<std::string>& edition_file);
  int score_dataset(std::ostream& out, std::ostream& err,
                    const std::optional<std::string>& out_path,
                    const std::optional<std::string>& edition_file);

  CLI::App* datagen_ = nullptr;
  CLI::App* import_ = nullptr;
  CLI::App* score_ = nullptr;
  CLI::Option* score_db_ = nullptr;
  CLI::Option* score_file_ = nullptr;
  CLI::Option* score_dataset_ = nullptr;
  std::size_t agencies_ = 8300;
  std::size_t answers_ = 1'350'000;
  std::string edition_ = "2564";
  std::string out_dir_;
  std::uint64_t seed_ = 1;
  std::string import_dir_;
  std::string db_ = "var/openita.sqlite";
  std::string score_db_url_;
  std::string score_dataset_dir_;
  bool round_all_ = false;
  unsigned jobs_ = 0;
  std::string own_edition_file_;  // datagen and import --edition-file
};

}  // namespace ita::cli
