#include "cli/national_commands.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <stdexcept>
#include <vector>

#include "core/error.hpp"
#include "core/national.hpp"
#include "core/thai.hpp"
#include "io/atomic_file.hpp"
#include "io/dataset_scoring.hpp"
#include "io/edition_registry.hpp"
#include "io/json_error.hpp"
#include "io/national_dataset.hpp"
#include "report/export.hpp"
#include "service/edition_catalog.hpp"
#include "store/bulk_import.hpp"
#include "store/national_reader.hpp"
#include "store/store.hpp"

namespace ita::cli {

namespace {

constexpr int kExitBadInput = 2;

// A request these commands cannot carry out: exit 2 with this message.
class NationalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

io::EditionSet load_editions(const std::optional<std::string>& edition_file) {
  io::EditionSet set = io::EditionSet::builtin();
  if (edition_file) set.add_file(*edition_file);
  return set;
}

// The editions of load_editions plus those published in the database at `db_url`.
io::EditionSet load_editions(const std::optional<std::string>& edition_file,
                             const std::string& db_url) {
  return service::load_editions(*store::open_store(db_url), load_editions(edition_file));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A text field of the results CSV: neutralised when it starts like a formula (an agency named
// "=HYPERLINK(…)"), then quoted per RFC 4180 (report/export.hpp).
std::string csv_field(const std::string& s) {
  return report::csv_field(report::neutralise_formula(s));
}

// What the results file needs of a round; the rest of its result is dropped as it streams by.
struct Row {
  std::int64_t agency_id = 0;
  std::string agency, province, type;
  std::string edition;
  bool scored = false;
  Rounded tools[3];
  Rounded total;
  std::string level_code;
  std::string level_th;
};

// The row of an outcome; `why` gets the reasons a round has no result.
Row row_of(std::int64_t agency_id, std::string agency, std::string province, std::string type,
           std::string edition, const national::RoundOutcome& outcome, std::string& why) {
  Row row;
  row.agency_id = agency_id;
  row.agency = std::move(agency);
  row.province = std::move(province);
  row.type = std::move(type);
  row.edition = std::move(edition);
  if (outcome.result) {
    const Result& result = *outcome.result;
    row.scored = true;
    for (std::size_t t = 0; t < 3; ++t) row.tools[t] = round2(result.tool_score(kAllTools[t]));
    row.total = round2(result.total);
    row.level_code = result.level.code;
    row.level_th = result.level.label_th;
  } else {
    for (const auto& m : outcome.missing) why += (why.empty() ? "" : "; ") + m;
  }
  return row;
}

// The results CSV of `rows`, ranked nationally, by province and by type among the scored ones.
std::string results_csv(const std::vector<Row>& rows) {
  std::vector<national::Standing> standings;
  std::vector<std::size_t> scored_rows;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].scored) continue;
    standings.push_back(
        {rows[i].agency_id, rows[i].edition, rows[i].province, rows[i].type, rows[i].total});
    scored_rows.push_back(i);
  }
  const std::vector<national::Ranks> ranks = national::rank_standings(standings);
  std::vector<const national::Ranks*> rank_of(rows.size(), nullptr);
  for (std::size_t k = 0; k < scored_rows.size(); ++k) rank_of[scored_rows[k]] = &ranks[k];

  std::string csv =
      "agency_id,agency,province,type,edition,iit,eit,oit,total,level_code,level_th,rank_national,"
      "rank_province,rank_type\n";
  csv.reserve(rows.size() * 160);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    csv += std::to_string(r.agency_id) + ',' + csv_field(r.agency) + ',' + csv_field(r.province) +
           ',' + csv_field(r.type) + ',' + csv_field(r.edition) + ',';
    if (r.scored) {
      const national::Ranks& k = *rank_of[i];
      csv += format2(r.tools[0]) + ',' + format2(r.tools[1]) + ',' + format2(r.tools[2]) + ',' +
             format2(r.total) + ',' + csv_field(r.level_code) + ',' + csv_field(r.level_th) + ',' +
             std::to_string(k.national) + ',' + std::to_string(k.province) + ',' +
             std::to_string(k.type) + '\n';
    } else {
      csv += ",,,,,,,,\n";
    }
  }
  return csv;
}

// Writes `csv` to standard output ("-" or none), a device, or a file replaced atomically.
void write_results(const std::string& csv, std::ostream& out,
                   const std::optional<std::string>& out_path) {
  std::error_code ec;
  if (!out_path || *out_path == "-") {
    out << csv;
  } else if (std::filesystem::exists(*out_path, ec) &&
             !std::filesystem::is_regular_file(*out_path, ec)) {
    // A device or pipe (/dev/null, /dev/stdout): written in place, never replaced by a rename.
    std::ofstream device(*out_path, std::ios::binary);
    device << csv;
    if (!device) throw NationalError("cannot write " + *out_path);
  } else {
    io::write_file_atomically(*out_path, csv);
  }
}

