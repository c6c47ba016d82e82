// HTML rendering: one self-contained file from templates/document.html.mustache. Every value
// is escaped by {{x}} with xml_escape (markup characters, and what XML 1.0 cannot hold dropped);
// only the chart SVG, built and escaped by chart.cpp, is inserted raw.
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>
#include <stdexcept>

#include "report/chart.hpp"
#include "report/render.hpp"
#include "report/resources.hpp"

namespace ita::report {

namespace {

namespace mst = kainjow::mustache;

constexpr const char* kWoffDir = "/usr/share/fonts/woff/tlwg/";

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    unsigned v = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      v = (v << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    }
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 0x3F] : '=';
  }
  return out;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Laksaman embedded as WOFF when the fonts-thai-tlwg-web files are there; the installed font
// otherwise.
std::string font_faces() {
  std::string css;
  for (const auto& [file, weight] :
       {std::pair{"Laksaman.woff", "normal"}, std::pair{"Laksaman-Bold.woff", "bold"}}) {
    const std::string woff = file_bytes(std::string(kWoffDir) + file);
    css +=
        std::string("@font-face { font-family: \"Laksaman\"; font-weight: ") + weight +
        "; src: local(\"Laksaman\")" +
        (woff.empty() ? "" : ", url(data:font/woff;base64," + base64(woff) + ") format(\"woff\")") +
        "; }\n";
  }
  return css;
}

const char* style_class(ParagraphStyle s) {
  switch (s) {
    case ParagraphStyle::Title:
      return "title";
    case ParagraphStyle::Subtitle:
      return "subtitle";
    case ParagraphStyle::Heading:
      return "heading";
    case ParagraphStyle::Caption:
      return "caption";
    case ParagraphStyle::Signature:
      return "signature";
    case ParagraphStyle::Body:
      break;
  }
  return "body";
}

const char* align_class(Align a) {
  switch (a) {
    case Align::Center:
      return "center";
    case Align::Right:
      return "right";
    case Align::Left:
      break;
  }
  return "left";
}

mst::data string_list(const std::vector<std::string>& items) {
  mst::data list(mst::data::type::list);
  for (const auto& s : items) list.push_back(mst::data(s));
  return list;
}

// How many rows the cell at (row, col) spans: itself plus the merged_up cells below it.
std::size_t rowspan(const Table& t, std::size_t row, std::size_t col) {
  std::size_t n = 1;
  while (row + n < t.rows.size() && col < t.rows[row + n].size() && t.rows[row + n][col].merged_up)
    ++n;
  return n;
}

mst::data table_data(const Table& t) {
  double total = 0;
  for (const auto& c : t.columns) total += c.weight;
  mst::data columns(mst::data::type::list);
  for (const auto& c : t.columns) {
    mst::data col;
    col.set("header", c.header);
    col.set("width", std::to_string(static_cast<int>(100 * c.weight / total + 0.5)));
    columns.push_back(col);
  }
  mst::data rows(mst::data::type::list);
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    mst::data cells(mst::data::type::list);
    for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
      const Cell& cell = t.rows[r][c];
      if (cell.merged_up) continue;
      mst::data d;
      d.set("lines", string_list(cell.lines));
      d.set("align", std::string(align_class(cell.align)));
      d.set("rowspan", std::to_string(rowspan(t, r, c)));
      cells.push_back(d);
    }
    mst::data row;
    row.set("cells", cells);
    rows.push_back(row);
  }
  mst::data table;
  table.set("columns", columns);
  table.set("rows", rows);
  return table;
}

mst::data block_data(const Block& b) {
  mst::data d;
  if (const auto* p = std::get_if<Paragraph>(&b)) {
    mst::data para;
    para.set("style", std::string(style_class(p->style)));
    para.set("text", p->text);
    d.set("paragraph", para);
  } else if (const auto* t = std::get_if<Table>(&b)) {
    d.set("table", table_data(*t));
  } else if (const auto* c = std::get_if<Chart>(&b)) {
    mst::data chart;
    chart.set("svg", c->svg);
    chart.set("description", c->description);
    d.set("chart", chart);
  }
  return d;
}

}  // namespace

std::string render_html(const Document& doc, const RenderOptions& options) {
  mst::mustache tmpl(resource("document.html.mustache"));
  if (!tmpl.is_valid()) throw std::logic_error("HTML template: " + tmpl.error_message());
  // HTML-escaped as mustache would, and without what XML 1.0 cannot hold (a control character
  // typed into a progress report), like the DOCX.
  tmpl.set_custom_escape([](const std::string& s) { return xml_escape(s); });
  mst::data data;
  data.set("title", doc.title);
  data.set("author", doc.author);
  if (options.creation_date) data.set("created", *options.creation_date);
  data.set("font_faces", font_faces());
  mst::data blocks(mst::data::type::list);
  for (const Block& b : doc.blocks) blocks.push_back(block_data(b));
  data.set("blocks", blocks);
  return tmpl.render(data);
}

}  // namespace ita::report
