#include "io/answers_csv.hpp"

#include <cstdio>
#include <fstream>

#include "core/error.hpp"
#include "core/thai.hpp"
#include "io/json_error.hpp"

namespace ita::io {

std::optional<std::vector<std::string>> split_csv_line(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) return std::nullopt;
  return fields;
}

std::optional<bool> parse_verdict(std::string_view s) {
  for (std::string_view yes : {"pass", "PASS", "Pass", "ผ่าน", "1", "100", "yes"}) {
    if (s == yes) return true;
  }
  for (std::string_view no : {"fail", "FAIL", "Fail", "ไม่ผ่าน", "0", "no"}) {
    if (s == no) return false;
  }
  return std::nullopt;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

const char* const kColumns[] = {"tool", "respondent", "item", "answer"};

void check_header(const std::vector<std::string>& h, const std::string& file) {
  bool ok = h.size() == 4;
  for (std::size_t i = 0; ok && i < 4; ++i) ok = trim(h[i]) == kColumns[i];
  if (!ok) throw FileError(file, "line 1", "expected the header \"tool,respondent,item,answer\"");
}

void add_row(const std::vector<std::string>& row, AnswerTally& tally, const std::string& file,
             const std::string& where) {
  const auto tool = parse_tool(trim(row[0]));
  if (!tool)
    throw FileError(file, where + ", field tool",
                    "expected IIT, EIT or OIT, found \"" + row[0] + "\"");
  try {
    if (*tool == ToolId::OIT) {
      const auto verdict = parse_verdict(trim(row[3]));
      if (!verdict)
        throw InputError("answer",
                         "expected an OIT verdict pass or fail, found \"" + row[3] + "\"");
      tally.add_oit(trim(row[2]), *verdict);
    } else {
      tally.add(*tool, trim(row[1]), trim(row[2]), trim(row[3]));
    }
  } catch (const InputError& e) {
    throw FileError(file, where + ", field " + e.field(), e.what());
  }
}

}  // namespace

void read_answers_csv(std::istream& in, const std::string& file, AnswerTally& tally) {
  std::string line;
  std::size_t n = 0;
  bool header = true;
  std::size_t rows = 0;
  while (std::getline(in, line)) {
    ++n;
    std::string_view view = line;
    if (n == 1 && view.starts_with("\xEF\xBB\xBF")) view.remove_prefix(3);  // UTF-8 BOM
    if (trim(view).empty()) continue;
    const std::string where = "line " + std::to_string(n);
    if (const auto bad = first_invalid_utf8(view)) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X",
                    static_cast<unsigned>(static_cast<unsigned char>(view[*bad])));
      throw FileError(file, where + ", column " + std::to_string(*bad + 1),
                      std::string("not UTF-8 text (byte ") + byte +
                          "); a TIS-620 or Windows-874 file must be saved as \"CSV UTF-8\"");
    }
    auto fields = split_csv_line(view);
    if (!fields) throw FileError(file, where, "unterminated quoted field");
    if (header) {
      check_header(*fields, file);
      header = false;
      continue;
    }
    if (fields->size() != 4) {
      throw FileError(file, where,
                      "expected 4 fields (tool,respondent,item,answer), found " +
                          std::to_string(fields->size()));
    }
    add_row(*fields, tally, file, where);
    ++rows;
  }
  if (in.bad()) throw FileError(file, "", "error while reading the file");
  if (header)
    throw FileError(file, "line 1",
                    "empty file; expected the header \"tool,respondent,item,answer\"");
  if (rows == 0)
    throw FileError(file, "line 2",
                    "no answers after the header; expected rows tool,respondent,item,answer");
}

void read_answers_csv_file(const std::string& path, AnswerTally& tally) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path, "", "cannot open the file for reading");
  read_answers_csv(in, path, tally);
}

}  // namespace ita::io
