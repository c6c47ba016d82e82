#pragma once
// An edition as a spreadsheet, so that a framework can be authored without writing JSON: an .xlsx
// workbook, or a folder with one UTF-8 CSV file per sheet. The layout (sheets, columns, keys) is
// in docs/edition-spreadsheet.md. Reading checks everything the JSON reader checks (core
// check_edition included) and reports every problem found at once, each with its sheet, row and
// column, in a SheetError.
#include <string>
#include <string_view>
#include <vector>

#include "core/edition.hpp"
#include "io/sheet_error.hpp"
#include "io/sheet_table.hpp"

namespace ita::io {

// The sheets, in the order they are written. All but "sampling" are required.
inline constexpr const char* kEditionSheetNames[] = {"edition", "tools", "indicators", "scales",
                                                     "items",   "oit",   "grading",    "sampling"};

// The edition as sheets (the header in row 1, one row per record), for either file format.
std::vector<Sheet> edition_sheets(const Edition& e);
// Builds and checks an edition from sheets; `file` names the source in errors. SheetError with
// every problem found (plus `problems` already found while reading the files).
Edition edition_from_sheets(const std::vector<Sheet>& sheets, const std::string& file,
                            std::vector<SheetProblem> problems = {});

// An .xlsx workbook's bytes to an edition; `name` (the file name) is used in errors. FileError
// when the bytes are not a workbook, SheetError for problems in its sheets.
Edition read_edition_xlsx(std::string_view bytes, const std::string& name);
// A folder holding edition.csv, tools.csv, ... (sampling.csv optional).
Edition read_edition_csv_dir(const std::string& dir);
// The edition as an .xlsx workbook (bytes).
std::string write_edition_xlsx(const Edition& e);
// Writes <dir>/<sheet>.csv for every sheet (RFC 4180, CRLF, no byte order mark). A folder that
// does not exist is created complete under a temporary name and renamed into place; in an
// existing folder each file is replaced atomically, and a stale sampling.csv is removed when the
// edition has no sampling rules. FileError when the folder cannot be written.
void write_edition_csv_dir(const Edition& e, const std::string& dir);

// A web upload: an .xlsx workbook or an ita-edition/1 JSON file, told apart by content (a zip
// starts with "PK", JSON with "{") and then by the file name's extension.
Edition read_edition_upload(std::string_view bytes, const std::string& filename);
// A path on disk: a folder of CSV files, an .xlsx workbook or a .json file.
Edition load_edition_any(const std::string& path);

}  // namespace ita::io
