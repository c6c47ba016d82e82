#pragma once
// The measures document as a format-neutral model: paragraphs, tables and a chart, in the
// order and wording of a published มาตรการส่งเสริมคุณธรรมและความโปร่งใส. The PDF, HTML and DOCX
// renderers only lay this model out.
#include <string>
#include <variant>
#include <vector>

#include "core/analysis.hpp"
#include "core/edition.hpp"
#include "core/measures.hpp"
#include "core/scoring.hpp"
#include "io/result_input.hpp"

namespace ita::report {

enum class Align { Left, Center, Right };

enum class ParagraphStyle {
  Title,      // the document title: bold, larger, centred
  Subtitle,   // the agency line: centred
  Heading,    // a numbered section heading: bold, kept with what follows
  Caption,    // a table or chart caption: bold, centred, kept with what follows
  Body,       // text with a first-line indent
  Signature,  // a line of the closing date and signature block: centred on the right half
};

struct Paragraph {
  ParagraphStyle style = ParagraphStyle::Body;
  std::string text;
};

struct Cell {
  std::vector<std::string> lines;  // paragraphs inside the cell
  Align align = Align::Left;
  bool merged_up = false;  // continues the cell above (drawn without a border between them)
  bool list = false;       // lines are list items ("- step", "1. item"): wrapped lines hang
};

struct Column {
  std::string header;
  double weight = 1;  // share of the table width
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // each row has one cell per column
};

// A chart drawn once as SVG; its user units are points.
struct Chart {
  std::string svg;
  double width = 0;
  double height = 0;
  std::string description;  // alternative text
};

using Block = std::variant<Paragraph, Table, Chart>;

struct Document {
  std::string title;         // for the file's metadata
  std::string author;        // the agency
  bool thai_digits = false;  // page numbers and other renderer text in Thai digits
  // Words a line must not break inside (the dictionary splits some, e.g. ตัว|ชี้วัด).
  std::vector<std::string> keep_together;
  std::vector<Block> blocks;
};

struct DocumentOptions {
  bool thai_digits = false;  // every digit of the text as a Thai digit
  bool be_dates = true;      // due dates as Thai dates in the Buddhist Era; otherwise YYYY-MM-DD
};

struct ReportData {
  const Edition& edition;
  const io::AgencyInfo& agency;
  const Result& result;
  const Analysis& analysis;
  const MeasuresPlan& plan;
  // Set when the result is provisional (an open round's last release, service/release.hpp): the
  // notice printed right after the total score ("ผลเบื้องต้น: …"); empty for a final result.
  std::string provisional_notice{};
};

// Builds sections ๑-๕ of the document.
Document build_document(const ReportData& data, const DocumentOptions& options);

// A score as the document shows it: two decimals, except full and zero marks ("100", "0"), as
// published documents print them.
std::string score_text(Rounded r);
// A threshold as the document states it: "85", or "84.50" when it has decimals.
std::string threshold_text(Rounded r);

}  // namespace ita::report
