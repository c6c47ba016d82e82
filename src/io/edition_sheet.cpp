#include "io/edition_sheet.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <system_error>

#include "io/atomic_file.hpp"
#include "io/edition_json.hpp"
#include "io/json_error.hpp"

namespace ita::io {

namespace {

namespace fs = std::filesystem;

// ---- the layout ----

struct ColumnSpec {
  const char* name;
  bool required;
  double width;
  const char* note;  // the header cell's comment in the workbook: Thai, then English
};

struct SheetSpec {
  const char* name;
  bool required;
  std::vector<ColumnSpec> columns;
};

const std::vector<SheetSpec>& layout() {
  static const std::vector<SheetSpec> specs = {
      {"edition",
       true,
       {{"key", true, 32,
         "ชื่อรายการ เช่น id, fiscal_year, tools.provenance.status\n"
         "Key, e.g. id, fiscal_year, tools.provenance.status"},
        {"value", true, 90, "ค่าของรายการ\nValue"}}},
      {"tools",
       true,
       {{"id", true, 8, "เครื่องมือ: IIT, EIT หรือ OIT\nTool: IIT, EIT or OIT"},
        {"name_th", true, 50, "ชื่อเครื่องมือภาษาไทย\nThai name"},
        {"name_en", false, 40, "ชื่อภาษาอังกฤษ (ไม่บังคับ)\nEnglish name (optional)"},
        {"weight", true, 10, "น้ำหนัก รวมกันต้องได้ 1 เช่น 0.3\nWeight; the three sum to 1"}}},
      {"indicators",
       true,
       {{"id", true, 6, "หมายเลขตัวชี้วัด 1, 2, ...\nIndicator number"},
        {"tool", true, 8, "เครื่องมือที่ตัวชี้วัดสังกัด\nIIT, EIT or OIT"},
        {"name_th", true, 40, "ชื่อตัวชี้วัดภาษาไทย\nThai name"},
        {"name_en", false, 30, "ชื่อภาษาอังกฤษ (ไม่บังคับ)\nEnglish name (optional)"},
        {"explanation_th", false, 80,
         "คำอธิบายมาตรฐานสำหรับเอกสารมาตรการ (ไม่บังคับ)\n"
         "Standard explanation for the measures document (optional)"}}},
      {"scales",
       true,
       {{"scale", true, 12, "รหัสมาตราส่วน เช่น likert4\nScale id, e.g. likert4"},
        {"name_th", false, 24, "ชื่อมาตราส่วน\nScale name"},
        {"code", true, 8, "รหัสตัวเลือก (สิ่งที่ผู้ตอบเลือก) เช่น 1, Y\nOption code"},
        {"label_th", true, 30, "ข้อความของตัวเลือก\nOption label"},
        {"points", true, 10,
         "คะแนน 0-100 หรือเศษส่วน เช่น 100/3 (พิมพ์เป็นข้อความ)\n"
         "Points 0-100, or a fraction such as 100/3 (typed as text)"}}},
      {"items",
       true,
       {{"tool", true, 6, "IIT หรือ EIT\nIIT or EIT"},
        {"code", true, 8, "รหัสข้อคำถาม เช่น I1\nQuestion code"},
        {"indicator", true, 9, "หมายเลขตัวชี้วัด\nIndicator number"},
        {"text_th", true, 60, "ข้อคำถาม\nQuestion text"},
        {"sub_code", false, 9,
         "รหัสข้อย่อย เช่น I1.1 (เว้นว่างถ้าไม่มีข้อย่อย)\n"
         "Sub-item code (empty when the question has none)"},
        {"sub_text_th", false, 60, "ข้อความของข้อย่อย\nSub-item text"},
        {"scale", true, 10, "มาตราส่วนคำตอบ\nAnswer scale"},
        {"reverse", false, 9, "TRUE = คำถามเชิงลบ (กลับคะแนน)\nTRUE: negative question"},
        {"provisional", false, 11,
         "TRUE = รหัสที่เราตั้งเอง ไม่ใช่รหัสทางการ\nTRUE: code made up, not official"}}},
      {"oit",
       true,
       {{"kind", false, 14,
         "sub_indicator = ตัวชี้วัดย่อย, item = ข้อ (ว่าง = item)\n"
         "sub_indicator or item (empty: item)"},
        {"code", true, 8, "รหัสข้อ เช่น O1 หรือรหัสตัวชี้วัดย่อย เช่น 9.1\nItem code or sub-indicator id"},
        {"sub_indicator", false, 14, "ตัวชี้วัดย่อยที่ข้อสังกัด\nThe item's sub-indicator"},
        {"indicator", false, 9,
         "หมายเลขตัวชี้วัด (จำเป็นเมื่อไม่ระบุตัวชี้วัดย่อย)\n"
         "Indicator (needed without a sub-indicator)"},
        {"name_th", true, 60, "ชื่อข้อหรือตัวชี้วัดย่อย\nThai name"},
        {"provisional", false, 11, "TRUE = ข้อที่ยังไม่ยืนยัน\nTRUE: provisional item"},
        {"criteria_th", false, 60,
         "สิ่งที่หน้าเว็บของข้อต้องแสดงตามคู่มือ (ไม่บังคับ)\n"
         "What the item's page must show, per the manual (optional)"},
        {"keywords_th", false, 30,
         "คำสำคัญที่หลักฐานของข้อต้องมีอย่างน้อยหนึ่งคำ บรรทัดละคำ (ไม่บังคับ)\n"
         "Words the item's evidence shows (any one), one per line (optional)"}}},
      {"grading",
       true,
       {{"code", true, 12, "รหัสระดับ เช่น AA, excellent\nLevel code"},
        {"label_th", true, 24, "ชื่อระดับ\nLevel label"},
        {"condition_th", false, 50, "เงื่อนไขตามที่พิมพ์ในตาราง (ไม่บังคับ)\nCondition as printed"},
        {"min_total", true, 10, "คะแนนรวมขั้นต่ำ\nMinimum total"},
        {"min_every_tool", false, 14,
         "คะแนนขั้นต่ำของทุกเครื่องมือ (ไม่บังคับ)\nMinimum of every tool (optional)"}}},
      {"sampling",
       false,
       {{"tool", true, 6, "IIT หรือ EIT\nIIT or EIT"},
        {"fraction", true, 10, "สัดส่วนของประชากร เช่น 0.1\nFraction of the population"},
        {"min", true, 8, "จำนวนขั้นต่ำ\nMinimum"},
        {"max", false, 8, "จำนวนสูงสุด (ไม่บังคับ)\nMaximum (optional)"}}},
  };
  return specs;
}

const SheetSpec& spec_of(std::string_view name) {
  for (const auto& s : layout()) {
    if (name == s.name) return s;
  }
  throw std::logic_error("no sheet spec " + std::string(name));
}

int sheet_order(const std::string& name) {
  int i = 0;
  for (const auto& s : layout()) {
    if (name == s.name) return i;
    ++i;
  }
  return i;
}

std::string in_quotes(const std::string& s) {
  return "\"" + s + "\"";
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// `words` one per line, as a keywords_th cell holds them.
std::string lines(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : "\n") + w;
  return out;
}

// The trimmed, non-blank lines of a keywords_th cell.
std::vector<std::string> non_blank_lines(std::string_view cell) {
  std::vector<std::string> out;
  while (!cell.empty()) {
    const std::size_t nl = cell.find('\n');
    std::string line = trim(cell.substr(0, nl));
    if (!line.empty()) out.push_back(std::move(line));
    cell.remove_prefix(nl == std::string_view::npos ? cell.size() : nl + 1);
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// ---- writing ----

class SheetBuilder {
 public:
  explicit SheetBuilder(const char* name) {
    const SheetSpec& spec = spec_of(name);
    sheet_.name = name;
    SheetRow header;
    header.number = 1;
    for (const auto& c : spec.columns) {
      header.cells.push_back(SheetCell::of_text(c.name));
      sheet_.widths.push_back(c.width);
      sheet_.header_notes.emplace_back(c.note);
    }
    sheet_.rows.push_back(std::move(header));
  }

  void row(std::vector<SheetCell> cells) {
    SheetRow r;
    r.number = static_cast<int>(sheet_.rows.size()) + 1;
    r.cells = std::move(cells);
    sheet_.rows.push_back(std::move(r));
  }

  Sheet take() { return std::move(sheet_); }

 private:
  Sheet sheet_;
};

SheetCell text(const std::string& s) {
  return SheetCell::of_text(s);
}
SheetCell num(double x) {
  return SheetCell::of_number(x);
}
SheetCell flag(bool b) {
  return SheetCell::of_boolean(b);
}
SheetCell points_cell(double points) {
  if (auto f = fraction_text(points)) return text(*f);
  return num(points);
}

void provenance_rows(SheetBuilder& b, const std::string& prefix, const Provenance& p) {
  b.row({text(prefix + "provenance.status"), text(std::string(provenance_code(p.status)))});
  for (const auto& s : p.sources) b.row({text(prefix + "provenance.source"), text(s)});
  if (p.sources.empty()) b.row({text(prefix + "provenance.source"), text("")});
  b.row({text(prefix + "provenance.notes"), text(p.notes)});
}

Sheet edition_sheet(const Edition& e) {
  SheetBuilder b("edition");
  b.row({text("id"), text(e.id)});
  b.row({text("fiscal_year"), num(e.fiscal_year)});
  b.row({text("title_th"), text(e.title_th)});
  provenance_rows(b, "", e.provenance);
  provenance_rows(b, "tools.", e.tools_provenance);
  provenance_rows(b, "indicators.", e.indicators_provenance);
  for (const auto& [id, scale] : e.scales)
    provenance_rows(b, "scales." + id + ".", scale.provenance);
  provenance_rows(b, "iit.", e.iit.provenance);
  provenance_rows(b, "eit.", e.eit.provenance);
  provenance_rows(b, "oit.", e.oit.provenance);
  b.row({text("oit.aggregation"),
         text(e.oit.aggregation == OitAggregation::SubIndicatorMean ? "sub_indicator_mean"
                                                                    : "item_mean")});
  provenance_rows(b, "grading.", e.grading.provenance);
  b.row({text("grading.system"),
         text(e.grading.system == GradingSystem::Letter ? "letter" : "five_level")});
  b.row({text("analysis.strength_min"), num(e.analysis.strength_min)});
  b.row({text("analysis.item_min"), num(e.analysis.item_min)});
  if (e.sampling) provenance_rows(b, "sampling.", e.sampling->provenance);
  return b.take();
}

Sheet items_sheet(const Edition& e) {
  SheetBuilder b("items");
  for (ToolId t : {ToolId::IIT, ToolId::EIT}) {
    const std::string tool(tool_code(t));
    for (const Item& item : e.questionnaire(t).items) {
      const bool one_unit = item.sub_items.size() == 1 && item.sub_items[0].code == item.code &&
                            item.sub_items[0].text_th == item.text_th;
      for (const SubItem& sub : item.sub_items) {
        b.row({text(tool), text(item.code), num(item.indicator), text(item.text_th),
               text(one_unit ? "" : sub.code), text(one_unit ? "" : sub.text_th), text(sub.scale),
               flag(sub.reverse), flag(item.provisional_code)});
      }
    }
  }
  return b.take();
}

Sheet oit_sheet(const Edition& e) {
  SheetBuilder b("oit");
  const auto& subs = e.oit.sub_indicators;
  std::size_t next_sub = 0;
  const auto sub_row = [&](const OitSubIndicator& s) {
    b.row({text("sub_indicator"), text(s.id), text(""), num(s.indicator), text(s.name_th), text(""),
           text("")});
  };
  // Each sub-indicator comes just before its first item; both lists keep their order.
  for (const OitItem& item : e.oit.items) {
    if (!item.sub_indicator.empty()) {
      for (std::size_t k = next_sub; k < subs.size(); ++k) {
        if (subs[k].id != item.sub_indicator) continue;
        while (next_sub <= k) sub_row(subs[next_sub++]);
        break;
      }
    }
    b.row({text("item"), text(item.code), text(item.sub_indicator), num(item.indicator),
           text(item.name_th), flag(item.provisional), text(item.criteria_th),
           text(lines(item.keywords_th))});
  }
  while (next_sub < subs.size()) sub_row(subs[next_sub++]);
  return b.take();
}

}  // namespace

std::vector<Sheet> edition_sheets(const Edition& e) {
  std::vector<Sheet> out;
  out.push_back(edition_sheet(e));

  SheetBuilder tools("tools");
  for (const Tool& t : e.tools) {
    tools.row(
        {text(std::string(tool_code(t.id))), text(t.name_th), text(t.name_en), num(t.weight)});
  }
  out.push_back(tools.take());

  SheetBuilder indicators("indicators");
  for (const Indicator& i : e.indicators) {
    indicators.row({num(i.id), text(std::string(tool_code(i.tool))), text(i.name_th),
                    text(i.name_en), text(i.explanation_th)});
  }
  out.push_back(indicators.take());

  SheetBuilder scales("scales");
  for (const auto& [id, scale] : e.scales) {
    for (const ScaleOption& o : scale.options) {
      scales.row(
          {text(id), text(scale.name_th), text(o.code), text(o.label_th), points_cell(o.points)});
    }
  }
  out.push_back(scales.take());
  out.push_back(items_sheet(e));
  out.push_back(oit_sheet(e));

  SheetBuilder grading("grading");
  for (const GradeRule& r : e.grading.rules) {
    grading.row({text(r.code), text(r.label_th), text(r.condition_th), num(r.min_total),
                 r.min_every_tool ? num(*r.min_every_tool) : SheetCell{}});
  }
  out.push_back(grading.take());

  if (e.sampling) {
    SheetBuilder sampling("sampling");
    for (const auto& [tool, rule] :
         {std::pair{"IIT", &e.sampling->iit}, std::pair{"EIT", &e.sampling->eit}}) {
      sampling.row({text(tool), num(rule->fraction), num(rule->min),
                    rule->max ? num(*rule->max) : SheetCell{}});
    }
    out.push_back(sampling.take());
  }
  return out;
}

// ---- reading ----

namespace {

// Where a part of the domain edition came from, to place core check_edition's findings.
struct Origin {
  std::string sheet;
  int row = 0;
  const std::map<std::string, std::string>* aliases = nullptr;  // domain field → column
};

const std::map<std::string, std::string> kSubItemColumns = {{"code", "sub_code"},
                                                            {"text_th", "sub_text_th"}};
const std::map<std::string, std::string> kQuestionColumns = {{"sub_items", "sub_code"}};
const std::map<std::string, std::string> kSubIndicatorColumns = {{"id", "code"}};
const std::map<std::string, std::string> kScaleColumns = {{"options", "code"}};
// Whole-list findings of check_edition that concern one column: the sum of the weights, and
// the minimum total of the last grade rule.
const std::map<std::string, std::string> kWeightColumn = {{"", "weight"}};
const std::map<std::string, std::string> kMinTotalColumn = {{"", "min_total"}};

class Problems {
 public:
  void add(SheetProblem p) {
    if (p.row > 0) rows_.insert({p.sheet, p.row});
    list_.push_back(std::move(p));
  }
  // A value that could not be read: aggregate checks of its sheet would be guesses.
  void taint(const std::string& sheet) { tainted_.insert(sheet); }
  bool tainted(const std::string& sheet) const { return tainted_.contains(sheet); }
  bool row_has_problem(const std::string& sheet, int row) const {
    return rows_.contains({sheet, row});
  }
  bool has(const std::string& sheet, int row, const std::string& column, const std::string& en) {
    for (const auto& p : list_) {
      if (p.sheet == sheet && p.row == row && p.column == column && p.message_en == en) return true;
    }
    return false;
  }
  std::vector<SheetProblem>& list() { return list_; }

 private:
  std::vector<SheetProblem> list_;
  std::set<std::pair<std::string, int>> rows_;
  std::set<std::string> tainted_;
};

// One sheet with its header read: cells by column name, and typed values that report problems.
class Table {
 public:
  Table(const Sheet* sheet, const SheetSpec& spec, Problems& problems)
      : name_(spec.name), problems_(problems) {
    if (sheet == nullptr) return;
    present_ = true;
    const SheetRow* header = nullptr;
    std::size_t first_data = 0;
    if (!sheet->rows.empty() && sheet->rows[0].number == 1) {
      header = &sheet->rows[0];
      first_data = 1;
    }
    std::map<std::string, int> seen;
    if (header != nullptr) {
      for (std::size_t c = 0; c < header->cells.size(); ++c) {
        const std::string h = trim(header->cells[c].as_text());
        if (h.empty()) continue;
        const int col = static_cast<int>(c) + 1;
        if (auto [it, fresh] = seen.emplace(h, col); !fresh) {
          problem(1, col, h,
                  "the column " + in_quotes(h) + " appears twice (first in column " +
                      column_letter(it->second) + ")",
                  "คอลัมน์ " + in_quotes(h) + " ซ้ำกับคอลัมน์ " + column_letter(it->second));
          continue;
        }
        columns_[h] = col;
      }
    }
    for (const auto& c : spec.columns) {
      if (c.required && !columns_.contains(c.name)) {
        problem(1, 0, "", "missing the column " + in_quotes(c.name) + " (row 1 holds the headers)",
                "ไม่พบคอลัมน์ " + in_quotes(c.name) + " (แถวที่ 1 ต้องเป็นหัวคอลัมน์)");
        problems_.taint(name_);
      }
    }
    for (std::size_t r = first_data; r < sheet->rows.size(); ++r) {
      const SheetRow& row = sheet->rows[r];
      bool any = false;
      for (const auto& c : spec.columns) any = any || !cell(row, c.name).empty();
      if (any) rows_.push_back(&row);
    }
  }

  bool present() const { return present_; }
  const std::string& name() const { return name_; }
  const std::vector<const SheetRow*>& rows() const { return rows_; }
  const std::map<std::string, int>& columns() const { return columns_; }
  bool has(const char* column) const { return columns_.contains(column); }

  const SheetCell& cell(const SheetRow& row, const char* column) const {
    static const SheetCell kEmpty;
    const auto it = columns_.find(column);
    return it == columns_.end() ? kEmpty : row.cell(static_cast<std::size_t>(it->second - 1));
  }
  bool blank(const SheetRow& row, const char* column) const {
    return trim(cell(row, column).as_text()).empty();
  }

  void problem(int row, int col, const std::string& column_name, std::string en, std::string th) {
    problems_.add(
        SheetProblem{name_, row, column_letter(col), column_name, std::move(en), std::move(th)});
  }
  void problem(const SheetRow& row, const char* column, std::string en, std::string th) {
    problem(row.number, column_index(column), column, std::move(en), std::move(th));
  }
  // A problem about a whole column (no row), e.g. weights that do not sum to 1.
  void column_problem(const char* column, std::string en, std::string th) {
    problem(0, column_index(column), column, std::move(en), std::move(th));
  }
  int column_index(const char* column) const {
    const auto it = columns_.find(column);
    return it == columns_.end() ? 0 : it->second;
  }

  // Free text, as written (an empty string when blank).
  std::string text(const SheetRow& row, const char* column) const {
    return cell(row, column).as_text();
  }
  // Text that must be given.
  std::optional<std::string> required_text(const SheetRow& row, const char* column) {
    std::string s = text(row, column);
    if (trim(s).empty()) {
      missing(row, column);
      return std::nullopt;
    }
    return s;
  }
  // A code or an id: trimmed.
  std::string code(const SheetRow& row, const char* column) const {
    return trim(text(row, column));
  }
  std::optional<std::string> required_code(const SheetRow& row, const char* column) {
    std::string s = code(row, column);
    if (s.empty()) {
      missing(row, column);
      return std::nullopt;
    }
    return s;
  }

  void missing(const SheetRow& row, const char* column, const char* en = nullptr,
               const char* th = nullptr) {
    if (!has(column)) return;  // the missing column is reported once
    problem(row, column, en != nullptr ? en : "this cell must not be empty",
            th != nullptr ? th : "ต้องกรอกข้อมูลในช่องนี้");
    problems_.taint(name_);
  }

  // A number; "a/b" fractions too when `fraction` is set. nullopt when blank (reported when
  // `required`) or not a number (always reported).
  std::optional<double> number(const SheetRow& row, const char* column, bool required,
                               bool fraction = false) {
    const SheetCell& c = cell(row, column);
    if (c.kind == SheetCell::Kind::Number) return c.number;
    const std::string s = trim(c.as_text());
    if (s.empty()) {
      if (required) missing(row, column);
      return std::nullopt;
    }
    if (c.kind == SheetCell::Kind::Text) {
      if (auto x = parse_number(s, fraction)) return x;
    }
    problems_.taint(name_);
    if (fraction) {
      problem(row, column, "expected a number or a fraction such as 100/3, found " + in_quotes(s),
              "ต้องเป็นตัวเลขหรือเศษส่วน เช่น 100/3 แต่พบ " + in_quotes(s));
    } else {
      problem(row, column, "expected a number, found " + in_quotes(s),
              "ต้องเป็นตัวเลข แต่พบ " + in_quotes(s));
    }
    return std::nullopt;
  }

  std::optional<int> integer(const SheetRow& row, const char* column, bool required) {
    const auto x = number(row, column, required);
    if (!x) return std::nullopt;
    if (std::floor(*x) != *x || std::abs(*x) > 1e9) {
      problems_.taint(name_);
      const std::string s = trim(cell(row, column).as_text());
      problem(row, column, "expected a whole number, found " + in_quotes(s),
              "ต้องเป็นจำนวนเต็ม แต่พบ " + in_quotes(s));
      return std::nullopt;
    }
    return static_cast<int>(*x);
  }

  // TRUE/FALSE (also true, false, 1, 0, yes, no, ใช่, ไม่ใช่); blank: nullopt.
  std::optional<bool> boolean(const SheetRow& row, const char* column) {
    const SheetCell& c = cell(row, column);
    if (c.kind == SheetCell::Kind::Boolean) return c.boolean;
    if (c.kind == SheetCell::Kind::Number && (c.number == 0 || c.number == 1)) {
      return c.number == 1;
    }
    const std::string s = lower(trim(c.as_text()));
    if (s.empty()) return std::nullopt;
    if (s == "true" || s == "1" || s == "yes" || s == "ใช่") return true;
    if (s == "false" || s == "0" || s == "no" || s == "ไม่ใช่") return false;
    problems_.taint(name_);
    problem(row, column, "expected TRUE or FALSE, found " + in_quotes(trim(c.as_text())),
            "ต้องเป็น TRUE หรือ FALSE แต่พบ " + in_quotes(trim(c.as_text())));
    return std::nullopt;
  }

  std::optional<ToolId> tool(const SheetRow& row, const char* column,
                             std::initializer_list<ToolId> allowed) {
    const auto s = required_code(row, column);
    if (!s) return std::nullopt;
    const auto t = parse_tool(*s);
    if (t && std::find(allowed.begin(), allowed.end(), *t) != allowed.end()) return t;
    std::vector<std::string> names;
    for (ToolId a : allowed) names.emplace_back(tool_code(a));
    std::string list_en, list_th;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const bool last = i + 1 == names.size();
      list_en += (i == 0 ? "" : last ? " or " : ", ") + names[i];
      list_th += (i == 0 ? "" : last ? " หรือ " : ", ") + names[i];
    }
    problems_.taint(name_);
    problem(row, column, "expected " + list_en + ", found " + in_quotes(*s),
            "ต้องเป็น " + list_th + " แต่พบ " + in_quotes(*s));
    return std::nullopt;
  }

  // Reports `value` in `column` when an earlier row used it; remembers it otherwise.
  bool duplicate(std::map<std::string, int>& seen, const SheetRow& row, const char* column,
                 const std::string& value, const char* what_en, const char* what_th) {
    const auto [it, fresh] = seen.emplace(value, row.number);
    if (fresh) return false;
    problem(
        row, column,
        std::string(what_en) + " " + in_quotes(value) + " is already used in row " +
            std::to_string(it->second),
        std::string(what_th) + " " + in_quotes(value) + " ซ้ำกับแถวที่ " + std::to_string(it->second));
    return true;
  }

  static std::optional<double> parse_number(const std::string& s, bool fraction) {
    const char* end = s.data() + s.size();
    double x = 0;
    auto r = std::from_chars(s.data(), end, x);
    if (r.ec == std::errc() && r.ptr == end && std::isfinite(x)) return x;
    if (!fraction) return std::nullopt;
    const auto slash = s.find('/');
    long a = 0, b = 0;
    if (slash == std::string::npos) return std::nullopt;
    const std::string num = trim(std::string_view(s).substr(0, slash));
    const std::string den = trim(std::string_view(s).substr(slash + 1));
    if (std::from_chars(num.data(), num.data() + num.size(), a).ptr != num.data() + num.size() ||
        std::from_chars(den.data(), den.data() + den.size(), b).ptr != den.data() + den.size() ||
        num.empty() || den.empty() || b <= 0) {
      return std::nullopt;
    }
    return static_cast<double>(a) / static_cast<double>(b);  // as the JSON reader divides
  }

 private:
  std::string name_;
  Problems& problems_;
  bool present_ = false;
  std::map<std::string, int> columns_;
  std::vector<const SheetRow*> rows_;
};

// The `edition` sheet: key → value rows.
class KeyValues {
 public:
  struct Entry {
    const SheetRow* row;
    std::string key;
    bool used = false;
  };

  explicit KeyValues(Table& t) : t_(t) {
    std::map<std::string, int> seen;
    for (const SheetRow* row : t.rows()) {
      const std::string key = t.code(*row, "key");
      if (key.empty()) {
        t.missing(*row, "key", "a value without a key", "มีค่าแต่ไม่ได้ระบุชื่อรายการ (key)");
        continue;
      }
      if (!key.ends_with(".provenance.source") && key != "provenance.source" &&
          t.duplicate(seen, *row, "key", key, "the key", "รายการ")) {
        continue;
      }
      entries_.push_back(Entry{row, key});
    }
  }

  Entry* find(const std::string& key) {
    for (auto& e : entries_) {
      if (e.key == key) {
        e.used = true;
        return &e;
      }
    }
    return nullptr;
  }
  std::vector<Entry*> find_all(const std::string& key) {
    std::vector<Entry*> out;
    for (auto& e : entries_) {
      if (e.key == key) {
        e.used = true;
        out.push_back(&e);
      }
    }
    return out;
  }
  std::vector<Entry>& entries() { return entries_; }

  void missing_key(const std::string& key) {
    if (!t_.present() || !t_.has("key")) return;
    t_.column_problem("key", "missing the key " + in_quotes(key),
                      "ไม่พบรายการ (key) " + in_quotes(key));
  }

  std::optional<std::string> required_code(const std::string& key) {
    Entry* e = find(key);
    if (e == nullptr) {
      missing_key(key);
      return std::nullopt;
    }
    return t_.required_code(*e->row, "value");
  }

 private:
  Table& t_;
  std::vector<Entry> entries_;
};

constexpr const char* kAbsentColumn = "(absent column)";

class EditionSheetReader {
 public:
  EditionSheetReader(const std::vector<Sheet>& sheets, std::string file,
                     std::vector<SheetProblem> problems)
      : sheets_(sheets), file_(std::move(file)) {
    for (auto& p : problems) problems_.add(std::move(p));
  }

  Edition read() {
    std::set<std::string> known;
    for (const auto& s : layout()) known.insert(s.name);
    std::map<std::string, const Sheet*> by_name;
    for (const Sheet& s : sheets_) by_name.emplace(s.name, &s);
    std::vector<std::string> found;
    for (const Sheet& s : sheets_) found.push_back(in_quotes(s.name));
    for (const auto& spec : layout()) {
      const auto it = by_name.find(spec.name);
      const Sheet* sheet = it == by_name.end() ? nullptr : it->second;
      if (sheet == nullptr && spec.required) {
        problems_.add(
            SheetProblem{spec.name, 0, "", "",
                         "missing the sheet " + in_quotes(spec.name) +
                             (found.empty() ? std::string() : "; the file has " + join(found)),
                         "ไม่พบแผ่นงาน " + in_quotes(spec.name) +
                             (found.empty() ? std::string() : " (ในไฟล์มี " + join(found) + ")")});
      }
      tables_.emplace(spec.name, Table(sheet, spec, problems_));
    }

    Edition e;
    KeyValues kv(table("edition"));
    read_tools(e);
    read_indicators(e);
    read_scales(e);
    read_items(e);
    read_oit(e);
    read_grading(e);
    read_sampling(e);
    read_edition_keys(kv, e);
    e.reindex();
    add_core_findings(e);

    auto& list = problems_.list();
    if (!list.empty()) {
      std::stable_sort(list.begin(), list.end(), [](const SheetProblem& a, const SheetProblem& b) {
        const int sa = sheet_order(a.sheet), sb = sheet_order(b.sheet);
        if (sa != sb) return sa < sb;
        return a.row < b.row;
      });
      throw SheetError(file_, std::move(list));
    }
    // The JSON reader is the one definition of a valid edition: what the sheets gave must read
    // back from its JSON unchanged.
    return parse_edition(edition_to_json(e), file_);
  }

 private:
  Table& table(const char* name) { return tables_.at(name); }

  void origin(const std::string& path, const std::string& sheet, int row,
              const std::map<std::string, std::string>* aliases = nullptr) {
    origins_[path] = Origin{sheet, row, aliases};
  }

  // ---- edition sheet ----

  Provenance provenance(KeyValues& kv, const std::string& prefix) {
    Table& t = table("edition");
    Provenance p;
    const std::string key = prefix + "provenance.status";
    const auto status = kv.required_code(key);
    if (status) {
      const auto s = parse_provenance(*status);
      if (s) {
        p.status = *s;
      } else {
        t.problem(*kv.find(key)->row, "value",
                  "expected official, reconstructed or partial, found " + in_quotes(*status),
                  "ต้องเป็น official, reconstructed หรือ partial แต่พบ " + in_quotes(*status));
      }
    }
    for (auto* e : kv.find_all(prefix + "provenance.source")) {
      std::string s = t.text(*e->row, "value");
      if (!trim(s).empty()) p.sources.push_back(std::move(s));
    }
    if (auto* e = kv.find(prefix + "provenance.notes")) p.notes = t.text(*e->row, "value");
    return p;
  }

  void read_edition_keys(KeyValues& kv, Edition& e) {
    Table& t = table("edition");
    if (!t.present()) return;
    if (const auto id = kv.required_code("id")) e.id = *id;
    if (auto* entry = kv.find("fiscal_year")) {
      if (const auto y = t.integer(*entry->row, "value", true)) {
        e.fiscal_year = *y;
        if (*y < 2500 || *y > 2700) {
          t.problem(*entry->row, "value",
                    "expected a Buddhist-era year such as 2568, found " + std::to_string(*y),
                    "ต้องเป็นปี พ.ศ. เช่น 2568 แต่พบ " + std::to_string(*y));
        }
      }
    } else {
      kv.missing_key("fiscal_year");
    }
    if (auto* entry = kv.find("title_th")) e.title_th = t.text(*entry->row, "value");
    e.provenance = provenance(kv, "");
    e.tools_provenance = provenance(kv, "tools.");
    e.indicators_provenance = provenance(kv, "indicators.");
    for (auto& [id, scale] : e.scales) {
      scale.provenance = provenance(kv, "scales." + id + ".");
    }
    e.iit.provenance = provenance(kv, "iit.");
    e.eit.provenance = provenance(kv, "eit.");
    e.oit.provenance = provenance(kv, "oit.");
    e.grading.provenance = provenance(kv, "grading.");
    if (e.sampling) {
      e.sampling->provenance = provenance(kv, "sampling.");
    }
    if (auto* entry = kv.find("oit.aggregation")) {
      const std::string a = t.code(*entry->row, "value");
      if (a == "item_mean" || a.empty()) {
        e.oit.aggregation = OitAggregation::ItemMean;
      } else if (a == "sub_indicator_mean") {
        e.oit.aggregation = OitAggregation::SubIndicatorMean;
      } else {
        t.problem(*entry->row, "value",
                  "expected item_mean or sub_indicator_mean, found " + in_quotes(a),
                  "ต้องเป็น item_mean หรือ sub_indicator_mean แต่พบ " + in_quotes(a));
      }
    }
    if (const auto system = kv.required_code("grading.system")) {
      if (*system == "five_level") {
        e.grading.system = GradingSystem::FiveLevel;
      } else if (*system == "letter") {
        e.grading.system = GradingSystem::Letter;
      } else {
        t.problem(*kv.find("grading.system")->row, "value",
                  "expected five_level or letter, found " + in_quotes(*system),
                  "ต้องเป็น five_level หรือ letter แต่พบ " + in_quotes(*system));
      }
    }
    for (const auto& [key, target] : {std::pair{"analysis.strength_min", &e.analysis.strength_min},
                                      std::pair{"analysis.item_min", &e.analysis.item_min}}) {
      auto* entry = kv.find(key);
      if (entry == nullptr) continue;
      if (const auto x = t.number(*entry->row, "value", false)) {
        *target = *x;
        if (!(*x >= 0 && *x <= 100)) {
          t.problem(*entry->row, "value", "expected a score from 0 to 100",
                    "ต้องเป็นคะแนนตั้งแต่ 0 ถึง 100");
        }
      }
    }
    // Keys nobody asked for: typos, or provenance of a list that does not exist.
    for (auto& entry : kv.entries()) {
      if (entry.used) continue;
      const bool sampling_key = entry.key.starts_with("sampling.");
      if (sampling_key && !e.sampling) {
        t.problem(*entry.row, "key",
                  "the key " + in_quotes(entry.key) + " needs a \"sampling\" sheet",
                  "รายการ " + in_quotes(entry.key) + " ต้องมีแผ่นงาน \"sampling\"");
      } else if (entry.key.starts_with("scales.")) {
        t.problem(
            *entry.row, "key",
            "the key " + in_quotes(entry.key) + " names a scale that is not in the scales sheet",
            "รายการ " + in_quotes(entry.key) + " อ้างถึงมาตราส่วนที่ไม่มีในแผ่นงาน scales");
      } else {
        t.problem(*entry.row, "key", "unknown key " + in_quotes(entry.key),
                  "ไม่รู้จักรายการ (key) " + in_quotes(entry.key));
      }
    }
  }

  // ---- tools, indicators, scales ----

  void read_tools(Edition& e) {
    Table& t = table("tools");
    std::map<std::string, int> seen;
    for (const SheetRow* row : t.rows()) {
      Tool tool;
      const auto id = t.tool(*row, "id", {ToolId::IIT, ToolId::EIT, ToolId::OIT});
      if (id) {
        tool.id = *id;
        t.duplicate(seen, *row, "id", std::string(tool_code(*id)), "the tool", "เครื่องมือ");
      }
      if (auto s = t.required_text(*row, "name_th")) tool.name_th = *s;
      tool.name_en = t.text(*row, "name_en");
      if (auto w = t.number(*row, "weight", true)) tool.weight = *w;
      origin("tools.list[" + std::to_string(e.tools.size()) + "]", t.name(), row->number);
      e.tools.push_back(std::move(tool));
    }
    origin("tools.list", t.name(), 0);
    origin("tools.weights", t.name(), 0, &kWeightColumn);
  }

  void read_indicators(Edition& e) {
    Table& t = table("indicators");
    std::map<std::string, int> seen;
    for (const SheetRow* row : t.rows()) {
      Indicator ind;
      if (auto id = t.integer(*row, "id", true)) {
        ind.id = *id;
        t.duplicate(seen, *row, "id", std::to_string(*id), "the indicator", "ตัวชี้วัด");
      }
      if (auto tool = t.tool(*row, "tool", {ToolId::IIT, ToolId::EIT, ToolId::OIT})) {
        ind.tool = *tool;
      }
      if (auto s = t.required_text(*row, "name_th")) ind.name_th = *s;
      ind.name_en = t.text(*row, "name_en");
      ind.explanation_th = t.text(*row, "explanation_th");
      origin("indicators.list[" + std::to_string(e.indicators.size()) + "]", t.name(), row->number);
      e.indicators.push_back(std::move(ind));
    }
    origin("indicators.list", t.name(), 0);
  }

  void read_scales(Edition& e) {
    Table& t = table("scales");
    std::map<std::string, std::map<std::string, int>> codes;  // scale → option code → row
    std::map<std::string, int> name_row;
    for (const SheetRow* row : t.rows()) {
      const auto id = t.required_code(*row, "scale");
      if (!id) continue;
      Scale& scale = e.scales[*id];
      if (scale.id.empty()) {
        scale.id = *id;
        origin("scales." + *id, t.name(), row->number, &kScaleColumns);
      }
      const std::string name = t.text(*row, "name_th");
      if (!trim(name).empty()) {
        if (scale.name_th.empty()) {
          scale.name_th = name;
          name_row[*id] = row->number;
        } else if (name != scale.name_th) {
          t.problem(
              *row, "name_th",
              "the scale " + in_quotes(*id) + " is named differently in row " +
                  std::to_string(name_row[*id]),
              "ชื่อมาตราส่วน " + in_quotes(*id) + " ไม่ตรงกับแถวที่ " + std::to_string(name_row[*id]));
        }
      }
      ScaleOption o;
      if (auto c = t.required_code(*row, "code")) {
        o.code = *c;
        t.duplicate(codes[*id], *row, "code", *c, "the option code", "รหัสตัวเลือก");
      }
      if (auto s = t.required_text(*row, "label_th")) o.label_th = *s;
      if (t.blank(*row, "points")) {
        t.missing(*row, "points", "the option has no points", "ตัวเลือกนี้ไม่ได้ระบุคะแนน");
      } else if (auto p = t.number(*row, "points", true, true)) {
        o.points = *p;
      }
      origin("scales." + *id + ".options[" + std::to_string(scale.options.size()) + "]", t.name(),
             row->number);
      scale.options.push_back(std::move(o));
    }
  }

  // The scale named in `column`, which must be in the scales sheet.
  std::string scale_ref(Table& t, const SheetRow& row, const Edition& e) {
    const auto s = t.required_code(row, "scale");
    if (!s) return "";
    if (!e.scales.contains(*s) && table("scales").present()) {
      std::vector<std::string> known;
      for (const auto& [id, _] : e.scales) known.push_back(id);
      t.problem(row, "scale",
                "unknown scale " + in_quotes(*s) + "; the scales sheet has " +
                    (known.empty() ? std::string("none") : join(known)),
                "ไม่พบมาตราส่วน " + in_quotes(*s) + " ในแผ่นงาน scales (มี " +
                    (known.empty() ? std::string("-") : join(known)) + ")");
    }
    return *s;
  }

  // Reports an indicator that is not in the indicators sheet or belongs to another tool.
  void indicator_ref(Table& t, const SheetRow& row, const char* column, int id, ToolId tool,
                     const Edition& e) {
    if (!table("indicators").present()) return;
    const Indicator* ind = e.find_indicator(id);
    if (ind == nullptr) {
      t.problem(row, column,
                "unknown indicator " + std::to_string(id) + "; it is not in the indicators sheet",
                "ไม่พบตัวชี้วัดที่ " + std::to_string(id) + " ในแผ่นงาน indicators");
    } else if (ind->tool != tool) {
      const std::string a(tool_code(ind->tool)), b(tool_code(tool));
      t.problem(row, column, "indicator " + std::to_string(id) + " belongs to " + a + ", not " + b,
                "ตัวชี้วัดที่ " + std::to_string(id) + " เป็นของ " + a + " ไม่ใช่ " + b);
    }
  }

  // ---- items ----

  struct QuestionRows {
    ToolId tool;
    std::size_t index;
    int first_row;
    bool single;  // answered as one unit (no sub_code)
  };

  void read_items(Edition& e) {
    Table& t = table("items");
    std::map<std::string, QuestionRows> questions;
    std::map<std::string, int> sub_codes;
    std::string previous;
    for (const SheetRow* row : t.rows()) {
      const auto tool = t.tool(*row, "tool", {ToolId::IIT, ToolId::EIT});
      const auto code = t.required_code(*row, "code");
      const std::string sub_code = t.code(*row, "sub_code");
      const std::string scale = scale_ref(t, *row, e);
      const bool reverse = t.boolean(*row, "reverse").value_or(false);
      const std::string current = code.value_or("");
      const std::string before = previous;
      previous = current;
      if (!code) continue;
      if (const auto it = questions.find(*code); it != questions.end()) {
        QuestionRows& q = it->second;
        if (before != *code || q.single || sub_code.empty()) {
          t.problem(*row, "code",
                    "the question code " + in_quotes(*code) + " is already used in row " +
                        std::to_string(q.first_row) +
                        " (the rows of one question's sub-items must follow each other)",
                    "รหัสข้อคำถาม " + in_quotes(*code) + " ซ้ำกับแถวที่ " + std::to_string(q.first_row) +
                        " (แถวของข้อย่อยในข้อเดียวกันต้องอยู่ติดกัน)");
          continue;
        }
        Questionnaire& qn = q.tool == ToolId::IIT ? e.iit : e.eit;
        Item& item = qn.items[q.index];
        same_as_first(t, *row, q, tool, item);
        add_sub_item(t, *row, item, q, sub_code, scale, reverse, sub_codes);
        continue;
      }
      Item item;
      item.code = *code;
      item.tool = tool.value_or(ToolId::IIT);
      if (auto ind = t.integer(*row, "indicator", true)) {
        item.indicator = *ind;
        if (tool) indicator_ref(t, *row, "indicator", *ind, *tool, e);
      }
      if (auto s = t.required_text(*row, "text_th")) item.text_th = *s;
      item.provisional_code = t.boolean(*row, "provisional").value_or(false);
      Questionnaire& qn = item.tool == ToolId::IIT ? e.iit : e.eit;
      QuestionRows q{item.tool, qn.items.size(), row->number, sub_code.empty()};
      const std::string path = std::string(item.tool == ToolId::IIT ? "iit" : "eit") + ".items[" +
                               std::to_string(q.index) + "]";
      origin(path, t.name(), row->number, &kQuestionColumns);
      if (sub_code.empty()) {
        if (!t.blank(*row, "sub_text_th")) {
          t.problem(*row, "sub_text_th", "a sub-item text without a sub_code",
                    "มีข้อความของข้อย่อยแต่ไม่ได้ระบุรหัสข้อย่อย (sub_code)");
        }
        item.sub_items.push_back(SubItem{item.code, item.text_th, scale, reverse});
        origin(path + ".sub_items[0]", t.name(), row->number);
      } else {
        add_sub_item(t, *row, item, q, sub_code, scale, reverse, sub_codes);
      }
      questions.emplace(*code, q);
      qn.items.push_back(std::move(item));
    }
  }

  // A continuation row repeats the question's columns or leaves them blank.
  void same_as_first(Table& t, const SheetRow& row, const QuestionRows& q,
                     std::optional<ToolId> tool, const Item& item) {
    const auto differs = [&](const char* column) {
      t.problem(row, column,
                "differs from row " + std::to_string(q.first_row) +
                    ", the first row of this question (leave it blank or repeat it)",
                "ไม่ตรงกับแถวที่ " + std::to_string(q.first_row) +
                    " ซึ่งเป็นแถวแรกของข้อคำถามนี้ (เว้นว่างหรือกรอกให้ตรงกัน)");
    };
    if (tool && *tool != q.tool) differs("tool");
    if (!t.blank(row, "indicator")) {
      const auto ind = t.integer(row, "indicator", false);
      if (ind && *ind != item.indicator) differs("indicator");
    }
    if (!t.blank(row, "text_th") && t.text(row, "text_th") != item.text_th) differs("text_th");
    const auto provisional = t.boolean(row, "provisional");
    if (provisional && *provisional != item.provisional_code) differs("provisional");
  }

  void add_sub_item(Table& t, const SheetRow& row, Item& item, const QuestionRows& q,
                    const std::string& sub_code, const std::string& scale, bool reverse,
                    std::map<std::string, int>& sub_codes) {
    SubItem sub;
    sub.code = sub_code;
    if (t.duplicate(sub_codes, row, "sub_code", sub_code, "the sub-item code", "รหัสข้อย่อย")) {
      return;
    }
    if (auto s = t.required_text(row, "sub_text_th")) sub.text_th = *s;
    sub.scale = scale;
    sub.reverse = reverse;
    origin(std::string(q.tool == ToolId::IIT ? "iit" : "eit") + ".items[" +
               std::to_string(q.index) + "].sub_items[" + std::to_string(item.sub_items.size()) +
               "]",
           t.name(), row.number, &kSubItemColumns);
    item.sub_items.push_back(std::move(sub));
  }

  // ---- OIT ----

  void read_oit(Edition& e) {
    Table& t = table("oit");
    std::map<std::string, int> sub_ids, codes;
    std::vector<const SheetRow*> item_rows;
    for (const SheetRow* row : t.rows()) {
      const std::string kind = lower(t.code(*row, "kind"));
      if (kind.empty() || kind == "item") {
        item_rows.push_back(row);
        continue;
      }
      if (kind != "sub_indicator") {
        t.problem(*row, "kind",
                  "expected item or sub_indicator, found " + in_quotes(t.code(*row, "kind")),
                  "ต้องเป็น item หรือ sub_indicator แต่พบ " + in_quotes(t.code(*row, "kind")));
        continue;
      }
      OitSubIndicator s;
      if (auto id = t.required_code(*row, "code")) {
        s.id = *id;
        t.duplicate(sub_ids, *row, "code", *id, "the sub-indicator", "ตัวชี้วัดย่อย");
      }
      if (auto ind = t.integer(*row, "indicator", true)) {
        s.indicator = *ind;
        indicator_ref(t, *row, "indicator", *ind, ToolId::OIT, e);
      } else if (!t.has("indicator")) {
        t.problem(*row, "code", "a sub-indicator row needs the column \"indicator\"",
                  "แถวตัวชี้วัดย่อยต้องมีคอลัมน์ \"indicator\"");
      }
      if (auto n = t.required_text(*row, "name_th")) s.name_th = *n;
      for (const char* column : {"sub_indicator", "criteria_th", "keywords_th"}) {
        if (!t.blank(*row, column))
          t.problem(*row, column, "leave this cell blank on a sub_indicator row",
                    "แถวตัวชี้วัดย่อยต้องเว้นช่องนี้ว่าง");
      }
      if (t.boolean(*row, "provisional").value_or(false)) {
        t.problem(*row, "provisional", "leave this cell blank on a sub_indicator row",
                  "แถวตัวชี้วัดย่อยต้องเว้นช่องนี้ว่าง");
      }
      origin("oit.sub_indicators[" + std::to_string(e.oit.sub_indicators.size()) + "]", t.name(),
             row->number, &kSubIndicatorColumns);
      e.oit.sub_indicators.push_back(std::move(s));
    }
    for (const SheetRow* row : item_rows) {
      OitItem o;
      if (auto c = t.required_code(*row, "code")) {
        o.code = *c;
        t.duplicate(codes, *row, "code", *c, "the item code", "รหัสข้อ");
      }
      if (auto n = t.required_text(*row, "name_th")) o.name_th = *n;
      o.criteria_th = trim(t.text(*row, "criteria_th"));
      o.keywords_th = non_blank_lines(t.text(*row, "keywords_th"));
      o.provisional = t.boolean(*row, "provisional").value_or(false);
      o.sub_indicator = t.code(*row, "sub_indicator");
      const auto ind =
          t.blank(*row, "indicator") ? std::nullopt : t.integer(*row, "indicator", false);
      // Read once: GCC 12 at -O2 cannot see that *ind is only used when ind holds a value.
      const int ind_value = ind.value_or(0);
      if (!o.sub_indicator.empty()) {
        const OitSubIndicator* sub = nullptr;
        for (const auto& s : e.oit.sub_indicators) {
          if (s.id == o.sub_indicator) sub = &s;
        }
        if (sub == nullptr) {
          std::vector<std::string> known;
          for (const auto& s : e.oit.sub_indicators) known.push_back(s.id);
          t.problem(*row, "sub_indicator",
                    "unknown sub-indicator " + in_quotes(o.sub_indicator) +
                        "; the sheet's sub_indicator rows are " +
                        (known.empty() ? std::string("none") : join(known)),
                    "ไม่พบตัวชี้วัดย่อย " + in_quotes(o.sub_indicator) + " (แถว sub_indicator ที่มี: " +
                        (known.empty() ? std::string("-") : join(known)) + ")");
          o.indicator = ind.value_or(0);
        } else {
          o.indicator = sub->indicator;
          if (ind && ind_value != sub->indicator) {
            t.problem(*row, "indicator",
                      "indicator " + std::to_string(ind_value) + " differs from the indicator of " +
                          "sub-indicator " + in_quotes(sub->id) + " (" +
                          std::to_string(sub->indicator) + ")",
                      "ตัวชี้วัดที่ " + std::to_string(ind_value) + " ไม่ตรงกับตัวชี้วัดของตัวชี้วัดย่อย " +
                          in_quotes(sub->id) + " (" + std::to_string(sub->indicator) + ")");
          }
        }
      } else if (ind) {
        o.indicator = ind_value;
        indicator_ref(t, *row, "indicator", ind_value, ToolId::OIT, e);
      } else if (t.blank(*row, "indicator")) {
        t.problem(*row, t.has("indicator") ? "indicator" : "sub_indicator",
                  "an item needs its sub_indicator or its indicator",
                  "ข้อต้องระบุตัวชี้วัดย่อย (sub_indicator) หรือตัวชี้วัด (indicator)");
      }
      origin("oit.items[" + std::to_string(e.oit.items.size()) + "]", t.name(), row->number);
      e.oit.items.push_back(std::move(o));
    }
  }

  // ---- grading, sampling ----

  void read_grading(Edition& e) {
    Table& t = table("grading");
    std::map<std::string, int> codes;
    std::vector<int> rows;
    for (const SheetRow* row : t.rows()) {
      GradeRule r;
      if (auto c = t.required_code(*row, "code")) {
        r.code = *c;
        t.duplicate(codes, *row, "code", *c, "the level code", "รหัสระดับ");
      }
      if (auto s = t.required_text(*row, "label_th")) r.label_th = *s;
      r.condition_th = t.text(*row, "condition_th");
      const auto min_total = t.number(*row, "min_total", true);
      if (min_total) r.min_total = *min_total;
      r.min_every_tool = t.number(*row, "min_every_tool", false);
      if (r.min_every_tool && !(*r.min_every_tool >= 0 && *r.min_every_tool <= 100)) {
        t.problem(*row, "min_every_tool", "expected a score from 0 to 100",
                  "ต้องเป็นคะแนนตั้งแต่ 0 ถึง 100");
      }
      if (min_total && !e.grading.rules.empty())
        check_rule_order(t, *row, rows, e.grading.rules, r);
      origin("grading.rules[" + std::to_string(e.grading.rules.size()) + "]", t.name(),
             row->number);
      rows.push_back(row->number);
      e.grading.rules.push_back(std::move(r));
    }
    origin("grading.rules", t.name(), 0);
    if (!rows.empty()) origin("grading.rules.last", t.name(), rows.back(), &kMinTotalColumn);
  }

  // Rules go from the best level down, and each must be reachable: a rule that every score
  // meeting it also meets an earlier rule overlaps that rule and is never given.
  void check_rule_order(Table& t, const SheetRow& row, const std::vector<int>& rows,
                        const std::vector<GradeRule>& before, const GradeRule& r) {
    const GradeRule& prev = before.back();
    if (r.min_total > prev.min_total) {
      t.problem(row, "min_total",
                "the rules are out of order: min_total " + number_text(r.min_total) +
                    " is higher than " + number_text(prev.min_total) + " in row " +
                    std::to_string(rows.back()) + "; list the best level first",
                "เกณฑ์เรียงลำดับไม่ถูกต้อง: คะแนนรวมขั้นต่ำ " + number_text(r.min_total) + " สูงกว่า " +
                    number_text(prev.min_total) + " ในแถวที่ " + std::to_string(rows.back()) +
                    " (ต้องเรียงจากระดับสูงสุดลงมา)");
      return;
    }
    for (std::size_t j = 0; j < before.size(); ++j) {
      const GradeRule& b = before[j];
      if (b.min_total <= r.min_total &&
          b.min_every_tool.value_or(0) <= r.min_every_tool.value_or(0)) {
        t.problem(row, "min_total",
                  "overlaps the rule in row " + std::to_string(rows[j]) + " (" + b.code +
                      "): every score that meets this rule meets that one first, so level " +
                      in_quotes(r.code) + " is never given",
                  "ซ้อนทับกับเกณฑ์ในแถวที่ " + std::to_string(rows[j]) + " (" + b.code +
                      "): คะแนนที่ผ่านเกณฑ์นี้ผ่านเกณฑ์นั้นก่อนเสมอ ระดับ " + in_quotes(r.code) +
                      " จึงไม่มีวันได้รับ");
        return;
      }
    }
  }

  void read_sampling(Edition& e) {
    Table& t = table("sampling");
    if (!t.present()) return;
    Sampling s;
    std::map<std::string, int> seen;
    for (const SheetRow* row : t.rows()) {
      const auto tool = t.tool(*row, "tool", {ToolId::IIT, ToolId::EIT});
      if (!tool) continue;
      if (t.duplicate(seen, *row, "tool", std::string(tool_code(*tool)), "the tool", "เครื่องมือ")) {
        continue;
      }
      SampleRule& r = *tool == ToolId::IIT ? s.iit : s.eit;
      if (auto f = t.number(*row, "fraction", true)) {
        r.fraction = *f;
        if (!(*f >= 0 && *f <= 1)) {
          t.problem(*row, "fraction", "expected a fraction from 0 to 1", "ต้องเป็นสัดส่วนตั้งแต่ 0 ถึง 1");
        }
      }
      if (auto m = t.integer(*row, "min", true)) {
        r.min = *m;
        if (*m < 0) t.problem(*row, "min", "expected 0 or more", "ต้องไม่น้อยกว่า 0");
      }
      if (!t.blank(*row, "max")) {
        r.max = t.integer(*row, "max", false);
        if (r.max && *r.max < r.min) {
          t.problem(*row, "max", "expected at least min (" + std::to_string(r.min) + ")",
                    "ต้องไม่น้อยกว่า min (" + std::to_string(r.min) + ")");
        }
      }
    }
    for (const char* tool : {"IIT", "EIT"}) {
      if (!seen.contains(tool) && t.has("tool")) {
        t.column_problem("tool", std::string("missing the row of ") + tool,
                         std::string("ไม่พบแถวของ ") + tool);
      }
    }
    e.sampling = std::move(s);
  }

  // ---- core check_edition, mapped back ----

  void add_core_findings(const Edition& e) {
    for (const EditionProblem& finding : check_edition(e)) {
      SheetProblem p = locate(finding.field);
      if (p.sheet.empty() || p.column_name == kAbsentColumn) continue;
      if (p.row > 0 && problems_.row_has_problem(p.sheet, p.row)) continue;
      if (p.row == 0 && (problems_.tainted(p.sheet) || !tables_.at(p.sheet).present())) continue;
      p.message_en = finding.message_en;
      p.message_th = finding.message_th;
      if (problems_.has(p.sheet, p.row, p.column, p.message_en)) continue;
      problems_.add(std::move(p));
    }
  }

  SheetProblem locate(const std::string& field) {
    SheetProblem p;
    // The longest recorded path that is `field` or a prefix of it ("iit.items[3]" for
    // "iit.items[3].indicator").
    const Origin* o = nullptr;
    std::string rest;
    for (std::string path = field; !path.empty();) {
      if (const auto it = origins_.find(path); it != origins_.end()) {
        o = &it->second;
        rest = field.size() > path.size() ? field.substr(path.size() + 1) : "";
        break;
      }
      const auto cut = path.find_last_of(".[");
      path = cut == std::string::npos ? "" : path.substr(0, cut);
    }
    if (o == nullptr) {
      const std::string head = field.substr(0, field.find_first_of(".["));
      p.sheet = head == "iit" || head == "eit" ? "items" : head;
      if (!tables_.contains(p.sheet)) p.sheet = "edition";
      return p;
    }
    p.sheet = o->sheet;
    p.row = o->row;
    std::string column = rest;
    if (o->aliases != nullptr) {
      if (const auto it = o->aliases->find(rest); it != o->aliases->end()) column = it->second;
    }
    if (field == "tools.list") column = "id";
    if (field == "indicators.list") column = "tool";
    const Table& t = tables_.at(p.sheet);
    if (const auto it = t.columns().find(column); it != t.columns().end()) {
      p.column = column_letter(it->second);
      p.column_name = column;
    } else if (!column.empty()) {
      p.column_name = kAbsentColumn;  // its value was never read: the missing column is reported
    }
    return p;
  }

  const std::vector<Sheet>& sheets_;
  std::string file_;
  Problems problems_;
  std::map<std::string, Table> tables_;
  std::map<std::string, Origin> origins_;
};

}  // namespace

Edition edition_from_sheets(const std::vector<Sheet>& sheets, const std::string& file,
                            std::vector<SheetProblem> problems) {
  return EditionSheetReader(sheets, file, std::move(problems)).read();
}

Edition read_edition_xlsx(std::string_view bytes, const std::string& name) {
  return edition_from_sheets(read_xlsx_sheets(bytes, name), name);
}

std::string write_edition_xlsx(const Edition& e) {
  return write_xlsx_sheets(edition_sheets(e));
}

Edition read_edition_csv_dir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw FileError(dir, "", "not a folder of CSV files");
  std::vector<Sheet> sheets;
  std::vector<SheetProblem> problems;
  for (const auto& spec : layout()) {
    const fs::path path = fs::path(dir) / (std::string(spec.name) + ".csv");
    if (!fs::exists(path, ec)) continue;  // a missing required sheet is reported by the reader
    sheets.push_back(parse_csv_sheet(read_file(path.string()), spec.name, problems));
  }
  return edition_from_sheets(sheets, dir, std::move(problems));
}

void write_edition_csv_dir(const Edition& e, const std::string& dir) {
  const std::vector<Sheet> sheets = edition_sheets(e);
  std::error_code ec;
  const fs::path target(dir);
  if (fs::exists(target, ec) && !fs::is_directory(target, ec)) {
    throw FileError(dir, "", "exists and is not a folder");
  }
  if (fs::exists(target, ec)) {
    for (const Sheet& s : sheets) {
      write_file_atomically((target / (s.name + ".csv")).string(), csv_text(s));
    }
    if (!e.sampling) fs::remove(target / "sampling.csv", ec);
    return;
  }
  // A new folder appears complete or not at all.
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::path temp;
  for (int i = 0;; ++i) {
    temp = parent / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                     std::to_string(i));
    if (fs::create_directory(temp, ec)) break;
    if (ec || i > 100) throw FileError(dir, "", "cannot create the folder: " + ec.message());
  }
  try {
    for (const Sheet& s : sheets) {
      write_file_atomically((temp / (s.name + ".csv")).string(), csv_text(s));
    }
    fs::rename(temp, target);
  } catch (const fs::filesystem_error& err) {
    fs::remove_all(temp, ec);
    throw FileError(dir, "", std::string("cannot write the folder: ") + err.code().message());
  } catch (...) {
    fs::remove_all(temp, ec);
    throw;
  }
}

Edition read_edition_upload(std::string_view bytes, const std::string& filename) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);  // a byte order mark
  const auto first = bytes.find_first_not_of(" \t\r\n");
  const bool zip = bytes.starts_with("PK\x03\x04");
  const bool json = first != std::string_view::npos && (bytes[first] == '{' || bytes[first] == '[');
  std::string ext = lower(fs::path(filename).extension().string());
  if (zip || (!json && ext == ".xlsx")) return read_edition_xlsx(bytes, filename);
  if (json || ext == ".json") return parse_edition(bytes, filename);
  throw FileError(filename, "", "expected an .xlsx workbook or an ita-edition/1 .json file");
}

Edition load_edition_any(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return read_edition_csv_dir(path);
  return read_edition_upload(read_file(path), path);
}

}  // namespace ita::io
