#include "io/sheet_table.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace ita::io {

// ---- problems ----

std::string column_letter(int column) {
  std::string s;
  for (int c = column; c > 0; c = (c - 1) / 26) s.insert(s.begin(), char('A' + (c - 1) % 26));
  return s;
}

std::string SheetProblem::where() const {
  std::string s = "sheet \"" + sheet + "\"";
  if (row > 0) s += ", row " + std::to_string(row);
  if (!column.empty()) {
    s += ", column " + column;
    if (!column_name.empty()) s += " (" + column_name + ")";
  } else if (!column_name.empty()) {
    s += ", column " + column_name;
  }
  return s;
}

std::string SheetProblem::where_th() const {
  std::string s = "แผ่นงาน \"" + sheet + "\"";
  if (row > 0) s += " แถวที่ " + std::to_string(row);
  if (!column.empty()) {
    s += " คอลัมน์ " + column;
    if (!column_name.empty()) s += " (" + column_name + ")";
  } else if (!column_name.empty()) {
    s += " คอลัมน์ " + column_name;
  }
  return s;
}

std::string SheetProblem::describe(bool thai) const {
  return thai ? where_th() + ": " + message_th : where() + ": " + message_en;
}

namespace {

std::string rest_of_problems(const std::string& file, const std::vector<SheetProblem>& problems) {
  std::string s;
  for (std::size_t i = 1; i < problems.size(); ++i)
    s += "\n" + file + ": " + problems[i].describe();
  return s;
}

}  // namespace

SheetError::SheetError(std::string file, std::vector<SheetProblem> problems)
    : FileError(file, problems.empty() ? std::string() : problems.front().where(),
                (problems.empty() ? std::string("problems in the spreadsheet")
                                  : problems.front().message_en) +
                    rest_of_problems(file, problems)),
      problems_(std::move(problems)) {}

// ---- cells ----

namespace {

std::string shortest(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

}  // namespace

SheetCell SheetCell::of_text(std::string s) {
  SheetCell c;
  c.kind = s.empty() ? Kind::Empty : Kind::Text;
  c.text = std::move(s);
  return c;
}

SheetCell SheetCell::of_number(double x) {
  SheetCell c;
  c.kind = Kind::Number;
  c.number = x;
  return c;
}

SheetCell SheetCell::of_boolean(bool b) {
  SheetCell c;
  c.kind = Kind::Boolean;
  c.boolean = b;
  return c;
}

std::string SheetCell::as_text() const {
  switch (kind) {
    case Kind::Empty:
      return "";
    case Kind::Text:
      return text;
    case Kind::Number:
      return shortest(number);
    case Kind::Boolean:
      return boolean ? "TRUE" : "FALSE";
  }
  return "";
}

const SheetCell& SheetRow::cell(std::size_t column_index) const {
  static const SheetCell kEmpty;
  return column_index < cells.size() ? cells[column_index] : kEmpty;
}

// ---- xlsx reading ----

namespace {

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};

class XlsxPackage {
 public:
  XlsxPackage(std::string_view bytes, std::string file) : file_(std::move(file)) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (src != nullptr) {
      zip_.reset(zip_open_from_source(src, ZIP_RDONLY, &err));
      if (!zip_) zip_source_free(src);
    }
    zip_error_fini(&err);
    if (!zip_) throw FileError(file_, "", "not an .xlsx workbook (not a readable zip archive)");
  }

  bool has(const std::string& name) const {
    return zip_name_locate(zip_.get(), name.c_str(), 0) >= 0;
  }

