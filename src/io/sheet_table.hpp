#pragma once
// Plain spreadsheet tables: cells by row and column, read from an .xlsx workbook (a zip of
// SpreadsheetML parts, parsed with libxml2) or an RFC 4180 CSV file, and written as either.
// The edition spreadsheet (io/edition_sheet) is built on these.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "io/sheet_error.hpp"

namespace ita::io {

struct SheetCell {
  enum class Kind { Empty, Text, Number, Boolean };
  Kind kind = Kind::Empty;
  std::string text;      // Text
  double number = 0;     // Number
  bool boolean = false;  // Boolean

  static SheetCell of_text(std::string s);
  static SheetCell of_number(double x);
  static SheetCell of_boolean(bool b);
  bool empty() const { return kind == Kind::Empty || (kind == Kind::Text && text.empty()); }
  // The cell as text: numbers in their shortest exact form ("9.1", "2566"), TRUE/FALSE.
  std::string as_text() const;
};

struct SheetRow {
  int number = 0;                // 1-based, as the spreadsheet shows it
  std::vector<SheetCell> cells;  // cells[c] is column c + 1 (A); may be shorter than the header
  const SheetCell& cell(std::size_t column_index) const;  // an empty cell past the end
};

struct Sheet {
  std::string name;
  std::vector<SheetRow> rows;  // increasing row numbers; rows without any cell are left out
  // Writing only: column widths (characters) and a note on each header cell (an xlsx comment).
  std::vector<double> widths;
  std::vector<std::string> header_notes;
};

// The limits of what the readers accept (an edition has a few hundred rows).
inline constexpr int kSheetMaxColumns = 256;  // cells right of column IV are ignored
inline constexpr std::size_t kSheetMaxCells = 500'000;
inline constexpr std::size_t kXlsxMaxPartBytes = 64u << 20;

// Every worksheet of an .xlsx workbook, in the workbook's order. Shared and inline strings,
// numbers, booleans, formula results, empty cells and cell references (A1, AA12) are handled;
// rows and cells without a reference follow the previous one. FileError (naming `file` and the
// part) when the bytes are not a readable workbook.
std::vector<Sheet> read_xlsx_sheets(std::string_view bytes, const std::string& file);

// Writes the sheets as an .xlsx workbook (libxlsxwriter): the first row bold and frozen, header
// notes as comments. Returns the file's bytes.
std::string write_xlsx_sheets(const std::vector<Sheet>& sheets);

// Parses RFC 4180 CSV (UTF-8, optional byte order mark, CRLF or LF, quoted fields may hold
// commas, quotes and line breaks). Malformed text (an unterminated quote, invalid UTF-8) is
// added to `problems` under `sheet_name`; the rows read so far are returned. Every cell is Text.
Sheet parse_csv_sheet(std::string_view text, const std::string& sheet_name,
                      std::vector<SheetProblem>& problems);

// The sheet as RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, a quote, a
// line break or leading or trailing spaces. Numbers in their shortest exact form.
std::string csv_text(const Sheet& sheet);

}  // namespace ita::io
