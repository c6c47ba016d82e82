#pragma once
// The measures document (มาตรการส่งเสริมคุณธรรมและความโปร่งใส) for one agency's result, as PDF,
// HTML or DOCX: the entry point of `ita report`.
#include <optional>
#include <string>
#include <string_view>

namespace ita::report {

enum class Format { Pdf, Html, Docx };

// "pdf", "html", "docx"; nullopt for anything else.
std::optional<Format> parse_format(std::string_view code);
std::string_view format_code(Format f);

struct ReportRequest {
  std::string input;  // result input: .json (ita-result-input/1) or .csv of raw answers
  Format format = Format::Pdf;
  std::string out;  // the file to write (atomically)
  bool thai_digits = false;
  bool be_dates = true;  // due dates as Thai BE dates ("ภายในเดือนมีนาคม 2567"); false: YYYY-MM-DD
  std::optional<std::string>
      measures_file;                   // ita-measures/1; none = the default plan from the library
  std::optional<std::string> edition;  // edition id; required for a CSV input
  std::optional<std::string>
      edition_file;  // an edition JSON to load (and use, when no id is given)
  // The file's creation date, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (UTC), for reproducible
  // output; none = now.
  std::optional<std::string> creation_date;
};

// Scores the input, analyses it, builds the document and writes `out`. Errors: io::FileError
// (unreadable or invalid file, with the file and the JSON path or line; an unwritable output),
// InputError (an unknown edition, a malformed creation date, a result missing indicators). On any
// error no output file is created or replaced.
void write_report(const ReportRequest& request);

// The default measures plan for the input as "ita-measures/1" JSON text, a starting point the
// officer edits and passes back with --measures. Reads request.input and the edition options.
std::string default_measures(const ReportRequest& request);

}  // namespace ita::report
