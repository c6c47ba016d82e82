// Editions as spreadsheets (io/edition_sheet) and as JSON written back (io/edition_json):
// export → import gives the same edition, and every bad input names its sheet, row and column.
#include "io/edition_sheet.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "io/edition_json.hpp"
#include "io/edition_registry.hpp"
#include "io/json_error.hpp"

namespace ita::io {
namespace {

namespace fs = std::filesystem;

std::vector<const Edition*> builtins() {
  return EditionSet::builtin().all();
}

// ---- JSON written back ----

TEST(EditionJsonWriter, EveryBuiltinEditionReadsBackTheSame) {
  ASSERT_FALSE(builtins().empty());
  for (const Edition* e : builtins()) {
    const std::string json = edition_to_json(*e);
    const Edition again = parse_edition(json, "written.json");
    EXPECT_EQ(edition_to_json(again), json) << e->id;
    EXPECT_EQ(again.iit.items.size(), e->iit.items.size());
    EXPECT_EQ(again.oit.items.size(), e->oit.items.size());
    EXPECT_TRUE(check_edition(again).empty()) << e->id;
  }
}

TEST(EditionJsonWriter, KeysInOrderThirdsAsFractionsAndThePointsExact) {
  const Edition& e = EditionSet::builtin().get("2564");
  const std::string json = edition_to_json(e);
  EXPECT_TRUE(json.starts_with("{\n  \"format\": \"ita-edition/1\",\n  \"id\": \"2564\",\n"))
      << json.substr(0, 80);
  EXPECT_NE(json.find("\"points\": \"100/3\""), std::string::npos);
  EXPECT_NE(json.find("\"points\": \"200/3\""), std::string::npos);
  EXPECT_NE(json.find("\"weight\": 0.3"), std::string::npos);
  EXPECT_EQ(json.find("33.33"), std::string::npos);
  EXPECT_EQ(json.back(), '\n');
  // Same bits after the trip: "100/3" is divided exactly as the reader divides it.
  const Edition again = parse_edition(json, "written.json");
  const auto& a = again.scales.at("likert4").options;
  const auto& b = e.scales.at("likert4").options;
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].points, b[i].points);
  // Written twice: the same bytes.
  EXPECT_EQ(edition_to_json(again), json);
  // Sub-items keep their own polarity (I11.2 is the negative one of a positive question).
  const Item* i11 = again.find_item("I11");
  ASSERT_NE(i11, nullptr);
  ASSERT_EQ(i11->sub_items.size(), 2u);
  EXPECT_FALSE(i11->sub_items[0].reverse);
  EXPECT_TRUE(i11->sub_items[1].reverse);
}

TEST(EditionJsonWriter, NumbersAndFractions) {
  EXPECT_EQ(number_text(0.3), "0.3");
  EXPECT_EQ(number_text(100), "100");
  EXPECT_EQ(fraction_text(100.0 / 3), "100/3");
  EXPECT_EQ(fraction_text(200.0 / 3), "200/3");
  EXPECT_EQ(fraction_text(12.5), std::nullopt);
  EXPECT_EQ(fraction_text(100), std::nullopt);
  EXPECT_EQ(fraction_text(100.0 / 7), "100/7");
}

// ---- round trips through the spreadsheet formats ----

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("ita-sheet-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(EditionSheet, XlsxExportImportGivesTheSameEditionForEveryBuiltin) {
  for (const Edition* e : builtins()) {
    const std::string bytes = write_edition_xlsx(*e);
    ASSERT_TRUE(bytes.starts_with("PK")) << e->id;
    const Edition back = read_edition_xlsx(bytes, e->id + ".xlsx");
    EXPECT_EQ(edition_to_json(back), edition_to_json(*e)) << e->id;
  }
}

