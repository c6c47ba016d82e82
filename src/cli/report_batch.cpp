#include "cli/report_batch.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <vector>

#include "core/analysis.hpp"
#include "io/atomic_file.hpp"
#include "io/edition_registry.hpp"
#include "io/json_error.hpp"
#include "report/document.hpp"
#include "report/measures_json.hpp"
#include "report/render.hpp"
#include "service/edition_catalog.hpp"
#include "store/national_reader.hpp"
#include "store/store.hpp"

namespace ita::cli {

namespace {

// A scored round and what its document needs besides.
struct Job {
  std::int64_t round_id = 0;
  const Edition* edition = nullptr;
  io::AgencyInfo agency;
  Result result;
  std::optional<std::string> saved_plan;  // the officer's plan, when one was saved
};

// Renders jobs[k], jobs[k + n], … and writes them; the number of documents written.
std::size_t render_share(const std::vector<Job>& jobs, std::size_t k, std::size_t n,
                         report::Format format, const std::string& dir, bool thai_digits) {
  std::size_t written = 0;
  for (std::size_t i = k; i < jobs.size(); i += n) {
    const Job& j = jobs[i];
    const Analysis a = analyze(*j.edition, j.result);
    const MeasuresPlan plan =
        j.saved_plan ? report::parse_measures(*j.saved_plan, "the measures plan of round " +
                                                                 std::to_string(j.round_id))
                     : build_default_plan(*j.edition, a, report::builtin_measures_library());
    const report::Document doc = report::build_document({*j.edition, j.agency, j.result, a, plan},
                                                        report::DocumentOptions{thai_digits, true});
    const std::string path =
        (std::filesystem::path(dir) / ("ita-measures-round-" + std::to_string(j.round_id) + "." +
                                       std::string(report::format_code(format))))
            .string();
    io::write_file_atomically(path, report::render(format, doc, report::RenderOptions{}));
    ++written;
  }
  return written;
}

}  // namespace

ReportBatchCommand::ReportBatchCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("reports",
                            "Write the measures document of every scorable round in a database");
  cmd_->add_option("--db", db_, "Database: a SQLite file path or postgresql://…")->required();
  cmd_->add_option("--out-dir", out_dir_,
                   "Folder for the documents (ita-measures-round-ID.pdf); created if missing")
      ->required();
  cmd_->add_option("--format", format_, "pdf, html or docx")
      ->check(CLI::IsMember({"pdf", "html", "docx"}))
      ->capture_default_str();
  cmd_->add_option("--jobs", jobs_, "Processes rendering documents")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd_->add_flag("--thai-digits", thai_digits_, "Every digit of the documents as a Thai digit");
}

bool ReportBatchCommand::chosen() const {
  return cmd_->parsed();
}

int ReportBatchCommand::run(std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  if (db_.find("://") == std::string::npos &&
      !std::filesystem::exists(db_.starts_with("sqlite:") ? db_.substr(7) : db_)) {
    err << "ita: error: no database at " << db_ << " (see --db)\n";
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir_, ec);
  if (ec || !std::filesystem::is_directory(out_dir_)) {
    err << "ita: error: " << out_dir_ << ": cannot create the folder for the documents\n";
    return 2;
  }
  const io::EditionSet editions =
      service::load_editions(*store::open_store(db_), io::EditionSet::builtin());
  std::vector<Job> jobs;
  std::size_t unscored = 0;
  try {
    store::score_all_rounds(
        db_, [&](std::string_view id) { return editions.find(id); },
        [&](store::NationalRound&& r) {
          if (!r.outcome.result) {
            ++unscored;
            return;
          }
          Job j;
          j.round_id = r.round_id;
          j.edition = editions.find(r.edition_id);
          j.agency = {r.agency.name, r.agency.district, r.agency.province, r.agency.type};
          j.result = std::move(*r.outcome.result);
          jobs.push_back(std::move(j));
        },
        0, true);
    auto st = store::open_store(db_);
    for (auto& j : jobs) j.saved_plan = st->measures_plan(j.round_id);
  } catch (const store::StoreError& e) {
    err << "ita: database error: " << e.what() << "\n";
    return 2;
  }
  const double scored_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto format = *report::parse_format(format_);
  const std::size_t n = std::min<std::size_t>(jobs_, std::max<std::size_t>(jobs.size(), 1));
  // Fonts, pango and cairo are first touched after the fork, so each child sets up its own.
  std::vector<pid_t> children;
  for (std::size_t k = 1; k < n; ++k) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      try {
        render_share(jobs, k, n, format, out_dir_, thai_digits_);
        std::fflush(nullptr);
        ::_exit(0);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "ita: error: %s\n", e.what());
        ::_exit(3);
      }
    }
    if (pid < 0) {
      err << "ita: error: cannot start a rendering process\n";
      return 3;
    }
    children.push_back(pid);
  }
  int failed = 0;
  try {
    render_share(jobs, 0, n, format, out_dir_, thai_digits_);
  } catch (const io::FileError& e) {
    err << "ita: error: " << e.what() << "\n";
    failed = 1;
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed = 1;
  }
  if (failed) return 3;
  const double total_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double render_s = total_s - scored_s;
  char line[256];
  std::snprintf(
      line, sizeof line,
      "ita: wrote %zu documents (%s) to %s in %.2f s: scoring %.2f s, rendering %.2f s with %zu "
      "process(es), %.1f ms a document per process; %zu rounds not scorable yet\n",
      jobs.size(), format_.c_str(), out_dir_.c_str(), total_s, scored_s, render_s, n,
      jobs.empty() ? 0.0
                   : 1000.0 * render_s * static_cast<double>(n) / static_cast<double>(jobs.size()),
      unscored);
  out << line;
  return 0;
}

}  // namespace ita::cli
