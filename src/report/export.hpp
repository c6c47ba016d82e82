#pragma once
// Exports: results and item scores as CSV or XLSX, and a round's anonymous raw answers as CSV.
//
// Everything streams: a table is written row by row as the rows are produced, CSV through a
// small buffer to a std::ostream or a file descriptor, XLSX through libxlsxwriter's
// constant_memory mode (each row goes to a temporary file as soon as the next one starts). A
// national export therefore holds one round's result at a time, never the whole table.
//
// Files are written under a temporary name in the target folder and renamed over the target
// once complete: a failed export leaves no partial file behind.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/edition.hpp"
#include "core/scoring.hpp"
#include "io/atomic_file.hpp"

namespace ita::report {

// ---- CSV ----

struct CsvOptions {
  bool bom = false;  // start with a UTF-8 byte order mark, so Excel reads Thai text as UTF-8
  bool crlf = true;  // RFC 4180 line ends; false: "\n"
  // The text cells of a table as stored: no apostrophe before one that starts like a formula
  // (neutralise_formula). Numbers are never changed.
  bool raw_text = false;
};

// Whether a spreadsheet program opening a CSV reads `value` as a formula: it starts with =, +, -,
// @, tab or CR (OWASP, "CSV injection").
bool starts_like_formula(std::string_view value);
// `value` with an apostrophe in front when it starts like a formula, so that Excel, LibreOffice
// and Google Sheets show it as text ("=HYPERLINK(…)" → "'=HYPERLINK(…)"); otherwise unchanged.
std::string neutralise_formula(std::string_view value);

// Writes RFC 4180 CSV row by row: a field is quoted when it contains a comma, a double quote,
// CR or LF (or starts or ends with a space, which readers trim), quotes are doubled. Output goes
// through a 64 KiB buffer to a stream or a file descriptor; write errors throw io::FileError
// naming `name`.
class CsvWriter {
 public:
  CsvWriter(std::ostream& out, CsvOptions options = {}, std::string name = "standard output");
  CsvWriter(int fd, CsvOptions options, std::string name);
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  void field(std::string_view value);
  void end_row();
  void row(std::initializer_list<std::string_view> fields);
  // Writes out the buffer (and flushes the stream). Call before the output is used.
  void flush();
  std::size_t rows() const { return rows_; }
  const CsvOptions& options() const { return options_; }

 private:
  void put(std::string_view bytes);
  void drain();

  std::ostream* stream_ = nullptr;
  int fd_ = -1;
  CsvOptions options_;
  std::string name_;
  std::string buffer_;
  bool row_open_ = false;
  bool started_ = false;
  std::size_t fields_in_row_ = 0;
  bool last_field_empty_ = false;
  std::size_t rows_ = 0;
};

// RFC 4180 quoting of one field ("a,b" → "\"a,b\""); unchanged when no quoting is needed.
std::string csv_field(std::string_view value);

// ---- Tables: one column layout, written as CSV or XLSX ----

enum class TableCellKind {
  Empty,
  Text,
  Integer,
  Score,  // shown rounded half up to 2 decimals (CSV "91.47"; XLSX a number formatted "0.00")
  Exact,  // full precision (CSV: the shortest text that reads back as the same double)
};

struct TableCell {
  TableCellKind kind = TableCellKind::Empty;
  std::string_view text;  // valid until the row is written
  std::int64_t integer = 0;
  double number = 0;