  // The member's bytes; nullopt when it is absent.
  std::optional<std::string> read(const std::string& name) const {
    const zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), 0);
    if (index < 0) return std::nullopt;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) != 0) fail(name);
    if ((st.valid & ZIP_STAT_SIZE) != 0 && st.size > kXlsxMaxPartBytes) {
      throw FileError(file_, name, "the part is too large for an edition workbook");
    }
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(
        zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0), &zip_fclose);
    if (!f) fail(name);
    std::string out;
    char buf[65536];
    for (;;) {
      const zip_int64_t n = zip_fread(f.get(), buf, sizeof buf);
      if (n < 0) fail(name);
      if (n == 0) break;
      out.append(buf, static_cast<std::size_t>(n));
      if (out.size() > kXlsxMaxPartBytes) {
        throw FileError(file_, name, "the part is too large for an edition workbook");
      }
    }
    return out;
  }

  const std::string& file() const { return file_; }

 private:
  [[noreturn]] void fail(const std::string& name) const {
    throw FileError(file_, name,
                    std::string("cannot read the zip member: ") + zip_strerror(zip_.get()));
  }

  std::string file_;
  std::unique_ptr<zip_t, ZipCloser> zip_;
};

struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

XmlDocPtr parse_xml(const std::string& text, const std::string& file, const std::string& part) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> ctxt(xmlNewParserCtxt(),
                                                                    &xmlFreeParserCtxt);
  if (!ctxt) throw FileError(file, part, "cannot create an XML parser");
  XmlDocPtr doc(xmlCtxtReadMemory(ctxt.get(), text.data(), static_cast<int>(text.size()),
                                  part.c_str(), nullptr,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc || xmlDocGetRootElement(doc.get()) == nullptr) {
    std::string msg = "not well-formed XML";
    const xmlError& e = ctxt->lastError;
    if (e.message != nullptr) {
      std::string m = e.message;
      while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
      msg += " (line " + std::to_string(e.line) + ": " + m + ")";
    }
    throw FileError(file, part, msg);
  }
  return doc;
}

std::string_view local_name(const xmlNode* n) {
  return n->name == nullptr ? std::string_view() : reinterpret_cast<const char*>(n->name);
}

bool is_element(const xmlNode* n, std::string_view name) {
  return n->type == XML_ELEMENT_NODE && local_name(n) == name;
}

// The attribute with this local name, whatever its namespace (r:id, id).
std::optional<std::string> attribute(const xmlNode* n, std::string_view name) {
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (a->name != nullptr && reinterpret_cast<const char*>(a->name) == name) {
      xmlChar* v = xmlNodeListGetString(n->doc, a->children, 1);
      std::string s = v == nullptr ? "" : reinterpret_cast<const char*>(v);
      xmlFree(v);
      return s;
    }
  }
  return std::nullopt;
}

std::string content(const xmlNode* n) {
  xmlChar* v = xmlNodeGetContent(n);
  std::string s = v == nullptr ? "" : reinterpret_cast<const char*>(v);
  xmlFree(v);
  return s;
}

const xmlNode* child(const xmlNode* n, std::string_view name) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (is_element(c, name)) return c;
  }
  return nullptr;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Undoes the _xHHHH_ escapes of ST_Xstring (Excel writes a carriage return as _x000D_).
std::string unescape_xstring(const std::string& s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      unsigned cp = 0;
      bool ok = true;
      for (std::size_t k = i + 2; k < i + 6; ++k) {
        const int d = hex_digit(s[k]);
        ok = ok && d >= 0;
        cp = cp * 16 + static_cast<unsigned>(d < 0 ? 0 : d);
      }
      if (ok) {
        append_utf8(out, cp);
        i += 6;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// The text of a shared-string item or an inline string: its <t>, or the <t> of its rich-text
// runs; phonetic runs (<rPh>) are not part of the text.
std::string string_item_text(const xmlNode* si) {
  std::string s;
  for (const xmlNode* c = si->children; c != nullptr; c = c->next) {
    if (is_element(c, "t")) {
      s += content(c);
    } else if (is_element(c, "r")) {
      if (const xmlNode* t = child(c, "t")) s += content(t);
    }
  }
  return unescape_xstring(s);
}

std::string trimmed(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// "A1" → (row 1, column 1); "AA12" → (12, 27). nullopt when malformed or out of Excel's range.
std::optional<std::pair<int, int>> parse_reference(std::string_view ref) {
  std::size_t i = 0;
  long col = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i])) != 0 && i < 3) {
    col = col * 26 + (std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    ++i;
  }
  if (i < ref.size() && ref[i] == '$') ++i;
  long row = 0;
  const char* end = ref.data() + ref.size();
  if (i == 0 || i == ref.size() || std::from_chars(ref.data() + i, end, row).ptr != end) {
    return std::nullopt;
  }
  if (col < 1 || col > 16384 || row < 1 || row > 1048576) return std::nullopt;
  return std::pair{static_cast<int>(row), static_cast<int>(col)};
}