// The first 20 rounds without a result, then how many more.
void note_unscored(const std::vector<std::string>& unscored, std::ostream& err) {
  for (std::size_t i = 0; i < unscored.size() && i < 20; ++i)
    err << "ita: note: no result for " << unscored[i] << "\n";
  if (unscored.size() > 20)
    err << "ita: note: … and " << unscored.size() - 20 << " more rounds without a result\n";
}

std::size_t scored_count(const std::vector<Row>& rows) {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [](const Row& r) { return r.scored; }));
}

}  // namespace

NationalCommands::NationalCommands(CLI::App& app, CLI::App* score) : score_(score) {
  datagen_ = app.add_subcommand(
      "datagen",
      "Write a deterministic synthetic national data set (agencies, answers, OIT verdicts)");
  datagen_->add_option("--agencies", agencies_, "Number of agencies")->capture_default_str();
  datagen_
      ->add_option(
          "--answers", answers_,
          "Number of IIT + EIT respondents (about one third IIT), each answering every unit")
      ->capture_default_str();
  datagen_->add_option("--edition", edition_, "Edition id")->capture_default_str();
  datagen_->add_option("--edition-file", own_edition_file_, "Load an edition from this file");
  datagen_->add_option("--out", out_dir_, "The folder to write (created if missing)")->required();
  datagen_->add_option("--seed", seed_, "Seed: the same seed and options give the same bytes")
      ->capture_default_str();

  import_ = app.add_subcommand(
      "import", "Bulk-load a data set from ita datagen into a store (SQLite or PostgreSQL)");
  import_->add_option("DIR", import_dir_, "The data set folder (with dataset.json)")->required();
  import_->add_option("--db", db_, "Database: a SQLite file path or postgresql://…")->required();
  import_->add_option("--edition-file", own_edition_file_, "Load an edition from this file");

  score_file_ = score_->get_option("FILE");
  score_file_->required(false);
  score_db_ =
      score_->add_option("--db", score_db_url_,
                         "Score every round of this database (with --round-all) instead of FILE");
  auto* all =
      score_->add_flag("--round-all", round_all_,
                       "With --db: every round in one pass; writes a CSV with national ranks");
  score_dataset_ = score_->add_option(
      "--dataset", score_dataset_dir_,
      "Score a data set from ita datagen straight from its files (every row checked as ita "
      "import checks it), instead of FILE; writes the CSV of --round-all");
  score_->add_option("--jobs", jobs_,
                     "With --db or --dataset: parallel answer streams (default: 2 on SQLite, 1 on "
                     "PostgreSQL, one per core for --dataset)");
  score_db_->excludes(score_file_);
  score_dataset_->excludes(score_file_);
  score_dataset_->excludes(score_db_);
  all->needs(score_db_);
}

bool NationalCommands::chosen() const {
  return datagen_->parsed() || import_->parsed() ||
         (score_->parsed() &&
          (score_db_->count() > 0 || score_dataset_->count() > 0 || score_file_->count() == 0));
}

int NationalCommands::run(std::ostream& out, std::ostream& err,
                          const std::optional<std::string>& out_path,
                          const std::optional<std::string>& edition_file) {
  const std::optional<std::string> editions_from =
      own_edition_file_.empty() ? edition_file : std::optional(own_edition_file_);
  try {
    if (datagen_->parsed()) return datagen(out, editions_from);
    if (import_->parsed()) return import(out, editions_from);
    if (score_dataset_->count() > 0) return score_dataset(out, err, out_path, editions_from);
    if (score_db_->count() == 0)
      throw NationalError("ita score needs FILE, --db URL --round-all, or --dataset DIR");
    if (!round_all_) throw NationalError("ita score --db scores every round: add --round-all");
    return score_all(out, err, out_path, editions_from);
  } catch (const NationalError& e) {
    err << "ita: error: " << e.what() << "\n";
  } catch (const io::DatasetError& e) {
    err << "ita: error: " << e.what() << "\n";
  } catch (const store::StoreError& e) {
    err << "ita: error: database: " << e.what() << "\n";
  }
  return kExitBadInput;
}

