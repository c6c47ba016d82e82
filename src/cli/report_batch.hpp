#pragma once
// `ita reports --db URL --out-dir DIR [--format pdf|html|docx] [--jobs N] [--thai-digits]`:
// the measures document of every scorable round in the database, one file per round
// (ita-measures-round-ID.EXT), for the national job. Rounds are scored in one pass
// (store/national_reader.hpp); the documents are rendered by N processes forked after scoring,
// each reusing its fonts from one document to the next, and every file is written atomically.
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

namespace ita::cli {

class ReportBatchCommand {
 public:
  explicit ReportBatchCommand(CLI::App& app);
  bool chosen() const;
  // 0 done; 2 a bad option, a missing database or an unwritable folder; 3 a child failed.
  int run(std::ostream& out, std::ostream& err);

 private:
  CLI::App* cmd_ = nullptr;
  std::string db_;
  std::string out_dir_;
  std::string format_ = "pdf";
  unsigned jobs_ = 1;
  bool thai_digits_ = false;
};

}  // namespace ita::cli
