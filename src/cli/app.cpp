#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "cli/data_commands.hpp"
#include "cli/export_commands.hpp"
#include "cli/national_commands.hpp"
#include "cli/oit_commands.hpp"
#include "cli/publish_commands.hpp"
#include "cli/report_batch.hpp"
#include "cli/round_commands.hpp"
#include "cli/text_output.hpp"
#include "cli/web_commands.hpp"
#include "core/analysis.hpp"
#include "core/audit.hpp"
#include "core/error.hpp"
#include "core/whatif.hpp"
#include "io/atomic_file.hpp"
#include "io/edition_json.hpp"
#include "io/edition_sheet.hpp"
#include "io/json_error.hpp"
#include "io/result_json.hpp"
#include "report/report.hpp"
#include "service/errors.hpp"
#include "store/store.hpp"

namespace ita::cli {

namespace {

constexpr int kExitContradictions = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;

// Options shared by the commands that read a score input.
struct InputOptions {
  std::string file;
  std::optional<std::string> edition;
  std::optional<std::string> edition_file;
  bool json = false;
  bool thai_digits = false;
  std::optional<std::string> out;
};

void add_input_options(CLI::App* cmd, InputOptions& o, const char* what) {
  cmd->add_option("FILE", o.file, what)->required();
  cmd->add_option("--edition", o.edition,
                  "Edition id (fiscal year, e.g. 2566); required for a CSV of raw answers");
  cmd->add_option("--edition-file", o.edition_file,
                  "Load an edition from this file (and use it if its id matches)");
  cmd->add_flag("--json", o.json, "Print JSON instead of Thai text");
  cmd->add_flag("--thai-digits", o.thai_digits, "Write numbers with Thai digits (text output)");
  cmd->add_option("--out", o.out,
                  "Write the output to this file (atomically) instead of standard output");
}

class Runner {
 public:
  Runner(std::ostream& out, std::ostream& err, const Hooks& hooks)
      : out_(out), err_(err), hooks_(hooks) {}