TEST(EditionSheet, CsvDirExportImportGivesTheSameEditionForEveryBuiltin) {
  TempDir dir;
  for (const Edition* e : builtins()) {
    const std::string d = dir.file(e->id);
    write_edition_csv_dir(*e, d);
    EXPECT_TRUE(fs::exists(d + "/items.csv"));
    const Edition back = read_edition_csv_dir(d);
    EXPECT_EQ(edition_to_json(back), edition_to_json(*e)) << e->id;
  }
  // Written again over an existing folder: the files are replaced, nothing else is left.
  const Edition& e = EditionSet::builtin().get("2564");
  write_edition_csv_dir(e, dir.file("2566"));
  EXPECT_EQ(edition_to_json(read_edition_csv_dir(dir.file("2566"))), edition_to_json(e));
  std::set<std::string> names;
  for (const auto& f : fs::directory_iterator(dir.file("2566"))) {
    names.insert(f.path().filename().string());
  }
  EXPECT_EQ(names.size(), e.sampling ? 8u : 7u);
}

TEST(EditionSheet, CsvIsRfc4180) {
  const Edition& e = EditionSet::builtin().get("2564");
  TempDir dir;
  write_edition_csv_dir(e, dir.file("e"));
  const std::string items = read_file(dir.file("e/items.csv"));
  EXPECT_TRUE(items.starts_with(
      "tool,code,indicator,text_th,sub_code,sub_text_th,scale,reverse,provisional\r\n"));
  EXPECT_EQ(items.find("\n\n"), std::string::npos);
  const std::string edition = read_file(dir.file("e/edition.csv"));
  EXPECT_NE(edition.find("fiscal_year,2564\r\n"), std::string::npos);
  // A field with a comma or a quote is quoted, quotes doubled.
  std::vector<SheetProblem> problems;
  Sheet s;
  s.name = "x";
  s.rows.push_back(SheetRow{1, {SheetCell::of_text("a,b"), SheetCell::of_text("say \"hi\"")}});
  s.rows.push_back(SheetRow{2, {SheetCell::of_text("line\nbreak"), SheetCell::of_number(0.3)}});
  const std::string csv = csv_text(s);
  EXPECT_EQ(csv, "\"a,b\",\"say \"\"hi\"\"\"\r\n\"line\nbreak\",0.3\r\n");
  const Sheet back = parse_csv_sheet("\xEF\xBB\xBF" + csv, "x", problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(back.rows.size(), 2u);
  EXPECT_EQ(back.rows[0].cells[1].text, "say \"hi\"");
  EXPECT_EQ(back.rows[1].cells[0].text, "line\nbreak");
  EXPECT_EQ(back.rows[1].number, 2);
  // Text in another encoding (Windows-874 Thai): reported once, with its row and column.
  parse_csv_sheet("a,\xa1\xd2\xc3\r\nb,\xa1\r\n", "x", problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].describe(),
            "sheet \"x\", row 1, column B: the text is not valid UTF-8 "
            "(save the file as \"CSV UTF-8\")");
}

TEST(EditionSheet, UploadTellsXlsxFromJson) {
  const Edition& e = EditionSet::builtin().get("2566");
  const std::string json = edition_to_json(e);
  EXPECT_EQ(edition_to_json(read_edition_upload(json, "my.json")), json);
  EXPECT_EQ(edition_to_json(read_edition_upload(json, "no-extension")), json);
  EXPECT_EQ(edition_to_json(read_edition_upload("\xEF\xBB\xBF" + json, "bom")), json);
  EXPECT_EQ(edition_to_json(read_edition_upload(write_edition_xlsx(e), "upload.bin")), json);
  EXPECT_THROW(read_edition_upload("hello", "notes.txt"), FileError);
  try {
    read_edition_upload("not a zip", "edition.xlsx");
    FAIL();
  } catch (const FileError& err) {
    EXPECT_NE(std::string(err.what()).find("edition.xlsx: not an .xlsx workbook"),
              std::string::npos)
        << err.what();
  }
}

// ---- a workbook as another program writes it ----

std::uint32_t crc32(std::string_view data) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void put16(std::string& s, unsigned v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, v & 0xFFFF);
  put16(s, v >> 16);
}

