#include "cli/export_commands.hpp"

#include <filesystem>
#include <memory>
#include <ostream>
#include <stdexcept>

#include "core/error.hpp"
#include "io/edition_registry.hpp"
#include "io/json_error.hpp"
#include "report/export.hpp"
#include "service/calendar.hpp"
#include "service/edition_catalog.hpp"
#include "service/errors.hpp"
#include "service/release.hpp"
#include "service/scoring.hpp"
#include "store/store.hpp"

namespace ita::cli {

namespace {

// A request `ita export` cannot carry out: exit 2 with this message.
class ExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Opens the store, refusing to create a new SQLite file where none exists (an export of an
// empty database is a typo in --db, not a request).
std::unique_ptr<store::Store> open_existing(const std::string& db) {
  if (db.find("://") == std::string::npos) {
    const std::string path = db.starts_with("sqlite:") ? db.substr(7) : db;
    if (!std::filesystem::exists(path)) throw ExportError("no database at " + path + " (see --db)");
  }
  return store::open_store(db);
}

const Edition& edition_of(const io::EditionSet& editions, const store::Round& round) {
  const Edition* e = editions.find(round.edition_id);
  if (e == nullptr) {
    throw ExportError("round " + std::to_string(round.id) + " uses edition " + round.edition_id +
                      ", which is not loaded");
  }
  return *e;
}

// The round's stored answers, for report::write_answers_csv.
report::AnswerSource answers_of(store::Store& store, std::int64_t round_id) {
  return [&store, round_id](const std::function<void(const report::AnswerRecord&)>& emit) {
    store.for_each_answer(round_id, [&](const store::AnswerRow& a) {
      emit({a.tool, a.response_id, a.unit, a.option});
    });
  };
}

}  // namespace

ExportCommands::ExportCommands(CLI::App& app) {
  export_ = app.add_subcommand(
      "export", "Export results, item scores or anonymous raw answers as CSV or XLSX");
  export_
      ->add_option("--db", db_,
                   "Database: a SQLite file path (default var/openita.sqlite) or postgresql://…")
      ->capture_default_str();
  auto* round = export_->add_option("--round", round_, "The round to export");
  auto* agency =
      export_->add_option("--agency", agency_, "Every round of this agency (results, items)");
  auto* all = export_->add_flag("--all-rounds", all_rounds_,
                                "Every round of every agency, agency by agency (results, items)");
  round->excludes(agency)->excludes(all);
  agency->excludes(all);
  export_
      ->add_option(
          "--table", table_,
          "results (one row per round), items (per round and item) or answers (raw, anonymous)")
      ->check(CLI::IsMember({"results", "items", "answers"}))
      ->capture_default_str();
  export_->add_option("--format", format_, "csv or xlsx (answers: csv only)")
      ->check(CLI::IsMember({"csv", "xlsx"}))
      ->capture_default_str();
  export_
      ->add_option("--out", out_path_,
                   "The file to write (atomically); - writes CSV to standard output")
      ->required();
  export_->add_flag("--exact", exact_, "Also write the full-precision values (…_exact columns)");
  export_->add_flag("--bom", bom_, "Start the CSV with a UTF-8 byte order mark (for Excel)");
  export_->add_flag("--lf", lf_, "End CSV lines with LF instead of CRLF");
  export_
      ->add_option("--min-respondents", min_respondents_,
                   "An open round's figures are its last release, renewed once IIT and EIT each "
                   "have this many more respondents (use the value of ita serve)")
      ->capture_default_str();
  export_->add_flag("--raw", raw_,
                    "Write CSV text cells as stored: no apostrophe before a text that starts "
                    "with =, +, -, @, tab or CR (by default one is added, so that spreadsheet "
                    "programs do not run it as a formula)");
}

bool ExportCommands::chosen() const {
  return export_->parsed();
}

int ExportCommands::run(std::ostream& out, std::ostream& err) {
  try {
    return export_table(out, err);
  } catch (const ExportError& e) {
    err << "ita: error: " << e.what() << "\n";
  } catch (const io::FileError& e) {
    err << "ita: error: " << e.what() << "\n";
  } catch (const InputError& e) {
    err << "ita: error: " << e.field() << ": " << e.what() << "\n";
  } catch (const store::StoreError& e) {
    err << "ita: database error: " << e.what() << "\n";
  } catch (const report::AnswerSourceError& e) {
    err << "ita: database error: " << e.what() << "\n";
  }
  return 2;
}

int ExportCommands::export_table(std::ostream& out, std::ostream& err) {
  if (!round_ && !agency_ && !all_rounds_)
    throw ExportError("choose what to export: --round ID, --agency ID or --all-rounds");
  if (table_ == "answers" && !round_)
    throw ExportError("the raw answers are exported one round at a time: use --round ID");
  if (table_ == "answers" && format_ == "xlsx")
    throw ExportError("the raw answers are exported as CSV only (--format csv)");
  if (out_path_ == "-" && format_ == "xlsx")
    throw ExportError("an XLSX file cannot go to standard output: give --out FILE.xlsx");
  const bool to_stdout = out_path_ == "-";
  const report::CsvOptions csv{bom_, !lf_, raw_};

  auto store = open_existing(db_);
  const io::EditionSet editions = service::load_editions(*store, io::EditionSet::builtin());
  std::optional<store::Round> one;
  if (round_) {
    one = store->round(*round_);
    if (!one) throw ExportError("no round with id " + std::to_string(*round_) + " in " + db_);
  }
  if (agency_ && !store->agency(*agency_))
    throw ExportError("no agency with id " + std::to_string(*agency_) + " in " + db_);

  const auto today = service::thai_today();
  if (table_ == "answers") {
    try {
      service::require_answers_released(*one, today);
    } catch (const service::Refused& refused) {
      throw ExportError("round " + std::to_string(one->id) +
                        " is open: its raw answers are exported once it is closed (" +
                        refused.what() + ")");
    }
    const Edition& e = edition_of(editions, *one);
    const std::map<std::string, bool> verdicts = service::oit_verdicts(*store, one->id);
    report::AnswersExport written;
    if (to_stdout) {
      report::CsvWriter writer(out, csv);
      written =
          report::write_answers_csv(one->id, answers_of(*store, one->id), verdicts, e, writer);
      writer.flush();
      return 0;
    }
    io::AtomicFile file(out_path_);
    report::CsvWriter writer(file.fd(), csv, out_path_);
    written = report::write_answers_csv(one->id, answers_of(*store, one->id), verdicts, e, writer);
    writer.flush();
    file.commit();
    out << out_path_ << ": " << written.answers << " answers of " << written.iit_respondents
        << " IIT and " << written.eit_respondents << " EIT respondents, " << written.oit_verdicts
        << " OIT verdicts\n";
    return 0;
  }

  // One round: its result must be computable, or nothing is written at all.
  std::optional<service::ReleasedResult> one_score;
  std::vector<const Edition*> column_editions;
  if (one) {
    const Edition& e = edition_of(editions, *one);
    one_score = service::released_result(*store, e, *one, min_respondents_, today);
    if (!one_score->result) {
      throw ExportError("the result of round " + std::to_string(one->id) +
                        " cannot be computed yet: " + service::reasons(one_score->missing));
    }
    column_editions = {&e};
  } else {
    column_editions = editions.all();
  }

  std::unique_ptr<report::CsvWriter> stdout_writer;
  std::unique_ptr<report::TableSink> sink;
  if (to_stdout) {
    stdout_writer = std::make_unique<report::CsvWriter>(out, csv);
    sink = report::csv_table(*stdout_writer);
  } else if (format_ == "csv") {
    sink = report::csv_table_file(out_path_, csv);
  } else {
    sink = report::xlsx_table_file(out_path_, table_ == "results" ? "results" : "item_scores");
  }
  const report::ExportOptions options{exact_};
  std::optional<report::ResultsTable> results;
  std::optional<report::ItemScoresTable> items;
  if (table_ == "results") {
    results.emplace(*sink, report::indicator_columns(column_editions), options);
  } else {
    items.emplace(*sink, options);
  }
  std::size_t rounds = 0, skipped = 0;
  auto add = [&](const store::Agency& agency, const store::Round& round, const Edition& e,
                 const service::ReleasedResult& released) {
    const report::RoundRecord record{
        {agency.id, agency.name, agency.district, agency.province, agency.type},
        round.id,
        round.edition_id,
        e,
        *released.result,
        released.provisional};
    if (results) {
      results->add(record);
    } else {
      items->add(record);
    }
    ++rounds;
  };
  // Several rounds: one at a time, so memory holds one round's answers tally, not the table.
  auto add_agency = [&](const store::Agency& agency) {
    for (const auto& round : store->rounds_of_agency(agency.id)) {
      const Edition* e = editions.find(round.edition_id);
      if (e == nullptr) {
        err << "ita: note: round " << round.id << " skipped: edition " << round.edition_id
            << " is not loaded\n";
        ++skipped;
        continue;
      }
      const service::ReleasedResult s =
          service::released_result(*store, *e, round, min_respondents_, today);
      if (!s.result) {
        err << "ita: note: round " << round.id << " (" << agency.name
            << ") skipped: " << service::reasons(s.missing) << "\n";
        ++skipped;
        continue;
      }
      add(agency, round, *e, s);
    }
  };
  if (one) {
    add(*store->agency(one->agency_id), *one, edition_of(editions, *one), *one_score);
  } else if (agency_) {
    add_agency(*store->agency(*agency_));
  } else {
    for (const auto& agency : store->agencies()) add_agency(agency);
  }
  const std::size_t rows = results ? results->rows() : items->rows();
  if (results) {
    results->finish();
  } else {
    items->finish();
  }
  if (!to_stdout) {
    out << out_path_ << ": " << rows << " rows from " << rounds
        << (rounds == 1 ? " round" : " rounds");
    if (skipped > 0) out << " (" << skipped << " skipped, see the notes above)";
    out << "\n";
  }
  return 0;
}

}  // namespace ita::cli
