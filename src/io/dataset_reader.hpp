#pragma once
// Reading a national data set (io/national_dataset.hpp, format "ita-national-dataset/1") row by
// row, with every row checked against the edition. Shared by the two consumers of a data set:
// `ita import` (store/bulk_import.hpp), which stores it, and `ita score --dataset`
// (io/dataset_scoring.hpp), which scores it straight from the files. Both therefore accept and
// refuse the same files with the same messages.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/edition.hpp"
#include "core/national.hpp"

namespace ita::io {

// A data set that cannot be read: the message names the file and, for a bad row, its line.
class DatasetError : public std::runtime_error {
 public:
  explicit DatasetError(const std::string& message) : std::runtime_error(message) {}
  // "PATH: line LINE: DETAIL".
  DatasetError(const std::string& path, std::size_t line, const std::string& detail);

  // The file, line (from 1) and detail of a bad row; line() is 0 for other errors.
  const std::string& path() const { return path_; }
  std::size_t line() const { return line_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string path_;
  std::size_t line_ = 0;
  std::string detail_;
};

// Reads the lines of a file, or of the bytes [begin, end) of it, through a large buffer. Lines
// are views valid until the next call; a trailing '\r' is dropped.
class LineReader {
 public:
  // Throws DatasetError when the file cannot be opened. `first_line` numbers the first line
  // read (the range's start need not be the file's).
  explicit LineReader(std::string path, std::uint64_t begin = 0, std::uint64_t end = UINT64_MAX,
                      std::size_t first_line = 1);
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader();

  // The next line; false at the end of the range. Throws DatasetError on a read error.
  bool next(std::string_view& line);
  // Throws DatasetError naming the file and the line last returned.
  [[noreturn]] void fail(const std::string& detail) const;
  const std::string& path() const { return path_; }
  std::size_t line_number() const { return number_; }
  // The byte offset in the file just past the line last returned (its '\n' included).
  std::uint64_t offset() const { return offset_; }

 private:
  std::string path_;
  std::FILE* file_;
  std::uint64_t left_;    // bytes of the range not yet read into the buffer
  std::uint64_t offset_;  // see offset()
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::size_t number_;
};

// Splits one CSV record (RFC 4180 quotes) into `fields`; a quoted field is unquoted into
// `unquoted`, which the views then point into. False for an unterminated quote.
bool split_csv(std::string_view line, std::vector<std::string_view>& fields,
               std::vector<std::string>& unquoted);

// Calls `row(fields)` for each non-empty line of `in`, split by split_csv; DatasetError naming
// the line for an unterminated quote. A template: answers.csv has 40 million lines.
template <class RowFn>
void for_each_row(LineReader& in, RowFn&& row) {
  std::vector<std::string_view> fields;
  std::vector<std::string> unquoted;
  std::string_view line;
  while (in.next(line)) {
    if (line.empty()) continue;
    if (!split_csv(line, fields, unquoted)) in.fail("unterminated quoted field");
    row(fields);
  }
}

// Reads the header line (a UTF-8 byte order mark allowed); DatasetError unless it is `expected`.
void expect_header(LineReader& in, std::string_view expected);

// A whole number ≥ 0 of the field named `field`; DatasetError naming the line otherwise.
std::int64_t parse_count(LineReader& in, std::string_view s, const char* field);

// Finds an edition by its id; nullptr when unknown.
using EditionLookup = std::function<const Edition*(std::string_view id)>;

// The edition DIR/dataset.json names, found with `editions`; DatasetError when the file is
// missing, not JSON, not of this format, or names an edition `editions` does not know.
const Edition& dataset_edition(const std::filesystem::path& dir, const EditionLookup& editions);

// One row of agencies.csv (id,name,district,province,type,staff_count,service_users); the texts
// are views into the line.
struct AgencyRow {
  std::int64_t id = 0;
  std::string_view name, district, province, type;
  std::int64_t staff_count = 0, service_users = 0;
};
// Checks the fields of one agencies.csv line: 7 fields, an id from 1, a name, texts that follow
// the rules of stored text (core/text_rules.hpp) as an agency added on the web does, a province
// of the 77. Throws DatasetError naming the line and field.
AgencyRow check_agency_row(LineReader& in, const std::vector<std::string_view>& f);

// One checked row of answers.csv.
struct AnswerRow {
  std::int64_t agency = 0;      // the agency's id in agencies.csv
  bool new_agency = false;      // the first row of this agency
  bool new_respondent = false;  // the first row of a respondent
  ToolId tool = ToolId::IIT;
  std::uint32_t unit = national::kNoIndex;  // the answer unit's dense index (EditionTables)
  std::string_view option;                  // valid until the next line is read
  double points = 0;  // of the option, after the unit's reverse flag (EditionTables::points)
};

// Checks the rows of answers.csv (agency,tool,respondent,item,answer) as they stream by: a known
// agency, whose rows are together; IIT or EIT; a respondent's rows together; a unit of the
// edition and of the row's tool, answered once by the respondent, with an option of its scale.
class AnswerRowChecker {
 public:
  // `known_agency` says whether an id is in agencies.csv; asked once per run of an agency.
  AnswerRowChecker(const national::EditionTables& tables,
                   std::function<bool(std::int64_t)> known_agency);

  // The row of the line `in` last returned, split into `f`. Throws DatasetError naming the line.
  AnswerRow check(LineReader& in, const std::vector<std::string_view>& f);

 private:
  void start_agency(LineReader& in, std::string_view field, AnswerRow& row);
  void start_respondent(LineReader& in, const std::vector<std::string_view>& f, AnswerRow& row);

  const national::EditionTables* tables_;
  std::function<bool(std::int64_t)> known_agency_;
  national::UnitInterner interner_;
  std::vector<std::uint8_t> answered_;  // per unit, by the current respondent
  std::unordered_set<std::int64_t> finished_agencies_;
  std::unordered_set<std::string> respondents_seen_[2];  // of the current agency, per tool
  std::string agency_text_, respondent_;
  std::int64_t agency_ = -1;
  ToolId tool_ = ToolId::IIT;
};

// One checked row of oit.csv.
struct OitRow {
  std::int64_t agency = 0;                  // the agency's id in agencies.csv
  std::uint32_t item = national::kNoIndex;  // the OIT item's dense index (EditionTables)
  std::string_view code;                    // the item's code, valid until the next line
  bool pass = false;
};

// Checks the rows of oit.csv (agency,item,verdict): a known agency, an OIT item of the edition,
// pass or fail, one verdict per agency and item.
class OitRowChecker {
 public:
  OitRowChecker(const national::EditionTables& tables,
                std::function<bool(std::int64_t)> known_agency);
  // The row of the line `in` last returned, split into `f`. Throws DatasetError naming the line.
  OitRow check(LineReader& in, const std::vector<std::string_view>& f);

 private:
  const national::EditionTables* tables_;
  std::function<bool(std::int64_t)> known_agency_;
  std::unordered_set<std::string> seen_;  // "agency,item"
};

}  // namespace ita::io