// A zip archive of stored (uncompressed) members.
std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out, central;
  for (const auto& [name, data] : members) {
    const auto offset = static_cast<std::uint32_t>(out.size());
    const std::uint32_t crc = crc32(data);
    const auto size = static_cast<std::uint32_t>(data.size());
    put32(out, 0x04034b50);
    put16(out, 20);
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);
    put16(out, 0x21);
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, static_cast<unsigned>(name.size()));
    put16(out, 0);
    out += name;
    out += data;
    put32(central, 0x02014b50);
    put16(central, 20);
    put16(central, 20);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0x21);
    put32(central, crc);
    put32(central, size);
    put32(central, size);
    put16(central, static_cast<unsigned>(name.size()));
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, 0);
    put32(central, offset);
    central += name;
  }
  const auto cd_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<unsigned>(members.size()));
  put16(out, static_cast<unsigned>(members.size()));
  put32(out, static_cast<std::uint32_t>(central.size()));
  put32(out, cd_offset);
  put16(out, 0);
  return out;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string col_name(std::size_t index) {
  return column_letter(static_cast<int>(index) + 1);
}

constexpr const char* kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr const char* kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// The sheets as a workbook in the styles of other writers: an "x:" namespace prefix (the
// OpenXML SDK), shared strings with rich-text and phonetic runs, inline strings, booleans,
// rows and cells without references, empty <c/> cells, absolute and relative part targets.
std::string foreign_xlsx(const std::vector<Sheet>& sheets) {
  std::vector<std::pair<std::string, std::string>> parts;
  std::vector<std::string> shared;
  std::string wb = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><x:workbook xmlns:x=\"") +
                   kMain + "\" xmlns:r=\"" + kRel + "\"><x:sheets>";
  std::string rels =
      "<?xml version=\"1.0\"?><Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  int n = 0;
  for (const Sheet& sheet : sheets) {
    ++n;
    const std::string id = "rId" + std::to_string(n + 10);
    wb += "<x:sheet name=\"" + xml_escape(sheet.name) + "\" sheetId=\"" + std::to_string(n) +
          "\" r:id=\"" + id + "\"/>";
    const std::string target = n % 2 == 0 ? "worksheets/s" + std::to_string(n) + ".xml"
                                          : "/xl/worksheets/s" + std::to_string(n) + ".xml";
    rels += "<Relationship Id=\"" + id +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            "worksheet\" Target=\"" +
            target + "\"/>";
    std::string xml =
        std::string("<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"") + kMain + "\"><x:sheetData>";
    for (const SheetRow& row : sheet.rows) {
      const bool with_refs = row.number % 3 != 0;
      xml += with_refs ? "<x:row r=\"" + std::to_string(row.number) + "\">" : "<x:row>";
      if (!with_refs) {
        // A row without a reference follows the previous one: keep the numbering dense.
        EXPECT_TRUE(&row != &sheet.rows.front() && (&row - 1)->number + 1 == row.number);
      }
      for (std::size_t c = 0; c < row.cells.size(); ++c) {
        const SheetCell& cell = row.cells[c];
        const std::string ref =
            with_refs ? " r=\"" + col_name(c) + std::to_string(row.number) + "\"" : "";
        if (cell.empty()) {
          if (!with_refs) xml += "<x:c/>";
          continue;
        }
        switch (cell.kind) {
          case SheetCell::Kind::Number:
            xml += "<x:c" + ref + " s=\"1\"><x:v>" + number_text(cell.number) + "</x:v></x:c>";
            break;
          case SheetCell::Kind::Boolean:
            xml += "<x:c" + ref + " t=\"b\"><x:v>" + (cell.boolean ? "1" : "0") + "</x:v></x:c>";
            break;
          default:
            if ((row.number + c) % 2 == 0) {
              xml += "<x:c" + ref + " t=\"inlineStr\"><x:is><x:t xml:space=\"preserve\">" +
                     xml_escape(cell.text) + "</x:t></x:is></x:c>";
            } else {
              xml +=
                  "<x:c" + ref + " t=\"s\"><x:v>" + std::to_string(shared.size()) + "</x:v></x:c>";
              shared.push_back(cell.text);
            }
        }
      }
      xml += "</x:row>";
    }
    xml += "</x:sheetData></x:worksheet>";
    parts.emplace_back(target[0] == '/' ? target.substr(1) : "xl/" + target, xml);
  }
  wb += "</x:sheets></x:workbook>";
  rels +=
      "<Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
      "sharedStrings\" Target=\"strings.xml\"/></Relationships>";
  std::string sst = std::string("<?xml version=\"1.0\"?><sst xmlns=\"") + kMain + "\">";
  for (const std::string& s : shared) {
    const auto space = s.find(' ');
    if (space == std::string::npos) {
      sst += "<si><t>" + xml_escape(s) + "</t><rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></si>";
    } else {
      sst += "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">" +
             xml_escape(s.substr(0, space + 1)) + "</t></r><r><t>" +
             xml_escape(s.substr(space + 1)) + "</t></r></si>";
    }
  }
  sst += "</sst>";
  parts.emplace_back("xl/strings.xml", sst);
  parts.emplace_back("xl/workbook.xml", wb);
  parts.emplace_back("xl/_rels/workbook.xml.rels", rels);
  parts.emplace_back("_rels/.rels",
                     "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats."
                     "org/package/2006/relationships\"><Relationship Id=\"rId1\" "
                     "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                     "relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
                     "</Relationships>");
  return stored_zip(parts);
}

