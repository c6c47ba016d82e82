#include "io/dataset_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/text_rules.hpp"
#include "io/answers_csv.hpp"
#include "io/thai_provinces.hpp"

namespace ita::io {

namespace fs = std::filesystem;

DatasetError::DatasetError(const std::string& path, std::size_t line, const std::string& detail)
    : std::runtime_error(path + ": line " + std::to_string(line) + ": " + detail),
      path_(path),
      line_(line),
      detail_(detail) {}

namespace {
constexpr std::size_t kChunk = 4 << 20;
}  // namespace

LineReader::LineReader(std::string path, std::uint64_t begin, std::uint64_t end,
                       std::size_t first_line)
    : path_(std::move(path)),
      file_(std::fopen(path_.c_str(), "rb")),
      left_(end - begin),
      offset_(begin),
      number_(first_line - 1) {
  if (file_ == nullptr)
    throw DatasetError(path_ + ": cannot open the file: " + std::strerror(errno));
  if (begin != 0 && fseeko(file_, static_cast<off_t>(begin), SEEK_SET) != 0) {
    std::fclose(file_);
    throw DatasetError(path_ + ": cannot seek in the file: " + std::strerror(errno));
  }
  buffer_.resize(kChunk);
}

LineReader::~LineReader() {
  std::fclose(file_);
}

bool LineReader::next(std::string_view& line) {
  for (;;) {
    const char* start = buffer_.data() + begin_;
    if (const void* nl = std::memchr(start, '\n', end_ - begin_)) {
      const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
      line = std::string_view(start, len);
      begin_ += len + 1;
      offset_ += len + 1;
      ++number_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return true;
    }
    if (eof_) {
      if (begin_ == end_) return false;
      line = std::string_view(start, end_ - begin_);  // last line without a newline
      offset_ += end_ - begin_;
      begin_ = end_;
      ++number_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return true;
    }
    // Move the partial line to the front and read more.
    std::memmove(buffer_.data(), start, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(buffer_.size() - end_, left_));
    const std::size_t n = want == 0 ? 0 : std::fread(buffer_.data() + end_, 1, want, file_);
    if (n == 0) {
      if (std::ferror(file_)) throw DatasetError(path_ + ": error while reading the file");
      eof_ = true;
    }
    left_ -= n;
    end_ += n;
  }
}

void LineReader::fail(const std::string& detail) const {
  throw DatasetError(path_, number_, detail);
}

bool split_csv(std::string_view line, std::vector<std::string_view>& fields,
               std::vector<std::string>& unquoted) {
  fields.clear();
  if (line.find('"') == std::string_view::npos) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = line.find(',', start);
      fields.push_back(line.substr(start, comma - start));
      if (comma == std::string_view::npos) return true;
      start = comma + 1;
    }
  }
  auto parts = split_csv_line(line);  // quoted: the general reader of io/answers_csv.hpp
  if (!parts) return false;
  unquoted = std::move(*parts);
  for (const auto& p : unquoted) fields.push_back(p);
  return true;
}

void expect_header(LineReader& in, std::string_view expected) {
  std::string_view line;
  if (!in.next(line)) in.fail("empty file; expected the header \"" + std::string(expected) + "\"");
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  if (line != expected) in.fail("expected the header \"" + std::string(expected) + "\"");
}

std::int64_t parse_count(LineReader& in, std::string_view s, const char* field) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < 0) {
    in.fail(std::string("field ") + field + ": expected a whole number ≥ 0, found \"" +
            std::string(s) + "\"");
  }
  return v;
}

const Edition& dataset_edition(const fs::path& dir, const EditionLookup& editions) {
  const fs::path path = dir / "dataset.json";
  std::ifstream in(path);
  if (!in)
    throw DatasetError(path.string() + ": cannot open the file (is " + dir.string() +
                       " a data set from ita datagen?)");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range (number overflow)
    throw DatasetError(path.string() + ": not JSON: " + e.what());
  }
  if (!j.is_object() || j.value("format", "") != "ita-national-dataset/1")
    throw DatasetError(path.string() + ": /format: expected \"ita-national-dataset/1\"");
  if (!j.contains("edition") || !j["edition"].is_string())
    throw DatasetError(path.string() + ": /edition: expected a string");
  const std::string id = j["edition"].get<std::string>();
  const Edition* edition = editions(id);
  if (edition == nullptr) throw DatasetError(path.string() + ": /edition: unknown edition " + id);
  return *edition;
}

AgencyRow check_agency_row(LineReader& in, const std::vector<std::string_view>& f) {
  if (f.size() != 7) in.fail("expected 7 fields, found " + std::to_string(f.size()));
  AgencyRow row;
  row.id = parse_count(in, f[0], "id");
  if (row.id == 0) in.fail("field id: expected an id from 1");
  if (f[1].empty()) in.fail("field name: expected the agency's name");
  const std::pair<std::size_t, const TextField*> fields[] = {
      {1, &kAgencyName}, {2, &kAgencyDistrict}, {3, &kAgencyProvince}, {4, &kAgencyType}};
  for (const auto& [k, field] : fields) {
    if (const auto fault = text_fault(f[k], field->rule))
      in.fail("field " + std::string(field->code) + ": " + fault->message_en());
  }
  if (!f[3].empty() && find_thai_province(f[3]) == nullptr)
    in.fail("field province: \"" + std::string(f[3]) + "\" is not one of Thailand's 77 provinces");
  row.name = f[1];
  row.district = f[2];
  row.province = f[3];
  row.type = f[4];
  row.staff_count = parse_count(in, f[5], "staff_count");
  row.service_users = parse_count(in, f[6], "service_users");
  return row;
}

