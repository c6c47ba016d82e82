#include "report/export.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include "core/analysis.hpp"
#include "core/rounding.hpp"
#include "io/json_error.hpp"
#include "report/chart.hpp"

namespace ita::report {

namespace fs = std::filesystem;
using io::FileError;

static_assert(kXlsxMaxRows == LXW_ROW_MAX);

namespace {

constexpr std::size_t kCsvBuffer = 64 * 1024;

std::string errno_text(int err) {
  return std::strerror(err);
}

}  // namespace

// ---- CSV ----

namespace {

bool needs_quotes(std::string_view v) {
  if (v.empty()) return false;
  if (v.front() == ' ' || v.back() == ' ' || v.front() == '\t' || v.back() == '\t') return true;
  return v.find_first_of(",\"\r\n") != std::string_view::npos;
}

}  // namespace

bool starts_like_formula(std::string_view value) {
  return !value.empty() &&
         std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos;
}

std::string neutralise_formula(std::string_view value) {
  if (!starts_like_formula(value)) return std::string(value);
  return "'" + std::string(value);
}

std::string csv_field(std::string_view value) {
  if (!needs_quotes(value)) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

CsvWriter::CsvWriter(std::ostream& out, CsvOptions options, std::string name)
    : stream_(&out), options_(options), name_(std::move(name)) {
  buffer_.reserve(kCsvBuffer + 1024);
}

CsvWriter::CsvWriter(int fd, CsvOptions options, std::string name)
    : fd_(fd), options_(options), name_(std::move(name)) {
  buffer_.reserve(kCsvBuffer + 1024);
}

void CsvWriter::put(std::string_view bytes) {
  if (!started_) {
    started_ = true;
    if (options_.bom) buffer_ += "\xEF\xBB\xBF";
  }
  buffer_ += bytes;
  if (buffer_.size() >= kCsvBuffer) drain();
}

void CsvWriter::field(std::string_view value) {
  if (row_open_) put(",");
  row_open_ = true;
  fields_in_row_ += 1;
  last_field_empty_ = value.empty();
  if (!needs_quotes(value)) {
    put(value);
    return;
  }
  put("\"");
  std::size_t from = 0;
  for (std::size_t q = value.find('"'); q != std::string_view::npos; q = value.find('"', from)) {
    put(value.substr(from, q + 1 - from));
    put("\"");
    from = q + 1;
  }
  put(value.substr(from));
  put("\"");
}

void CsvWriter::end_row() {
  // A row of one empty field would be a blank line, which readers skip.
  if (fields_in_row_ == 1 && last_field_empty_) put("\"\"");
  put(options_.crlf ? "\r\n" : "\n");
  row_open_ = false;
  fields_in_row_ = 0;
  ++rows_;
}

void CsvWriter::row(std::initializer_list<std::string_view> fields) {
  for (std::string_view f : fields) field(f);
  end_row();
}

void CsvWriter::drain() {
  if (buffer_.empty()) return;
  if (stream_ != nullptr) {
    stream_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    if (!*stream_) throw FileError(name_, "", "cannot write the CSV output");
  } else {
    std::size_t done = 0;
    while (done < buffer_.size()) {
      const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw FileError(name_, "", "cannot write the CSV output: " + errno_text(errno));
      }
      done += static_cast<std::size_t>(n);
    }
  }
  buffer_.clear();
}

void CsvWriter::flush() {
  if (!started_ && options_.bom) put("");  // an empty export still gets its BOM
  drain();
  if (stream_ != nullptr) {
    stream_->flush();
    if (!*stream_) throw FileError(name_, "", "cannot write the CSV output");
  }
}

// ---- Table sinks ----

namespace {

// The shortest text that reads back as the same double.
std::string exact_text(double v) {
  std::array<char, 40> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string();
}

class CsvTableSink : public TableSink {
 public:
  explicit CsvTableSink(CsvWriter& out) : out_(&out) {}
  CsvTableSink(const std::string& path, CsvOptions options)
      : file_(std::make_unique<io::AtomicFile>(path)),
        owned_(std::make_unique<CsvWriter>(file_->fd(), options, path)),
        out_(owned_.get()) {}