TEST(EditionSheet, ReadsWorkbooksWrittenByOtherPrograms) {
  for (const Edition* e : builtins()) {
    const std::string bytes = foreign_xlsx(edition_sheets(*e));
    const Edition back = read_edition_xlsx(bytes, "foreign.xlsx");
    EXPECT_EQ(edition_to_json(back), edition_to_json(*e)) << e->id;
  }
}

TEST(EditionSheet, CellReferencesEscapesAndFormulaResults) {
  const std::string sheet =
      std::string("<worksheet xmlns=\"") + kMain +
      "\"><sheetData>"
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a_x000D_b</t></is></c>"
      "<c r=\"AA1\"><v>2.5</v></c></row>"
      "<row r=\"12\"><c r=\"B12\"><f>100/3</f><v>33.333333333333336</v></c>"
      "<c r=\"C12\" t=\"str\"><f>A1</f><v>x</v></c>"
      "<c r=\"D12\" t=\"b\"><v>1</v></c><c r=\"E12\" t=\"e\"><v>#DIV/0!</v></c>"
      "<c r=\"F12\"/></row></sheetData></worksheet>";
  const std::string wb = std::string("<workbook xmlns=\"") + kMain + "\" xmlns:r=\"" + kRel +
                         "\"><sheets><sheet name=\"one\" sheetId=\"1\" r:id=\"rId1\"/>"
                         "</sheets></workbook>";
  const std::string rels =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
  const auto sheets = read_xlsx_sheets(stored_zip({{"xl/workbook.xml", wb},
                                                   {"xl/_rels/workbook.xml.rels", rels},
                                                   {"xl/worksheets/sheet1.xml", sheet}}),
                                       "refs.xlsx");
  ASSERT_EQ(sheets.size(), 1u);
  ASSERT_EQ(sheets[0].rows.size(), 2u);
  const SheetRow& r1 = sheets[0].rows[0];
  EXPECT_EQ(r1.number, 1);
  EXPECT_EQ(r1.cell(0).text, "a\rb");
  ASSERT_EQ(r1.cells.size(), 27u);
  EXPECT_EQ(r1.cell(26).kind, SheetCell::Kind::Number);
  EXPECT_EQ(r1.cell(26).number, 2.5);
  const SheetRow& r12 = sheets[0].rows[1];
  EXPECT_EQ(r12.number, 12);
  EXPECT_TRUE(r12.cell(0).empty());
  EXPECT_EQ(r12.cell(1).number, 100.0 / 3);
  EXPECT_EQ(r12.cell(2).text, "x");
  EXPECT_EQ(r12.cell(3).kind, SheetCell::Kind::Boolean);
  EXPECT_TRUE(r12.cell(3).boolean);
  EXPECT_EQ(r12.cell(4).text, "#DIV/0!");
  EXPECT_TRUE(r12.cell(5).empty());

  // A broken part is a FileError naming it.
  try {
    read_xlsx_sheets(stored_zip({{"xl/workbook.xml", wb},
                                 {"xl/_rels/workbook.xml.rels", rels},
                                 {"xl/worksheets/sheet1.xml", "<worksheet><sheetData>"}}),
                     "broken.xlsx");
    FAIL();
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("broken.xlsx: xl/worksheets/sheet1.xml: not well-formed"),
              std::string::npos)
        << e.what();
  }
}