  int run(int argc, const char* const* argv) {
    CLI::App app{"OpenITA: Thailand's Integrity and Transparency Assessment, end to end", "ita"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "ita 0.1.0");

    auto* score_cmd = app.add_subcommand(
        "score", "Score a result input (indicator scores, item scores or raw answers)");
    add_input_options(
        score_cmd, in_,
        "Result input: .json (ita-result-input/1) or .csv (tool,respondent,item,answer)");
    auto* analyze_cmd =
        app.add_subcommand("analyze", "Ranking, strengths and weaknesses, items to improve");
    add_input_options(analyze_cmd, in_, "Result input (.json or .csv)");
    auto* whatif_cmd = app.add_subcommand(
        "whatif", "The smallest set of improvements that reaches the next level");
    add_input_options(whatif_cmd, in_, "Result input (.json or .csv)");
    std::optional<std::string> target;
    whatif_cmd->add_option("--target", target,
                           "Level code to aim for instead of the next one (e.g. excellent, AA)");
    auto* audit_cmd = app.add_subcommand(
        "audit", "Check the numbers a published document states for contradictions");
    add_input_options(audit_cmd, in_, "Published claims (.json, ita-published-claims/1)");

    auto* report_cmd = app.add_subcommand(
        "report", "Write the measures document (มาตรการส่งเสริมคุณธรรมและความโปร่งใส)");
    add_input_options(report_cmd, in_, "Result input (.json or .csv)");
    std::string format = "pdf";
    std::optional<std::string> measures, creation_date;
    report_cmd->add_option("--format", format, "pdf, html or docx")
        ->check(CLI::IsMember({"pdf", "html", "docx"}))
        ->capture_default_str();
    report_cmd->add_option(
        "--measures", measures,
        "The measures plan (ita-measures/1 JSON); default: built from the library");
    report_cmd->add_option("--creation-date", creation_date,
                           "Fixed creation date (YYYY-MM-DD) for reproducible files");
    bool print_measures = false;
    report_cmd->add_flag("--print-default-measures", print_measures,
                         "Print the default measures plan (to edit) instead of a document");

    auto* edition_cmd = app.add_subcommand("edition", "Framework editions");
    edition_cmd->require_subcommand(1);
    auto* list_cmd = edition_cmd->add_subcommand("list", "List the built-in editions");
    list_cmd->add_flag("--json", in_.json, "Print JSON");
    auto* show_cmd = edition_cmd->add_subcommand("show", "Show one edition");
    std::string edition_id;
    show_cmd->add_option("ID", edition_id, "Edition id (e.g. 2566) or a file path")->required();
    show_cmd->add_flag("--json", in_.json, "Print JSON");
    show_cmd->add_flag("--thai-digits", in_.thai_digits, "Thai digits");
    auto* validate_cmd = edition_cmd->add_subcommand("validate", "Check an edition file");
    std::string validate_file;
    validate_cmd->add_option("FILE", validate_file, "Edition file: .json, .xlsx or a CSV folder")
        ->required();
    auto* export_cmd =
        edition_cmd->add_subcommand("export", "Write an edition as a spreadsheet to edit");
    std::string export_id, export_format = "xlsx", export_out;
    export_cmd->add_option("ID", export_id, "Edition id (e.g. 2568) or an edition file")
        ->required();
    export_cmd->add_option("--format", export_format, "xlsx, or csv-dir (one CSV file per sheet)")
        ->check(CLI::IsMember({"xlsx", "csv-dir"}))
        ->capture_default_str();
    export_cmd->add_option("--out", export_out, "The .xlsx file or the folder to write")
        ->required();
    auto* import_cmd = edition_cmd->add_subcommand(
        "import", "Check an edition spreadsheet (.xlsx or a CSV folder) and write it as JSON");
    std::string import_file;
    std::optional<std::string> import_out;
    bool import_thai = false;
    import_cmd->add_option("FILE", import_file, "Edition: .xlsx, a CSV folder, or .json")
        ->required();
    import_cmd->add_option("--out", import_out,
                           "The edition JSON to write (atomically); default: standard output");
    import_cmd->add_flag("--thai", import_thai, "Report the problems in Thai");

    WebCommands web(app, hooks_.serve);
    RoundCommands rounds(app);
    PublishCommands publish(app);  // before OitCommands: both add to `ita oit`
    OitCommands oit(app);
    ExportCommands exports(app);
    NationalCommands national(app, score_cmd);
    ReportBatchCommand reports(app);
    DataCommands data(app);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      const int code = app.exit(e, out_, err_);
      return code == 0 ? 0 : kExitBadInput;
    }

    try {
      if (web.chosen()) return web.run(out_, err_, std::cin);
      if (rounds.chosen()) return rounds.run(out_);
      if (publish.chosen()) return publish.run(out_, err_);
      if (oit.chosen()) return oit.run(out_, err_);
      if (exports.chosen()) return exports.run(out_, err_);
      if (national.chosen()) return national.run(out_, err_, in_.out, in_.edition_file);
      if (reports.chosen()) return reports.run(out_, err_);
      if (data.chosen()) return data.run(out_, err_);
      if (score_cmd->parsed()) return score();
      if (analyze_cmd->parsed()) return analyze();
      if (whatif_cmd->parsed()) return whatif(target);
      if (audit_cmd->parsed()) return audit_claims();
      if (report_cmd->parsed()) return report(format, measures, creation_date, print_measures);
      if (list_cmd->parsed()) return edition_list();
      if (show_cmd->parsed()) return edition_show(edition_id);
      if (validate_cmd->parsed()) return edition_validate(validate_file);
      if (export_cmd->parsed()) return edition_export(export_id, export_format, export_out);
      if (import_cmd->parsed()) return edition_import(import_file, import_out, import_thai);
    } catch (const io::FileError& e) {
      err_ << "ita: error: " << e.what() << "\n";
      return kExitBadInput;
    } catch (const service::Error& e) {
      err_ << "ita: error: " << e.what() << "\n";
      return kExitBadInput;
    } catch (const InputError& e) {
      err_ << "ita: error: " << (in_.file.empty() ? "" : in_.file + ": ") << e.field() << ": "
           << e.what() << "\n";
      return kExitBadInput;
    } catch (const store::StoreError& e) {
      err_ << "ita: database error: " << e.what() << "\n";
      return kExitBadInput;
    } catch (const store::Conflict& e) {
      err_ << "ita: error: " << e.what() << "\n";
      return kExitBadInput;
    } catch (const std::exception& e) {
      err_ << "ita: internal error: " << e.what() << "\n";
      return kExitInternal;
    }
    return kExitBadInput;
  }