  void columns(const std::vector<TableColumn>& columns) override {
    for (const auto& c : columns) out_->field(c.code);
    out_->end_row();
  }

  void row(std::span<const TableCell> cells) override {
    for (const TableCell& c : cells) {
      switch (c.kind) {
        case TableCellKind::Empty:
          out_->field("");
          break;
        case TableCellKind::Text:
          if (!out_->options().raw_text && starts_like_formula(c.text)) {
            out_->field(neutralise_formula(c.text));
          } else {
            out_->field(c.text);
          }
          break;
        case TableCellKind::Integer:
          out_->field(std::to_string(c.integer));
          break;
        case TableCellKind::Score:
          out_->field(format2(round2(c.number)));
          break;
        case TableCellKind::Exact:
          out_->field(exact_text(c.number));
          break;
      }
    }
    out_->end_row();
  }

  void finish() override {
    out_->flush();
    if (file_) file_->commit();
  }

 private:
  std::unique_ptr<io::AtomicFile> file_;
  std::unique_ptr<CsvWriter> owned_;
  CsvWriter* out_;
};

class XlsxTableSink : public TableSink {
 public:
  XlsxTableSink(const std::string& path, std::string sheet, std::uint32_t rows_per_sheet)
      : file_(path),
        sheet_(std::move(sheet)),
        rows_per_sheet_(std::clamp<std::uint32_t>(rows_per_sheet, 2, LXW_ROW_MAX)) {
    file_.close_fd();  // libxlsxwriter opens the temporary file by name when it closes the workbook
    const fs::path temp(file_.temp_path());
    tmpdir_ = temp.has_parent_path() ? temp.parent_path().string() : std::string(".");
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    options.tmpdir = tmpdir_.data();
    options.use_zip64 = LXW_FALSE;
    workbook_.reset(workbook_new_opt(file_.temp_path().c_str(), &options));
    if (!workbook_) throw FileError(path, "", "cannot create the XLSX workbook");
    bold_ = workbook_add_format(workbook_.get());
    score_ = workbook_add_format(workbook_.get());
    if (bold_ == nullptr || score_ == nullptr) fail("cannot create the XLSX cell formats");
    format_set_bold(bold_);
    format_set_num_format(score_, "0.00");
  }

  void columns(const std::vector<TableColumn>& columns) override {
    columns_ = columns;
    add_sheet(sheet_);
  }

  void row(std::span<const TableCell> cells) override {
    if (row_ >= rows_per_sheet_) add_sheet(sheet_ + "_" + std::to_string(++continuation_));
    lxw_col_t col = 0;
    for (const TableCell& c : cells) {
      lxw_error err = LXW_NO_ERROR;
      switch (c.kind) {
        case TableCellKind::Empty:
          break;
        case TableCellKind::Text:
          // A string cell, never a formula, whatever it starts with; what XML cannot hold is
          // dropped (libxlsxwriter escapes markup but writes control characters as they are).
          text_ = xml_chars(c.text);
          if (!text_.empty())
            err = worksheet_write_string(sheet(), row_, col, text_.c_str(), nullptr);
          break;
        case TableCellKind::Integer:
          err = worksheet_write_number(sheet(), row_, col, static_cast<double>(c.integer), nullptr);
          break;
        case TableCellKind::Score:
          err = worksheet_write_number(sheet(), row_, col, round2(c.number).value(), score_);
          break;
        case TableCellKind::Exact:
          err = worksheet_write_number(sheet(), row_, col, c.number, nullptr);
          break;
      }
      if (err != LXW_NO_ERROR) {
        fail("row " + std::to_string(row_ + 1) + ", column " + std::to_string(col + 1) + ": " +
             lxw_strerror(err));
      }
      ++col;
    }
    ++row_;
  }

  void finish() override {
    const lxw_error err = workbook_close(workbook_.release());  // frees it, whatever the outcome
    if (err != LXW_NO_ERROR)
      throw FileError(file_.path(), "",
                      std::string("cannot write the XLSX file: ") + lxw_strerror(err));
    file_.commit();
  }