  static TableCell empty() { return {}; }
  static TableCell of_text(std::string_view s) { return {TableCellKind::Text, s, 0, 0}; }
  static TableCell of_integer(std::int64_t v) { return {TableCellKind::Integer, {}, v, 0}; }
  static TableCell of_score(double v) { return {TableCellKind::Score, {}, 0, v}; }
  static TableCell of_exact(double v) { return {TableCellKind::Exact, {}, 0, v}; }
};

struct TableColumn {
  std::string code;      // the CSV header: stable, machine-friendly ("total", "i3")
  std::string label_th;  // the XLSX header: for people ("คะแนนรวม", "ตัวชี้วัดที่ 3")
  double width = 10;     // XLSX column width, in characters
};

// Where a table goes. columns() once, then row() per row, then finish(); a sink dropped before
// finish() leaves no file behind.
class TableSink {
 public:
  virtual ~TableSink() = default;
  virtual void columns(const std::vector<TableColumn>& columns) = 0;
  virtual void row(std::span<const TableCell> cells) = 0;
  virtual void finish() = 0;
};

// CSV with the column codes as header, to a CsvWriter the caller owns (and flushes). Text cells
// that start like a formula are neutralised (neutralise_formula) unless the writer's options
// say raw_text; integer and score cells are written as numbers ("-3", "91.47") either way.
std::unique_ptr<TableSink> csv_table(CsvWriter& out);
// CSV to a file, written atomically (finish() renames it in place); text cells as csv_table.
std::unique_ptr<TableSink> csv_table_file(const std::string& path, CsvOptions options);
// XLSX to a file, written atomically: one worksheet named `sheet` (continued on "sheet_2", …
// once it holds `rows_per_sheet` rows, Excel's limit, header included) with a bold, frozen
// header of the Thai labels, scores as numbers formatted "0.00", text as string cells (never
// formulas, so "=…" needs no apostrophe; what XML 1.0 cannot hold is dropped). libxlsxwriter's
// constant_memory mode with its temporary files in the target folder, so memory stays flat
// whatever the number of rows.
inline constexpr std::uint32_t kXlsxMaxRows = 1048576;
std::unique_ptr<TableSink> xlsx_table_file(const std::string& path, const std::string& sheet,
                                           std::uint32_t rows_per_sheet = kXlsxMaxRows);
// The bytes of the XLSX table that `fill` writes into an xlsx_table_file sink (libxlsxwriter
// writes files only: a temporary file, removed on the way out, also when `fill` throws). Throws
// io::FileError when the temporary file cannot be made, and what `fill` throws.
std::string xlsx_table_bytes(const std::string& sheet, const std::function<void(TableSink&)>& fill);

// ---- The exported tables ----

struct ExportOptions {
  bool exact = false;  // also write the full-precision values, in "…_exact" columns at the end
};

// The agency of a round, as the tables show it.
struct AgencyRecord {
  std::int64_t id = 0;
  std::string_view name;
  std::string_view district;
  std::string_view province;
  std::string_view type;
};

// One computed round: its agency, the round's id and edition id, the edition it was scored on,
// the result, and whether the result is provisional (an open round's last release,
// service/release.hpp). Views into the caller's data, valid while the row is added.
struct RoundRecord {
  AgencyRecord agency;
  std::int64_t round_id = 0;
  std::string_view edition_id;
  const Edition& edition;
  const Result& result;
  bool provisional = false;
};

// The indicator columns for rounds of these editions: the union of their indicator ids, sorted.
std::vector<int> indicator_columns(std::span<const Edition* const> editions);

// `results`: one row per agency-round — agency_id, agency_name, district, province,
// agency_type, round_id, edition, fiscal_year, iit, eit, oit, total, level_code, level_th,
// iit_respondents, eit_respondents, provisional (1 or 0), i1…iN (indicator scores), rank_i1…rank_iN
// (the indicator's rank within the round, 1 = best); with `exact`, iit_exact … total_exact,
// i1_exact … iN_exact.
class ResultsTable {
 public:
  ResultsTable(TableSink& sink, std::vector<int> indicator_ids, ExportOptions options = {});
  void add(const RoundRecord& r);
  void finish() { sink_.finish(); }
  std::size_t rows() const { return rows_; }

 private:
  TableSink& sink_;
  std::vector<int> indicators_;
  ExportOptions options_;
  std::size_t rows_ = 0;
};

// `item_scores`: one row per agency-round × item (IIT/EIT question or OIT item) — agency_id,
// agency_name, province, round_id, edition, tool, indicator, item, score, respondents (empty for
// OIT), provisional (1 or 0); with `exact`, score_exact.
class ItemScoresTable {
 public:
  ItemScoresTable(TableSink& sink, ExportOptions options = {});
  void add(const RoundRecord& r);
  void finish() { sink_.finish(); }
  std::size_t rows() const { return rows_; }

 private:
  TableSink& sink_;
  ExportOptions options_;
  std::size_t rows_ = 0;
};

// ---- Anonymous raw answers ----

struct AnswersExport {
  std::size_t answers = 0;
  std::size_t iit_respondents = 0;
  std::size_t eit_respondents = 0;
  std::size_t oit_verdicts = 0;
};

// One stored answer of a respondent (store::AnswerRow's fields).
struct AnswerRecord {
  ToolId tool = ToolId::IIT;     // IIT or EIT
  std::string_view response_id;  // the stored random id: never written out
  std::string_view unit;
  std::string_view option;
};
// A round's answers: calls its argument once per answer, grouped by response id in ascending
// order (as store::Store::for_each_answer streams them).
using AnswerSource = std::function<void(const std::function<void(const AnswerRecord&)>&)>;

// The answers of an AnswerSource are not grouped by response id in ascending order, or name a
// tool other than IIT/EIT: the source (the database) is broken.
class AnswerSourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Round `round_id`'s raw answers as `tool,respondent,item,answer` — the CSV `ita score FILE.csv
// --edition E` reads — streamed from `answers` row by row. Respondents are numbered 1, 2, … per
// tool in the order of their random ids, so the file never shows a stored id. Then one
// `OIT,,O1,pass` row per OIT item of `edition` with a verdict in `oit_verdicts` (item → pass: the
// effective verdicts, service::oit_verdicts), in edition order. Writes the header too; the caller
// flushes `out`. The answers of the tools in `withheld` (IIT, EIT) are left out (the web's small
// groups, core/privacy.hpp). Throws AnswerSourceError for a broken source.
AnswersExport write_answers_csv(std::int64_t round_id, const AnswerSource& answers,
                                const std::map<std::string, bool>& oit_verdicts,
                                const Edition& edition, CsvWriter& out,
                                const std::set<ToolId>& withheld = {});

}  // namespace ita::report