 private:
  io::EditionSet editions() {
    io::EditionSet set = io::EditionSet::builtin();
    if (in_.edition_file) {
      const Edition& e = set.add_file(*in_.edition_file);
      if (!in_.edition) in_.edition = e.id;
    }
    return set;
  }

  io::ScoredInput load(const io::EditionSet& set) {
    return io::score_file(in_.file, set, io::ScoreOptions{in_.edition});
  }

  void emit(const std::string& text) {
    if (in_.out) {
      io::write_file_atomically(*in_.out, text);
    } else {
      out_ << text;
    }
  }
  void emit(const nlohmann::json& j) { emit(j.dump(2) + "\n"); }

  TextStyle style() const { return TextStyle{in_.thai_digits}; }

  int score() {
    const auto set = editions();
    const auto s = load(set);
    if (in_.json) {
      emit(io::result_json(*s.edition, s.result, s.agency));
    } else {
      emit(score_text(*s.edition, s.result, s.agency, style()));
    }
    return 0;
  }

  int analyze() {
    const auto set = editions();
    const auto s = load(set);
    const Analysis a = ita::analyze(*s.edition, s.result);
    if (in_.json) {
      emit(io::analysis_json(*s.edition, s.result, a, s.agency));
    } else {
      emit(analysis_text(*s.edition, s.result, a, s.agency, style()));
    }
    return 0;
  }

  int whatif(const std::optional<std::string>& target) {
    const auto set = editions();
    const auto s = load(set);
    WhatIf w;
    if (target) {
      const auto& rules = s.edition->grading.rules;
      std::size_t i = 0;
      while (i < rules.size() && rules[i].code != *target) ++i;
      if (i == rules.size())
        throw InputError("--target",
                         "unknown level \"" + *target + "\" in edition " + s.edition->id);
      w = what_if(*s.edition, s.result, i);
    } else {
      w = what_if_next(*s.edition, s.result);
    }
    if (in_.json) {
      emit(io::whatif_json(*s.edition, w));
    } else {
      emit(whatif_text(*s.edition, w, style()));
    }
    return 0;
  }

  int audit_claims() {
    const auto set = editions();
    const auto c = io::parse_claims(io::read_file(in_.file), in_.file);
    const Edition& e = set.get(in_.edition.value_or(c.edition));
    const AuditReport report = ita::audit(e, c.claims);
    if (in_.json) {
      emit(io::audit_json(report));
    } else {
      emit(audit_text(report, style()));
    }
    return report.contradictions() == 0 ? 0 : kExitContradictions;
  }

  int report(const std::string& format, const std::optional<std::string>& measures,
             const std::optional<std::string>& creation_date, bool print_measures) {
    report::ReportRequest req;
    req.input = in_.file;
    req.format = *report::parse_format(format);
    req.thai_digits = in_.thai_digits;
    req.measures_file = measures;
    req.edition = in_.edition;
    req.edition_file = in_.edition_file;
    req.creation_date = creation_date;
    if (print_measures) {
      emit(report::default_measures(req));
      return 0;
    }
    if (!in_.out)
      throw InputError("--out", "ita report needs --out PATH (the document file to write)");
    req.out = *in_.out;
    report::write_report(req);
    return 0;
  }