 private:
  lxw_worksheet* sheet() const { return sheets_.back(); }

  [[noreturn]] void fail(const std::string& message) const {
    throw FileError(file_.path(), "", "cannot write the XLSX file: " + message);
  }

  void add_sheet(const std::string& name) {
    lxw_worksheet* ws = workbook_add_worksheet(workbook_.get(), name.c_str());
    if (ws == nullptr) fail("cannot add the worksheet \"" + name + "\" (is the folder writable?)");
    sheets_.push_back(ws);
    for (lxw_col_t c = 0; c < columns_.size(); ++c) {
      if (worksheet_set_column(ws, c, c, columns_[c].width, nullptr) != LXW_NO_ERROR)
        fail("too many columns");
      const lxw_error err = worksheet_write_string(ws, 0, c, columns_[c].label_th.c_str(), bold_);
      if (err != LXW_NO_ERROR) fail(std::string("header: ") + lxw_strerror(err));
    }
    worksheet_freeze_panes(ws, 1, 0);
    row_ = 1;
  }

  io::AtomicFile file_;
  std::string sheet_;
  lxw_row_t rows_per_sheet_;
  std::string tmpdir_;
  // Freed without writing anything when the export is abandoned (an error, or no finish()).
  std::unique_ptr<lxw_workbook, decltype(&lxw_workbook_free)> workbook_{nullptr,
                                                                        &lxw_workbook_free};
  lxw_format* bold_ = nullptr;
  lxw_format* score_ = nullptr;
  std::vector<lxw_worksheet*> sheets_;
  std::vector<TableColumn> columns_;
  lxw_row_t row_ = 0;
  int continuation_ = 1;
  std::string text_;
};

}  // namespace

std::unique_ptr<TableSink> csv_table(CsvWriter& out) {
  return std::make_unique<CsvTableSink>(out);
}

std::unique_ptr<TableSink> csv_table_file(const std::string& path, CsvOptions options) {
  return std::make_unique<CsvTableSink>(path, options);
}

std::unique_ptr<TableSink> xlsx_table_file(const std::string& path, const std::string& sheet,
                                           std::uint32_t rows_per_sheet) {
  return std::make_unique<XlsxTableSink>(path, sheet, rows_per_sheet);
}

std::string xlsx_table_bytes(const std::string& sheet,
                             const std::function<void(TableSink&)>& fill) {
  namespace fs = std::filesystem;
  std::string name = (fs::temp_directory_path() / "ita-xlsx-XXXXXX").string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0) throw io::FileError(name, "", "cannot create a temporary file");
  ::close(fd);
  struct Remove {
    std::string path;
    ~Remove() {
      std::error_code ec;
      fs::remove(path, ec);
    }
  } remove{name};
  {
    auto sink = xlsx_table_file(name, sheet);
    fill(*sink);
  }
  std::ifstream in(name, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// ---- The exported tables ----

std::vector<int> indicator_columns(std::span<const Edition* const> editions) {
  std::set<int> ids;
  for (const Edition* e : editions) {
    for (const auto& i : e->indicators) ids.insert(i.id);
  }
  return {ids.begin(), ids.end()};
}

namespace {

constexpr ToolId kScoredTools[] = {ToolId::IIT, ToolId::EIT, ToolId::OIT};

const ToolScore* find_tool(const Result& r, ToolId t) {
  for (const auto& s : r.tools) {
    if (s.id == t) return &s;
  }
  return nullptr;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// The XLSX header of the `provisional` column (1: the round is open, the figures are its last
// release and may change; 0: final).
constexpr const char* kProvisionalLabel = "ผลเบื้องต้น (1 = รอบยังเปิดอยู่ ตัวเลขอาจเปลี่ยนแปลง)";

ResultsTable::ResultsTable(TableSink& sink, std::vector<int> indicator_ids, ExportOptions options)
    : sink_(sink), indicators_(std::move(indicator_ids)), options_(options) {
  std::vector<TableColumn> cols = {
      {"agency_id", "รหัสหน่วยงาน", 10},
      {"agency_name", "ชื่อหน่วยงาน", 40},
      {"district", "อำเภอ", 16},
      {"province", "จังหวัด", 16},
      {"agency_type", "ประเภทหน่วยงาน", 18},
      {"round_id", "รหัสรอบการประเมิน", 12},
      {"edition", "ชุดเกณฑ์", 10},
      {"fiscal_year", "ปีงบประมาณ", 10},
      {"iit", "IIT", 9},
      {"eit", "EIT", 9},
      {"oit", "OIT", 9},
      {"total", "คะแนนรวม", 10},
      {"level_code", "รหัสระดับ", 10},
      {"level_th", "ระดับผลการประเมิน", 16},
      {"iit_respondents", "ผู้ตอบ IIT", 10},
      {"eit_respondents", "ผู้ตอบ EIT", 10},
      {"provisional", kProvisionalLabel, 14},
  };
  for (int id : indicators_)
    cols.push_back({"i" + std::to_string(id), "ตัวชี้วัดที่ " + std::to_string(id), 10});
  for (int id : indicators_)
    cols.push_back({"rank_i" + std::to_string(id), "อันดับตัวชี้วัดที่ " + std::to_string(id), 10});
  if (options_.exact) {
    for (ToolId t : kScoredTools)
      cols.push_back(
          {lower(tool_code(t)) + "_exact", std::string(tool_code(t)) + " (ไม่ปัดเศษ)", 12});
    cols.push_back({"total_exact", "คะแนนรวม (ไม่ปัดเศษ)", 12});
    for (int id : indicators_) {
      cols.push_back(
          {"i" + std::to_string(id) + "_exact", "ตัวชี้วัดที่ " + std::to_string(id) + " (ไม่ปัดเศษ)", 12});
    }
  }
  sink_.columns(cols);
}

void ResultsTable::add(const RoundRecord& r) {
  const Result& res = r.result;
  std::map<int, int> rank;
  for (const auto& ri : rank_indicators(res)) rank[ri.id] = ri.rank;
  const std::string edition(r.edition_id);
  std::vector<TableCell> cells = {
      TableCell::of_integer(r.agency.id),    TableCell::of_text(r.agency.name),
      TableCell::of_text(r.agency.district), TableCell::of_text(r.agency.province),
      TableCell::of_text(r.agency.type),     TableCell::of_integer(r.round_id),
      TableCell::of_text(edition),           TableCell::of_integer(r.edition.fiscal_year),
  };
  for (ToolId t : kScoredTools) {
    const ToolScore* s = find_tool(res, t);
    cells.push_back(s ? TableCell::of_score(s->score) : TableCell::empty());
  }
  cells.push_back(TableCell::of_score(res.total));
  cells.push_back(TableCell::of_text(res.level.code));
  cells.push_back(TableCell::of_text(res.level.label_th));
  for (ToolId t : {ToolId::IIT, ToolId::EIT}) {
    auto it = res.respondents.find(t);
    cells.push_back(it == res.respondents.end()
                        ? TableCell::empty()
                        : TableCell::of_integer(static_cast<std::int64_t>(it->second)));
  }
  cells.push_back(TableCell::of_integer(r.provisional ? 1 : 0));
  for (int id : indicators_) {
    const IndicatorScore* s = res.indicator(id);
    cells.push_back(s ? TableCell::of_score(s->score) : TableCell::empty());
  }
  for (int id : indicators_) {
    auto it = rank.find(id);
    cells.push_back(it == rank.end() ? TableCell::empty() : TableCell::of_integer(it->second));
  }
  if (options_.exact) {
    for (ToolId t : kScoredTools) {
      const ToolScore* s = find_tool(res, t);
      cells.push_back(s ? TableCell::of_exact(s->score) : TableCell::empty());
    }
    cells.push_back(TableCell::of_exact(res.total));
    for (int id : indicators_) {
      const IndicatorScore* s = res.indicator(id);
      cells.push_back(s ? TableCell::of_exact(s->score) : TableCell::empty());
    }
  }
  sink_.row(cells);
  ++rows_;
}

ItemScoresTable::ItemScoresTable(TableSink& sink, ExportOptions options)
    : sink_(sink), options_(options) {
  std::vector<TableColumn> cols = {
      {"agency_id", "รหัสหน่วยงาน", 10},
      {"agency_name", "ชื่อหน่วยงาน", 40},
      {"province", "จังหวัด", 16},
      {"round_id", "รหัสรอบการประเมิน", 12},
      {"edition", "ชุดเกณฑ์", 10},
      {"tool", "เครื่องมือ", 9},
      {"indicator", "ตัวชี้วัด", 9},
      {"item", "ข้อ", 9},
      {"score", "คะแนน", 9},
      {"respondents", "จำนวนผู้ตอบ", 11},
      {"provisional", kProvisionalLabel, 14},
  };
  if (options_.exact) cols.push_back({"score_exact", "คะแนน (ไม่ปัดเศษ)", 12});
  sink_.columns(cols);
}

void ItemScoresTable::add(const RoundRecord& r) {
  std::vector<TableCell> cells;
  cells.reserve(12);
  for (const ItemScore& item : r.result.items) {
    cells.clear();
    cells.push_back(TableCell::of_integer(r.agency.id));
    cells.push_back(TableCell::of_text(r.agency.name));
    cells.push_back(TableCell::of_text(r.agency.province));
    cells.push_back(TableCell::of_integer(r.round_id));
    cells.push_back(TableCell::of_text(r.edition_id));
    cells.push_back(TableCell::of_text(tool_code(item.tool)));
    cells.push_back(TableCell::of_integer(item.indicator));
    cells.push_back(TableCell::of_text(item.code));
    cells.push_back(TableCell::of_score(item.score));
    cells.push_back(item.tool == ToolId::OIT
                        ? TableCell::empty()
                        : TableCell::of_integer(static_cast<std::int64_t>(item.respondents)));
    cells.push_back(TableCell::of_integer(r.provisional ? 1 : 0));
    if (options_.exact) cells.push_back(TableCell::of_exact(item.score));
    sink_.row(cells);
    ++rows_;
  }
}

// ---- Anonymous raw answers ----

AnswersExport write_answers_csv(std::int64_t round_id, const AnswerSource& answers,
                                const std::map<std::string, bool>& oit_verdicts,
                                const Edition& edition, CsvWriter& out,
                                const std::set<ToolId>& withheld) {
  AnswersExport summary;
  out.row({"tool", "respondent", "item", "answer"});
  std::string last_id;
  std::string number;
  answers([&](const AnswerRecord& row) {
    if (withheld.contains(row.tool)) return;
    if (summary.answers == 0 || row.response_id != last_id) {
      // Rows come grouped by response id, in id order; a smaller id would be a response seen
      // before, and numbering it again would split one respondent in two.
      if (summary.answers > 0 && row.response_id < last_id) {
        throw AnswerSourceError("the answers of round " + std::to_string(round_id) +
                                " are not in response-id order");
      }
      std::size_t* count = row.tool == ToolId::IIT   ? &summary.iit_respondents
                           : row.tool == ToolId::EIT ? &summary.eit_respondents
                                                     : nullptr;
      if (count == nullptr) {
        throw AnswerSourceError("a stored response has the unknown tool \"" +
                                std::string(tool_code(row.tool)) + "\"");
      }
      number = std::to_string(++*count);
      last_id = row.response_id;
    }
    out.field(tool_code(row.tool));
    out.field(number);
    out.field(row.unit);
    out.field(row.option);
    out.end_row();
    ++summary.answers;
  });
  for (const auto& item : edition.oit.items) {
    auto it = oit_verdicts.find(item.code);
    if (it == oit_verdicts.end()) continue;
    out.row({"OIT", "", item.code, it->second ? "pass" : "fail"});
    ++summary.oit_verdicts;
  }
  return summary;
}

}  // namespace ita::report