// A path inside the package: `target` relative to the folder `base` ("xl/"), or absolute.
std::string resolve_part(const std::string& base, const std::string& target) {
  std::string path = !target.empty() && target[0] == '/' ? target.substr(1) : base + target;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const std::string seg =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string folder_of(const std::string& part) {
  const auto slash = part.rfind('/');
  return slash == std::string::npos ? "" : part.substr(0, slash + 1);
}

struct Relationship {
  std::string type;
  std::string target;  // resolved
};

std::map<std::string, Relationship> read_relationships(const XlsxPackage& pkg,
                                                       const std::string& rels_part,
                                                       const std::string& base) {
  std::map<std::string, Relationship> out;
  const auto text = pkg.read(rels_part);
  if (!text) return out;
  const XmlDocPtr doc = parse_xml(*text, pkg.file(), rels_part);
  for (const xmlNode* r = xmlDocGetRootElement(doc.get())->children; r != nullptr; r = r->next) {
    if (!is_element(r, "Relationship")) continue;
    const auto id = attribute(r, "Id");
    const auto target = attribute(r, "Target");
    if (!id || !target) continue;
    if (attribute(r, "TargetMode").value_or("") == "External") continue;
    out[*id] = Relationship{attribute(r, "Type").value_or(""), resolve_part(base, *target)};
  }
  return out;
}

bool type_is(const Relationship& r, std::string_view suffix) {
  return r.type.size() >= suffix.size() &&
         r.type.compare(r.type.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class SheetParser {
 public:
  SheetParser(const XlsxPackage& pkg, const std::vector<std::string>& shared, std::size_t& cells)
      : pkg_(pkg), shared_(shared), cells_(cells) {}

  Sheet parse(const std::string& name, const std::string& part) {
    part_ = part;
    const auto text = pkg_.read(part);
    if (!text) throw FileError(pkg_.file(), part, "the worksheet \"" + name + "\" is missing");
    const XmlDocPtr doc = parse_xml(*text, pkg_.file(), part);
    const xmlNode* data = child(xmlDocGetRootElement(doc.get()), "sheetData");
    std::map<int, SheetRow> rows;
    int row_number = 0;
    if (data != nullptr) {
      for (const xmlNode* r = data->children; r != nullptr; r = r->next) {
        if (!is_element(r, "row")) continue;
        row_number = row_attribute(r, row_number + 1);
        SheetRow& row = rows[row_number];
        row.number = row_number;
        int col = 0;
        for (const xmlNode* c = r->children; c != nullptr; c = c->next) {
          if (!is_element(c, "c")) continue;
          col = cell_column(c, row_number, col + 1);
          if (col > kSheetMaxColumns) continue;
          SheetCell cell = read_cell(c);
          if (cell.empty()) continue;
          if (++cells_ > kSheetMaxCells) {
            throw FileError(pkg_.file(), part, "too many cells for an edition workbook");
          }
          if (row.cells.size() < static_cast<std::size_t>(col)) row.cells.resize(col);
          row.cells[col - 1] = std::move(cell);
        }
      }
    }
    Sheet sheet;
    sheet.name = name;
    for (auto& [n, row] : rows) {
      if (!row.cells.empty()) sheet.rows.push_back(std::move(row));
    }
    return sheet;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw FileError(pkg_.file(), part_, message);
  }

  int row_attribute(const xmlNode* r, int fallback) const {
    const auto s = attribute(r, "r");
    if (!s) return fallback;
    int n = 0;
    const char* end = s->data() + s->size();
    if (std::from_chars(s->data(), end, n).ptr != end || n < 1 || n > 1048576) {
      fail("invalid row number \"" + *s + "\"");
    }
    return n;
  }

  int cell_column(const xmlNode* c, int row, int fallback) const {
    const auto ref = attribute(c, "r");
    if (!ref) return fallback;
    const auto rc = parse_reference(*ref);
    if (!rc) fail("invalid cell reference \"" + *ref + "\"");
    if (rc->first != row) {
      fail("cell " + *ref + " is inside row " + std::to_string(row));
    }
    return rc->second;
  }

  SheetCell read_cell(const xmlNode* c) const {
    const std::string type = attribute(c, "t").value_or("n");
    const xmlNode* v = child(c, "v");
    if (type == "inlineStr") {
      const xmlNode* is = child(c, "is");
      return SheetCell::of_text(is == nullptr ? "" : string_item_text(is));
    }
    if (v == nullptr) return SheetCell{};
    const std::string value = content(v);
    if (type == "s") {
      std::size_t index = 0;
      const std::string t = trimmed(value);
      const char* end = t.data() + t.size();
      if (std::from_chars(t.data(), end, index).ptr != end || index >= shared_.size()) {
        fail("cell refers to shared string \"" + value + "\", which does not exist");
      }
      return SheetCell::of_text(shared_[index]);
    }
    if (type == "b") {
      const std::string t = trimmed(value);
      return SheetCell::of_boolean(t == "1" || t == "true");
    }
    if (type == "str" || type == "e" || type == "d") {
      return SheetCell::of_text(unescape_xstring(value));
    }
    const std::string t = trimmed(value);
    if (t.empty()) return SheetCell{};
    double x = 0;
    const char* end = t.data() + t.size();
    const auto r = std::from_chars(t.data(), end, x);
    if (r.ptr != end || r.ec != std::errc() || !std::isfinite(x)) return SheetCell::of_text(t);
    return SheetCell::of_number(x);
  }

  const XlsxPackage& pkg_;
  const std::vector<std::string>& shared_;
  std::size_t& cells_;
  std::string part_;
};

}  // namespace

std::vector<Sheet> read_xlsx_sheets(std::string_view bytes, const std::string& file) {
  const XlsxPackage pkg(bytes, file);
  std::string workbook = "xl/workbook.xml";
  for (const auto& [id, rel] : read_relationships(pkg, "_rels/.rels", "")) {
    if (type_is(rel, "/officeDocument")) workbook = rel.target;
  }
  const auto wb_text = pkg.read(workbook);
  if (!wb_text) {
    throw FileError(file, "", "not an .xlsx workbook (" + workbook + " is missing)");
  }
  const std::string base = folder_of(workbook);
  const std::string rels_part = base + "_rels/" + workbook.substr(base.size()) + ".rels";
  const auto rels = read_relationships(pkg, rels_part, base);

  std::vector<std::string> shared;
  std::string shared_part = base + "sharedStrings.xml";
  for (const auto& [id, rel] : rels) {
    if (type_is(rel, "/sharedStrings")) shared_part = rel.target;
  }
  if (const auto text = pkg.read(shared_part)) {
    const XmlDocPtr doc = parse_xml(*text, file, shared_part);
    for (const xmlNode* si = xmlDocGetRootElement(doc.get())->children; si != nullptr;
         si = si->next) {
      if (is_element(si, "si")) shared.push_back(string_item_text(si));
    }
  }

  const XmlDocPtr wb = parse_xml(*wb_text, file, workbook);
  const xmlNode* sheets = child(xmlDocGetRootElement(wb.get()), "sheets");
  std::vector<Sheet> out;
  std::size_t cells = 0;
  SheetParser parser(pkg, shared, cells);
  for (const xmlNode* s = sheets == nullptr ? nullptr : sheets->children; s != nullptr;
       s = s->next) {
    if (!is_element(s, "sheet")) continue;
    const std::string name = attribute(s, "name").value_or("");
    const auto id = attribute(s, "id");
    if (!id) throw FileError(file, workbook, "sheet \"" + name + "\" has no relationship id");
    const auto rel = rels.find(*id);
    if (rel == rels.end()) {
      throw FileError(file, rels_part, "no part for the sheet \"" + name + "\" (" + *id + ")");
    }
    if (!type_is(rel->second, "/worksheet")) continue;  // a chart sheet or a dialog sheet
    out.push_back(parser.parse(name, rel->second.target));
  }
  return out;
}

// ---- xlsx writing ----

namespace {

class TempFile {
 public:
  TempFile() {
    path_ = (std::filesystem::temp_directory_path() / "ita-sheet-XXXXXX").string();
    const int fd = ::mkstemp(path_.data());
    if (fd < 0) throw FileError(path_, "", "cannot create a temporary file");
    ::close(fd);
  }
  ~TempFile() { std::filesystem::remove(path_, ec_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::error_code ec_;
};

// libxlsxwriter prints numbers with "%.16g", which does not give back every double: those are
// written as text in their shortest exact form (the readers take numeric text as a number).
bool survives_16_digits(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.16g", x);
  double y = 0;
  std::from_chars(buf, buf + std::char_traits<char>::length(buf), y);
  return y == x;
}

}  // namespace

std::string write_xlsx_sheets(const std::vector<Sheet>& sheets) {
  TempFile tmp;
  std::unique_ptr<lxw_workbook, decltype(&lxw_workbook_free)> wb(workbook_new(tmp.path().c_str()),
                                                                 &lxw_workbook_free);
  const auto fail = [](const std::string& what) -> void {
    throw FileError("xlsx", "", "cannot write the XLSX workbook: " + what);
  };
  if (!wb) fail("cannot create the workbook");
  lxw_format* bold = workbook_add_format(wb.get());
  if (bold == nullptr) fail("cannot create a format");
  format_set_bold(bold);
  format_set_text_wrap(bold);
  lxw_format* wrap = workbook_add_format(wb.get());
  if (wrap == nullptr) fail("cannot create a format");
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);

  for (const Sheet& sheet : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb.get(), sheet.name.c_str());
    if (ws == nullptr) fail("cannot add the sheet \"" + sheet.name + "\"");
    for (std::size_t c = 0; c < sheet.widths.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      worksheet_set_column(ws, col, col, sheet.widths[c], wrap);
    }
    for (const SheetRow& row : sheet.rows) {
      const auto r = static_cast<lxw_row_t>(row.number - 1);
      lxw_format* format = row.number == 1 ? bold : nullptr;
      for (std::size_t c = 0; c < row.cells.size(); ++c) {
        const SheetCell& cell = row.cells[c];
        const auto col = static_cast<lxw_col_t>(c);
        lxw_error err = LXW_NO_ERROR;
        switch (cell.kind) {
          case SheetCell::Kind::Empty:
            break;
          case SheetCell::Kind::Text:
            if (!cell.text.empty())
              err = worksheet_write_string(ws, r, col, cell.text.c_str(), format);
            break;
          case SheetCell::Kind::Number:
            if (survives_16_digits(cell.number)) {
              err = worksheet_write_number(ws, r, col, cell.number, format);
            } else {
              err = worksheet_write_string(ws, r, col, shortest(cell.number).c_str(), format);
            }
            break;
          case SheetCell::Kind::Boolean:
            err = worksheet_write_boolean(ws, r, col, cell.boolean ? 1 : 0, format);
            break;
        }
        if (err != LXW_NO_ERROR) {
          fail("sheet \"" + sheet.name + "\", cell " + column_letter(static_cast<int>(c) + 1) +
               std::to_string(row.number) + ": " + lxw_strerror(err));
        }
      }
    }
    for (std::size_t c = 0; c < sheet.header_notes.size(); ++c) {
      if (sheet.header_notes[c].empty()) continue;
      const lxw_error err =
          worksheet_write_comment(ws, 0, static_cast<lxw_col_t>(c), sheet.header_notes[c].c_str());
      if (err != LXW_NO_ERROR) fail(std::string("header note: ") + lxw_strerror(err));
    }
    worksheet_freeze_panes(ws, 1, 0);
  }
  const lxw_error err = workbook_close(wb.release());
  if (err != LXW_NO_ERROR) fail(lxw_strerror(err));
  return read_file(tmp.path());
}

// ---- CSV ----

namespace {

// The byte offset of the first invalid UTF-8 sequence, or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return i;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong =
        (n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n + 1;
  }
  return std::string_view::npos;
}

}  // namespace

Sheet parse_csv_sheet(std::string_view text, const std::string& sheet_name,
                      std::vector<SheetProblem>& problems) {
  Sheet sheet;
  sheet.name = sheet_name;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const auto problem = [&](int row, int col, std::string en, std::string th) {
    problems.push_back(
        SheetProblem{sheet_name, row, column_letter(col), "", std::move(en), std::move(th)});
  };
  SheetRow row;
  row.number = 1;
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  int quote_row = 0;
  int line = 1;  // the record that is being read
  std::size_t cells = 0;
  bool bad_utf8 = false;  // reported once: a file in another encoding is wrong everywhere
  const auto end_field = [&] {
    if (!bad_utf8 && invalid_utf8_at(field) != std::string_view::npos) {
      bad_utf8 = true;
      problem(row.number, static_cast<int>(row.cells.size()) + 1,
              "the text is not valid UTF-8 (save the file as \"CSV UTF-8\")",
              "ข้อความไม่ใช่ UTF-8 ที่ถูกต้อง (ให้บันทึกไฟล์เป็น \"CSV UTF-8\")");
    }
    if (row.cells.size() < static_cast<std::size_t>(kSheetMaxColumns)) {
      row.cells.push_back(SheetCell::of_text(std::move(field)));
    }
    field.clear();
    was_quoted = false;
  };
  const auto end_row = [&] {
    const bool blank = row.cells.empty() && field.empty() && !was_quoted;
    end_field();
    if (!blank) {
      while (!row.cells.empty() && row.cells.back().empty()) row.cells.pop_back();
      cells += row.cells.size();
      if (!row.cells.empty()) sheet.rows.push_back(std::move(row));
    }
    row = SheetRow{};
    row.number = ++line;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
      quote_row = row.number;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      if (cells > kSheetMaxCells) {
        problem(row.number, 0, "too many cells for an edition sheet",
                "จำนวนเซลล์มากเกินไปสำหรับแผ่นงานของฉบับการประเมิน");
        return sheet;
      }
    } else {
      field += c;
    }
  }
  if (quoted) {
    problem(quote_row, static_cast<int>(row.cells.size()) + 1,
            "a quoted field is not closed (a \" is missing)",
            "ช่องข้อมูลที่เปิดด้วยเครื่องหมายคำพูดไม่ได้ปิด (ขาดเครื่องหมาย \")");
  }
  if (!field.empty() || !row.cells.empty() || was_quoted) end_row();
  return sheet;
}

namespace {

void put_csv_field(std::string& out, std::string_view v) {
  const bool quote = v.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!v.empty() && (v.front() == ' ' || v.back() == ' ' || v.front() == '\t' ||
                                     v.back() == '\t'));
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string csv_text(const Sheet& sheet) {
  std::string out;
  int next = 1;
  for (const SheetRow& row : sheet.rows) {
    for (; next < row.number; ++next) out += "\r\n";
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      if (c > 0) out += ',';
      put_csv_field(out, row.cells[c].as_text());
    }
    if (row.cells.size() == 1 && row.cells[0].empty()) out += "\"\"";
    out += "\r\n";
    next = row.number + 1;
  }
  return out;
}

}  // namespace ita::io