int NationalCommands::datagen(std::ostream& out, const std::optional<std::string>& edition_file) {
  const auto start = std::chrono::steady_clock::now();
  const io::EditionSet set = load_editions(edition_file);
  io::DatagenOptions o;
  o.agencies = agencies_;
  o.respondents = answers_;
  o.seed = seed_;
  o.out_dir = out_dir_;
  const io::DatagenSummary s = io::generate_national_dataset(set.get(edition_), o);
  out << "datagen: " << s.agencies << " agencies, " << s.iit_respondents << " IIT + "
      << s.eit_respondents << " EIT respondents, " << s.answers << " answers, " << s.oit_verdicts
      << " OIT verdicts in " << out_dir_ << " (" << format_number(seconds_since(start), 2)
      << " s)\n";
  return 0;
}

int NationalCommands::import(std::ostream& out, const std::optional<std::string>& edition_file) {
  const auto start = std::chrono::steady_clock::now();
  const io::EditionSet set = load_editions(edition_file);
  const store::ImportSummary s =
      store::bulk_import(import_dir_, db_, [&](std::string_view id) { return set.find(id); });
  out << "import: ";
  if (s.already_imported)
    out << "this data set (SHA-256 " << s.dataset_sha256
        << ") was imported before, nothing changed: ";
  out << s.agencies << " agencies (ids from " << s.first_agency_id << "), " << s.rounds
      << " rounds of edition " << s.edition << " (ids from " << s.first_round_id << "), "
      << s.responses << " responses, " << s.answers << " answers, " << s.oit_entries
      << " OIT verdicts (" << format_number(seconds_since(start), 2) << " s)\n";
  return 0;
}

int NationalCommands::score_all(std::ostream& out, std::ostream& err,
                                const std::optional<std::string>& out_path,
                                const std::optional<std::string>& edition_file) {
  const auto start = std::chrono::steady_clock::now();
  if (score_db_url_.find("://") == std::string::npos) {
    const std::string path =
        score_db_url_.starts_with("sqlite:") ? score_db_url_.substr(7) : score_db_url_;
    if (!std::filesystem::exists(path))
      throw NationalError("no database at " + path + " (see --db)");
  }
  const io::EditionSet set = load_editions(edition_file, score_db_url_);
  std::vector<Row> rows;
  std::vector<std::string> unscored;
  const store::NationalStats stats = store::score_all_rounds(
      score_db_url_, [&](std::string_view id) { return set.find(id); },
      [&](store::NationalRound&& r) {
        std::string why;
        rows.push_back(row_of(r.agency.id, std::move(r.agency.name), std::move(r.agency.province),
                              std::move(r.agency.type), std::move(r.edition_id), r.outcome, why));
        if (!why.empty())
          unscored.push_back("round " + std::to_string(r.round_id) + " (agency " +
                             std::to_string(r.agency.id) + "): " + why);
      },
      jobs_);
  write_results(results_csv(rows), out, out_path);
  note_unscored(unscored, err);
  err << "ita: scored " << scored_count(rows) << " of " << stats.rounds << " rounds from "
      << stats.answers << " answers of " << stats.responses << " responses in "
      << format_number(seconds_since(start), 3) << " s (" << stats.streams
      << (stats.streams == 1 ? " stream" : " streams") << ")\n";
  return 0;
}

int NationalCommands::score_dataset(std::ostream& out, std::ostream& err,
                                    const std::optional<std::string>& out_path,
                                    const std::optional<std::string>& edition_file) {
  const auto start = std::chrono::steady_clock::now();
  const io::EditionSet set = load_editions(edition_file);
  std::vector<Row> rows;
  std::vector<std::string> unscored;
  const io::DatasetScoreStats stats = io::score_dataset(
      score_dataset_dir_, [&](std::string_view id) { return set.find(id); },
      [&](io::DatasetRound&& r) {
        std::string why;
        const std::int64_t id = r.agency.id;
        rows.push_back(row_of(id, std::move(r.agency.name), std::move(r.agency.province),
                              std::move(r.agency.type), std::string(), r.outcome, why));
        if (!why.empty()) unscored.push_back("agency " + std::to_string(id) + ": " + why);
      },
      jobs_);
  for (Row& r : rows) r.edition = stats.edition;
  write_results(results_csv(rows), out, out_path);
  note_unscored(unscored, err);
  err << "ita: scored " << scored_count(rows) << " of " << stats.agencies << " agencies from "
      << stats.answers << " answers of " << stats.responses << " respondents and "
      << stats.oit_verdicts << " OIT verdicts in " << format_number(seconds_since(start), 3)
      << " s (" << stats.streams << (stats.streams == 1 ? " stream" : " streams") << ")\n";
  return 0;
}

}  // namespace ita::cli