// ---- bad input ----

Sheet& sheet_named(std::vector<Sheet>& sheets, const std::string& name) {
  for (Sheet& s : sheets) {
    if (s.name == name) return s;
  }
  throw std::runtime_error("no sheet " + name);
}

std::size_t column_of(const Sheet& s, const std::string& header) {
  for (std::size_t c = 0; c < s.rows[0].cells.size(); ++c) {
    if (s.rows[0].cells[c].text == header) return c;
  }
  throw std::runtime_error("no column " + header);
}

SheetRow& row_numbered(Sheet& s, int number) {
  for (SheetRow& r : s.rows) {
    if (r.number == number) return r;
  }
  throw std::runtime_error("no row " + std::to_string(number));
}

void set_cell(std::vector<Sheet>& sheets, const std::string& sheet, int row,
              const std::string& column, SheetCell value) {
  Sheet& s = sheet_named(sheets, sheet);
  SheetRow& r = row_numbered(s, row);
  const std::size_t c = column_of(s, column);
  if (r.cells.size() <= c) r.cells.resize(c + 1);
  r.cells[c] = std::move(value);
}

// The first data row whose `column` reads `value`.
int row_where(std::vector<Sheet>& sheets, const std::string& sheet, const std::string& column,
              const std::string& value) {
  Sheet& s = sheet_named(sheets, sheet);
  const std::size_t c = column_of(s, column);
  for (const SheetRow& r : s.rows) {
    if (r.number > 1 && r.cell(c).as_text() == value) return r.number;
  }
  throw std::runtime_error("no row with " + column + " = " + value);
}

std::vector<Sheet> sheets_of(const char* id) {
  return edition_sheets(EditionSet::builtin().get(id));
}

// The problems of reading `sheets` as a workbook (none when it reads).
std::vector<SheetProblem> problems_of(const std::vector<Sheet>& sheets) {
  try {
    read_edition_xlsx(write_xlsx_sheets(sheets), "bad.xlsx");
  } catch (const SheetError& e) {
    EXPECT_FALSE(e.problems().empty());
    EXPECT_NE(std::string(e.what()).find("bad.xlsx: sheet \""), std::string::npos) << e.what();
    return e.problems();
  }
  return {};
}

std::string all(const std::vector<SheetProblem>& problems) {
  std::string s;
  for (const auto& p : problems) s += p.describe() + " | " + p.message_th + "\n";
  return s;
}