AnswerRowChecker::AnswerRowChecker(const national::EditionTables& tables,
                                   std::function<bool(std::int64_t)> known_agency)
    : tables_(&tables),
      known_agency_(std::move(known_agency)),
      interner_(tables),
      answered_(tables.units(), 0) {}

void AnswerRowChecker::start_agency(LineReader& in, std::string_view field, AnswerRow& row) {
  if (agency_ >= 0) finished_agencies_.insert(agency_);
  const std::int64_t id = parse_count(in, field, "agency");
  if (!known_agency_(id))
    in.fail("field agency: agency " + std::string(field) + " is not in agencies.csv");
  if (finished_agencies_.contains(id))
    in.fail("field agency: the rows of agency " + std::string(field) + " are not together");
  agency_ = id;
  agency_text_ = field;
  respondents_seen_[0].clear();
  respondents_seen_[1].clear();
  respondent_.clear();
  row.new_agency = true;
}

void AnswerRowChecker::start_respondent(LineReader& in, const std::vector<std::string_view>& f,
                                        AnswerRow& row) {
  if (f[1] == "IIT") {
    tool_ = ToolId::IIT;
  } else if (f[1] == "EIT") {
    tool_ = ToolId::EIT;
  } else {
    in.fail("field tool: expected IIT or EIT, found \"" + std::string(f[1]) + "\"");
  }
  if (f[2].empty()) in.fail("field respondent: expected a respondent id");
  respondent_ = f[2];
  if (!respondents_seen_[tool_ == ToolId::EIT ? 1 : 0].insert(respondent_).second) {
    in.fail("field respondent: the rows of " + std::string(f[1]) + " respondent " + respondent_ +
            " of agency " + agency_text_ + " are not together");
  }
  std::fill(answered_.begin(), answered_.end(), 0);
  interner_.restart();
  row.new_respondent = true;
}

AnswerRow AnswerRowChecker::check(LineReader& in, const std::vector<std::string_view>& f) {
  if (f.size() != 5)
    in.fail("expected 5 fields (agency,tool,respondent,item,answer), found " +
            std::to_string(f.size()));
  AnswerRow row;
  if (agency_ < 0 || f[0] != agency_text_) start_agency(in, f[0], row);
  if (f[1] != tool_code(tool_) || f[2] != respondent_ || respondent_.empty())
    start_respondent(in, f, row);
  row.agency = agency_;
  row.tool = tool_;
  row.unit = interner_.find(f[3]);
  if (row.unit == national::kNoIndex) {
    in.fail("field item: unknown answer unit '" + std::string(f[3]) + "' in edition " +
            tables_->edition().id);
  }
  if (tables_->unit_tool(row.unit) != tool_) {
    in.fail("field item: '" + std::string(f[3]) + "' belongs to " +
            std::string(tool_code(tables_->unit_tool(row.unit))) + ", not " +
            std::string(tool_code(tool_)));
  }
  row.points = tables_->points(row.unit, f[4]);
  if (std::isnan(row.points))
    in.fail("field answer: '" + std::string(f[4]) + "' is not in the scale of " +
            std::string(f[3]));
  if (answered_[row.unit]++ != 0)
    in.fail("field item: respondent " + respondent_ + " answered " + std::string(f[3]) + " twice");
  row.option = f[4];
  return row;
}

OitRowChecker::OitRowChecker(const national::EditionTables& tables,
                             std::function<bool(std::int64_t)> known_agency)
    : tables_(&tables), known_agency_(std::move(known_agency)) {}

OitRow OitRowChecker::check(LineReader& in, const std::vector<std::string_view>& f) {
  if (f.size() != 3)
    in.fail("expected 3 fields (agency,item,verdict), found " + std::to_string(f.size()));
  OitRow row;
  row.agency = parse_count(in, f[0], "agency");
  if (!known_agency_(row.agency))
    in.fail("field agency: agency " + std::string(f[0]) + " is not in agencies.csv");
  row.item = tables_->oit_index(f[1]);
  if (row.item == national::kNoIndex) {
    in.fail("field item: unknown OIT item '" + std::string(f[1]) + "' in edition " +
            tables_->edition().id);
  }
  row.code = f[1];
  if (f[2] == "pass") {
    row.pass = true;
  } else if (f[2] != "fail") {
    in.fail("field verdict: expected pass or fail, found \"" + std::string(f[2]) + "\"");
  }
  if (!seen_.insert(std::string(f[0]) + "," + std::string(f[1])).second)
    in.fail("agency " + std::string(f[0]) + " has two verdicts for " + std::string(f[1]));
  return row;
}

}  // namespace ita::io
