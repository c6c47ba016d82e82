#pragma once
// `ita export`: results, item scores and anonymous raw answers from the store, as CSV or XLSX,
// streamed row by row (report/export.hpp).
#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace ita::cli {

class ExportCommands {
 public:
  explicit ExportCommands(CLI::App& app);
  bool chosen() const;
  // Exit codes: 0 written; 2 bad options, unknown round or agency, a result not computable yet,
  // the raw answers of a round still open, an unwritable output or a database error (no output
  // file is left behind). An open round's results and items are its last release, marked
  // provisional (service/release.hpp).
  int run(std::ostream& out, std::ostream& err);

 private:
  int export_table(std::ostream& out, std::ostream& err);

  CLI::App* export_ = nullptr;
  std::string db_ = "var/openita.sqlite";
  std::optional<std::int64_t> round_;
  std::optional<std::int64_t> agency_;
  bool all_rounds_ = false;
  std::string table_ = "results";
  std::string format_ = "csv";
  std::string out_path_;
  bool exact_ = false;
  bool bom_ = false;
  bool lf_ = false;
  std::size_t min_respondents_ = 5;  // as ita serve's --min-respondents (service/release.hpp)
  bool raw_ = false;
};

}  // namespace ita::cli