// The one problem at sheet/row/column whose English message contains `text`.
::testing::AssertionResult has_problem(const std::vector<SheetProblem>& problems,
                                       const std::string& sheet, int row, const std::string& column,
                                       const std::string& text) {
  for (const auto& p : problems) {
    if (p.sheet == sheet && p.row == row && p.column == column &&
        p.message_en.find(text) != std::string::npos) {
      if (p.message_th.empty()) return ::testing::AssertionFailure() << "no Thai message";
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "no problem at " << sheet << " row " << row << " column "
                                       << column << " with \"" << text << "\"; found:\n"
                                       << all(problems);
}

TEST(EditionSheetErrors, TheBuiltinSheetsHaveNoProblem) {
  EXPECT_TRUE(problems_of(sheets_of("2566")).empty());
}

TEST(EditionSheetErrors, MissingSheetAndMissingColumn) {
  auto sheets = sheets_of("2566");
  sheets.erase(std::find_if(sheets.begin(), sheets.end(),
                            [](const Sheet& s) { return s.name == "grading"; }));
  Sheet& items = sheet_named(sheets, "items");
  const std::size_t c = column_of(items, "indicator");
  for (SheetRow& r : items.rows) r.cells.erase(r.cells.begin() + static_cast<long>(c));
  const auto p = problems_of(sheets);
  EXPECT_TRUE(has_problem(p, "grading", 0, "", "missing the sheet \"grading\""));
  EXPECT_TRUE(has_problem(p, "items", 1, "", "missing the column \"indicator\""));
  EXPECT_EQ(p.size(), 2u) << all(p);
  EXPECT_EQ(p[0].describe(),
            "sheet \"items\", row 1: missing the column \"indicator\" (row 1 "
            "holds the headers)");
  EXPECT_EQ(p[1].where_th(), "แผ่นงาน \"grading\"");
}

TEST(EditionSheetErrors, DuplicatedCodes) {
  auto sheets = sheets_of("2566");
  const int first = row_where(sheets, "items", "tool", "IIT");
  const std::string code = row_numbered(sheet_named(sheets, "items"), first).cell(1).text;
  set_cell(sheets, "items", first + 2, "code", SheetCell::of_text(code));
  const int o1 = row_where(sheets, "oit", "code", "O1");
  set_cell(sheets, "oit", o1 + 1, "code", SheetCell::of_text("O1"));
  const auto p = problems_of(sheets);
  EXPECT_TRUE(has_problem(p, "items", first + 2, "B",
                          "\"" + code + "\" is already used in row " + std::to_string(first)));
  EXPECT_TRUE(
      has_problem(p, "oit", o1 + 1, "B", "\"O1\" is already used in row " + std::to_string(o1)));
  EXPECT_EQ(p.size(), 2u) << all(p);
}

TEST(EditionSheetErrors, UnknownIndicatorSubIndicatorAndScale) {
  auto sheets = sheets_of("2566");
  const int iit = row_where(sheets, "items", "tool", "IIT");
  set_cell(sheets, "items", iit, "indicator", SheetCell::of_number(11));
  set_cell(sheets, "items", iit + 1, "indicator", SheetCell::of_number(6));  // an EIT indicator
  set_cell(sheets, "items", iit + 2, "scale", SheetCell::of_text("likert5"));
  const int item = row_where(sheets, "oit", "kind", "item");
  set_cell(sheets, "oit", item, "sub_indicator", SheetCell::of_text("9.9"));
  const auto p = problems_of(sheets);
  EXPECT_TRUE(has_problem(p, "items", iit, "C", "unknown indicator 11"));
  EXPECT_TRUE(has_problem(p, "items", iit + 1, "C", "indicator 6 belongs to EIT, not IIT"));
  EXPECT_TRUE(has_problem(p, "items", iit + 2, "G", "unknown scale \"likert5\""));
  EXPECT_TRUE(has_problem(p, "oit", item, "C", "unknown sub-indicator \"9.9\""));
  EXPECT_EQ(p.size(), 4u) << all(p);
  for (const auto& x : p) EXPECT_FALSE(x.column_name.empty());
}

TEST(EditionSheetErrors, OitCriteriaIsAnOptionalColumnOfItemsOnly) {
  auto sheets = sheets_of("2566");
  const int o2 = row_where(sheets, "oit", "code", "O2");
  set_cell(sheets, "oit", o2, "criteria_th", SheetCell::of_text("  ชื่อ ตำแหน่ง รูปถ่าย  "));
  const Edition e = read_edition_xlsx(write_xlsx_sheets(sheets), "criteria.xlsx");
  EXPECT_EQ(e.find_oit_item("O2")->criteria_th, "ชื่อ ตำแหน่ง รูปถ่าย");

  // A workbook without the column reads, with no criteria.
  Sheet& oit = sheet_named(sheets, "oit");
  const std::size_t c = column_of(oit, "criteria_th");
  for (SheetRow& r : oit.rows) {
    if (r.cells.size() > c) r.cells.erase(r.cells.begin() + static_cast<long>(c));
  }
  const Edition without = read_edition_xlsx(write_xlsx_sheets(sheets), "old.xlsx");
  for (const auto& item : without.oit.items) EXPECT_EQ(item.criteria_th, "") << item.code;

  auto again = sheets_of("2566");
  const int sub = row_where(again, "oit", "kind", "sub_indicator");
  set_cell(again, "oit", sub, "criteria_th", SheetCell::of_text("เกณฑ์"));
  const auto p = problems_of(again);
  EXPECT_TRUE(has_problem(p, "oit", sub, "G", "leave this cell blank on a sub_indicator row"));
  EXPECT_EQ(p.size(), 1u) << all(p);
}

TEST(EditionSheetErrors, OitKeywordsAreOneWordPerLineOnItemsOnly) {
  auto sheets = sheets_of("2568");
  const int o2 = row_where(sheets, "oit", "code", "O2");
  Sheet& oit = sheet_named(sheets, "oit");
  EXPECT_EQ(row_numbered(oit, o2).cell(column_of(oit, "keywords_th")).as_text(), "ผู้บริหาร");
  set_cell(sheets, "oit", o2, "keywords_th", SheetCell::of_text(" ผู้บริหาร \n\nนายก\n"));
  const Edition e = read_edition_xlsx(write_xlsx_sheets(sheets), "keywords.xlsx");
  EXPECT_EQ(e.find_oit_item("O2")->keywords_th, (std::vector<std::string>{"ผู้บริหาร", "นายก"}));

  auto again = sheets_of("2566");
  const int sub = row_where(again, "oit", "kind", "sub_indicator");
  set_cell(again, "oit", sub, "keywords_th", SheetCell::of_text("คำ"));
  const auto p = problems_of(again);
  EXPECT_TRUE(has_problem(p, "oit", sub, "H", "leave this cell blank on a sub_indicator row"));
  EXPECT_EQ(p.size(), 1u) << all(p);
}

TEST(EditionSheetErrors, WeightsNotSummingToOneComeFromTheCoreCheck) {
  auto sheets = sheets_of("2566");
  set_cell(sheets, "tools", row_where(sheets, "tools", "id", "IIT"), "weight",
           SheetCell::of_number(0.5));
  const auto p = problems_of(sheets);
  ASSERT_EQ(p.size(), 1u) << all(p);
  EXPECT_TRUE(has_problem(p, "tools", 0, "D", "weights must sum to 1, they sum to 1.2"));
  EXPECT_EQ(p[0].column_name, "weight");
  EXPECT_NE(p[0].message_th.find("น้ำหนักของเครื่องมือต้องรวมกันได้ 1"), std::string::npos)
      << p[0].message_th;
}

TEST(EditionSheetErrors, ScaleOptionsWithoutPointsOrOutOfRange) {
  auto sheets = sheets_of("2566");
  const int first = row_where(sheets, "scales", "code", "1");
  set_cell(sheets, "scales", first, "points", SheetCell{});
  set_cell(sheets, "scales", first + 1, "points", SheetCell::of_number(120));
  set_cell(sheets, "scales", first + 2, "points", SheetCell::of_text("-5"));
  set_cell(sheets, "scales", first + 3, "points", SheetCell::of_text("lots"));
  const auto p = problems_of(sheets);
  EXPECT_TRUE(has_problem(p, "scales", first, "E", "the option has no points"));
  EXPECT_TRUE(has_problem(p, "scales", first + 1, "E", "expected points in 0..100"));
  EXPECT_TRUE(has_problem(p, "scales", first + 2, "E", "expected points in 0..100"));
  EXPECT_TRUE(has_problem(p, "scales", first + 3, "E", "expected a number or a fraction"));
  EXPECT_EQ(p.size(), 4u) << all(p);
  for (const auto& x : p) {
    if (x.row == first + 1) {
      EXPECT_EQ(x.message_th, "คะแนนต้องอยู่ระหว่าง 0 ถึง 100");
    }
  }
}

TEST(EditionSheetErrors, GradeRulesOutOfOrderOverlappingOrWithoutAFloor) {
  auto sheets = sheets_of("2566");  // excellent 95/95, good 85/85, pass 85, improve 70, urgent 0
  const int good = row_where(sheets, "grading", "code", "good");
  const int improve = row_where(sheets, "grading", "code", "improve");
  const int urgent = row_where(sheets, "grading", "code", "urgent");
  set_cell(sheets, "grading", good, "min_every_tool", SheetCell{});  // now covers "pass"
  set_cell(sheets, "grading", improve, "min_total", SheetCell::of_number(90));
  set_cell(sheets, "grading", urgent, "min_total", SheetCell::of_number(10));
  const auto p = problems_of(sheets);
  EXPECT_TRUE(has_problem(p, "grading", good + 1, "D",
                          "overlaps the rule in row " + std::to_string(good) + " (good)"));
  EXPECT_TRUE(has_problem(p, "grading", improve, "D", "the rules are out of order"));
  EXPECT_TRUE(has_problem(p, "grading", urgent, "D", "the last rule must have min_total 0"));
  EXPECT_EQ(p.size(), 3u) << all(p);
}

TEST(EditionSheetErrors, EditionKeysAndCellTypes) {
  auto sheets = sheets_of("2564");
  const int status = row_where(sheets, "edition", "key", "tools.provenance.status");
  set_cell(sheets, "edition", status, "value", SheetCell::of_text("verified"));
  const int system = row_where(sheets, "edition", "key", "grading.system");
  set_cell(sheets, "edition", system, "key", SheetCell::of_text("grading.sistem"));
  const int reverse = row_where(sheets, "items", "code", "I4");
  set_cell(sheets, "items", reverse, "reverse", SheetCell::of_text("maybe"));
  const auto p = problems_of(sheets);
  EXPECT_TRUE(
      has_problem(p, "edition", status, "B", "expected official, reconstructed or partial"));
  EXPECT_TRUE(has_problem(p, "edition", system, "A", "unknown key \"grading.sistem\""));
  EXPECT_TRUE(has_problem(p, "edition", 0, "A", "missing the key \"grading.system\""));
  EXPECT_TRUE(has_problem(p, "items", reverse, "H", "expected TRUE or FALSE, found \"maybe\""));
  EXPECT_EQ(p.size(), 4u) << all(p);
}

TEST(EditionSheetErrors, CsvFolderProblemsNameTheRowAndNothingIsReturned) {
  TempDir dir;
  const Edition& e = EditionSet::builtin().get("2564");
  write_edition_csv_dir(e, dir.file("e"));
  std::string items = read_file(dir.file("e/items.csv"));
  const auto at = items.find("\r\nIIT,I2,");
  ASSERT_NE(at, std::string::npos);
  items.replace(at, 9, "\r\nIIT,I2,\"");  // a quote that is never closed, on row 4
  std::ofstream(dir.file("e/items.csv"), std::ios::binary) << items;
  fs::remove(dir.file("e/tools.csv"));
  try {
    read_edition_csv_dir(dir.file("e"));
    FAIL();
  } catch (const SheetError& err) {
    const auto& p = err.problems();
    EXPECT_TRUE(has_problem(p, "tools", 0, "", "missing the sheet \"tools\""));
    EXPECT_TRUE(has_problem(p, "items", 4, "C", "a quoted field is not closed"));
  }
  EXPECT_THROW(read_edition_csv_dir(dir.file("no-such-folder")), FileError);
}

}  // namespace
}  // namespace ita::io