  int edition_list() {
    const auto set = editions();
    nlohmann::json list = nlohmann::json::array();
    std::string text;
    for (const Edition* e : set.all()) {
      list.push_back(io::edition_summary_json(*e));
      text += e->id + "\t" + std::string(provenance_label_th(e->provenance.status)) + "\t" +
              e->title_th + "\n";
    }
    if (in_.json) {
      emit(list);
    } else {
      emit(text);
    }
    return 0;
  }

  int edition_show(const std::string& id) {
    io::EditionSet set = io::EditionSet::builtin();
    const Edition* e = set.find(id);
    if (e == nullptr && id.ends_with(".json")) e = &set.add_file(id);
    if (e == nullptr) e = &set.get(id);
    if (in_.json) {
      emit(io::edition_summary_json(*e));
    } else {
      emit(edition_text(*e, style()));
    }
    return 0;
  }

  // An edition file: a spreadsheet (.xlsx, a CSV folder) or JSON. The problems of a
  // spreadsheet are printed one per line ("FILE: sheet "items", row 12, column C (indicator):
  // ...").
  std::optional<Edition> load_edition_checked(const std::string& file, bool thai = false,
                                              bool writes = true) {
    std::error_code ec;
    const bool sheet = std::filesystem::is_directory(file, ec) || file.ends_with(".xlsx") ||
                       file.ends_with(".XLSX");
    try {
      return sheet ? io::load_edition_any(file) : io::load_edition_file(file);
    } catch (const io::SheetError& e) {
      for (const auto& p : e.problems()) {
        err_ << "ita: error: " << file << ": " << p.describe(thai) << "\n";
      }
      err_ << "ita: " << file << ": " << e.problems().size()
           << (e.problems().size() == 1 ? " problem" : " problems") << " found"
           << (writes ? "; nothing was written" : "") << "\n";
      return std::nullopt;
    }
  }

  int edition_export(const std::string& id, const std::string& format, const std::string& out) {
    io::EditionSet set = io::EditionSet::builtin();
    const Edition* e = set.find(id);
    std::optional<Edition> loaded;
    std::error_code ec;
    if (e == nullptr && std::filesystem::exists(id, ec)) {
      loaded = load_edition_checked(id);
      if (!loaded) return kExitBadInput;
      e = &*loaded;
    }
    if (e == nullptr) e = &set.get(id);
    if (format == "xlsx") {
      io::write_file_atomically(out, io::write_edition_xlsx(*e));
    } else {
      io::write_edition_csv_dir(*e, out);
    }
    out_ << out << ": edition " << e->id << " written (" << format << ")\n";
    return 0;
  }

  int edition_import(const std::string& file, const std::optional<std::string>& out, bool thai) {
    const auto e = load_edition_checked(file, thai);
    if (!e) return kExitBadInput;
    const std::string json = io::edition_to_json(*e);
    if (!out) {
      out_ << json;
      return 0;
    }
    io::write_file_atomically(*out, json);
    out_ << file << ": ok: edition " << e->id << " written to " << *out << "\n";
    return 0;
  }

  int edition_validate(const std::string& file) {
    const auto loaded = load_edition_checked(file, false, false);
    if (!loaded) return kExitBadInput;
    const Edition& e = *loaded;
    out_ << file << ": ok: edition " << e.id << " (" << provenance_label_th(e.provenance.status)
         << "), " << e.iit.items.size() << " IIT, " << e.eit.items.size() << " EIT, "
         << e.oit.items.size() << " OIT items, " << e.grading.rules.size() << " grade rules\n";
    return 0;
  }

  std::ostream& out_;
  std::ostream& err_;
  const Hooks& hooks_;
  InputOptions in_;
};

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
        const Hooks& hooks) {
  return Runner(out, err, hooks).run(argc, argv);
}

}  // namespace ita::cli
