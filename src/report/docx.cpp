// DOCX rendering: a WordprocessingML package zipped in memory with libzip. Text is set in
// "TH Sarabun New" 16 pt (the official font) with Laksaman as its alternative; the chart is an
// embedded PNG drawn from the same SVG as the other formats.
#include <cairo.h>
#include <librsvg/rsvg.h>
#include <zip.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <stdexcept>

#include "core/thai.hpp"
#include "report/chart.hpp"
#include "report/fonts.hpp"
#include "report/render.hpp"

namespace ita::report {

namespace {

constexpr const char* kFont = "TH Sarabun New";
constexpr const char* kFallbackFont = "Laksaman";
constexpr int kHalfPoints = 32;       // 16 pt
constexpr int kTitleHalfPoints = 40;  // 20 pt
// A4 in twentieths of a point; margins left 3 cm, right 2 cm, top 2.5 cm, bottom 2 cm.
constexpr int kPageW = 11906, kPageH = 16838;
constexpr int kMarginL = 1701, kMarginR = 1134, kMarginT = 1418, kMarginB = 1134;
constexpr int kContentW = kPageW - kMarginL - kMarginR;
constexpr long kEmuPerPoint = 12700;
constexpr double kChartScale = 3;  // PNG pixels per point

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr const char* kRelsNs = "http://schemas.openxmlformats.org/package/2006/relationships";
constexpr const char* kXmlDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

std::string run(const std::string& text) {
  return "<w:r><w:t xml:space=\"preserve\">" + xml_escape(text) + "</w:t></w:r>";
}

const char* style_id(ParagraphStyle s) {
  switch (s) {
    case ParagraphStyle::Title:
      return "Title";
    case ParagraphStyle::Subtitle:
      return "Subtitle";
    case ParagraphStyle::Heading:
      return "Heading1";
    case ParagraphStyle::Caption:
      return "Caption";
    case ParagraphStyle::Signature:
      return "Signature";
    case ParagraphStyle::Body:
      break;
  }
  return "BodyText";
}

const char* jc(Align a) {
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

std::string paragraph_xml(const Paragraph& p) {
  return std::string("<w:p><w:pPr><w:pStyle w:val=\"") + style_id(p.style) + "\"/></w:pPr>" +
         run(p.text) + "</w:p>";
}

std::string cell_paragraphs(const std::vector<std::string>& lines, Align a, bool header) {
  std::string out;
  const std::string ppr = std::string("<w:pPr><w:pStyle w:val=\"TableText\"/><w:jc w:val=\"") +
                          jc(a) + "\"/>" + (header ? "<w:rPr><w:b/><w:bCs/></w:rPr>" : "") +
                          "</w:pPr>";
  const std::string rpr = header ? "<w:rPr><w:b/><w:bCs/></w:rPr>" : "";
  for (const auto& line : lines) {
    out += "<w:p>" + ppr + "<w:r>" + rpr + "<w:t xml:space=\"preserve\">" + xml_escape(line) +
           "</w:t></w:r></w:p>";
  }
  return out.empty() ? "<w:p>" + ppr + "</w:p>" : out;
}

std::vector<int> column_widths(const Table& t) {
  double total = 0;
  for (const auto& c : t.columns) total += c.weight;
  std::vector<int> w;
  for (const auto& c : t.columns) w.push_back(static_cast<int>(kContentW * c.weight / total));
  return w;
}

std::string cell_xml(const Cell& cell, int width, bool restart, bool header) {
  std::string pr = "<w:tcPr><w:tcW w:w=\"" + std::to_string(width) + "\" w:type=\"dxa\"/>";
  if (cell.merged_up) pr += "<w:vMerge/>";
  if (restart) pr += "<w:vMerge w:val=\"restart\"/>";
  if (header) pr += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E6E6E6\"/>";
  pr += "</w:tcPr>";
  return "<w:tc>" + pr +
         cell_paragraphs(cell.merged_up ? std::vector<std::string>{} : cell.lines, cell.align,
                         header) +
         "</w:tc>";
}

std::string table_xml(const Table& t) {
  const auto widths = column_widths(t);
  std::string x = "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"" +
                  std::to_string(kContentW) +
                  "\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>";
  for (int w : widths) x += "<w:gridCol w:w=\"" + std::to_string(w) + "\"/>";
  x += "</w:tblGrid><w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>";
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    x += cell_xml(Cell{{t.columns[c].header}, Align::Center}, widths[c], false, true);
  }
  x += "</w:tr>";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    x += "<w:tr>";
    for (std::size_t c = 0; c < t.rows[r].size() && c < widths.size(); ++c) {
      const bool restart =
          !t.rows[r][c].merged_up && r + 1 < t.rows.size() && t.rows[r + 1][c].merged_up;
      x += cell_xml(t.rows[r][c], widths[c], restart, false);
    }
    x += "</w:tr>";
  }
  return x + "</w:tbl><w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr></w:p>";
}

std::string chart_xml(const Chart& c, int id) {
  const std::string cx = std::to_string(static_cast<long>(c.width * kEmuPerPoint));
  const std::string cy = std::to_string(static_cast<long>(c.height * kEmuPerPoint));
  const std::string n = std::to_string(id);
  return "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>"
         "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"" +
         cx + "\" cy=\"" + cy +
         "\"/>"
         "<wp:docPr id=\"" +
         n + "\" name=\"chart" + n + "\" descr=\"" + xml_escape(c.description) +
         "\"/>"
         "<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
         "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
         "<pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
         "<pic:nvPicPr><pic:cNvPr id=\"" +
         n + "\" name=\"chart" + n +
         ".png\"/><pic:cNvPicPr/></pic:nvPicPr>"
         "<pic:blipFill><a:blip r:embed=\"rIdChart" +
         n +
         "\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
         "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"" +
         cx + "\" cy=\"" + cy +
         "\"/></a:xfrm>"
         "<a:prstGeom "
         "prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>"
         "</wp:inline></w:drawing></w:r></w:p>";
}

std::string section_xml(bool thai_digits) {
  return std::string("<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>") +
         "<w:pgSz w:w=\"" + std::to_string(kPageW) + "\" w:h=\"" + std::to_string(kPageH) + "\"/>" +
         "<w:pgMar w:top=\"" + std::to_string(kMarginT) + "\" w:right=\"" +
         std::to_string(kMarginR) + "\" w:bottom=\"" + std::to_string(kMarginB) + "\" w:left=\"" +
         std::to_string(kMarginL) + "\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/>" +
         "<w:pgNumType w:fmt=\"" + (thai_digits ? "thaiNumbers" : "decimal") +
         "\"/><w:titlePg/></w:sectPr>";
}

struct Package {
  std::string document;
  std::vector<std::string> charts;  // PNG bytes, chart1.png ...
};

Package document_xml(const Document& doc) {
  Package p;
  std::string body;
  for (const Block& b : doc.blocks) {
    if (const auto* para = std::get_if<Paragraph>(&b)) body += paragraph_xml(*para);
    if (const auto* t = std::get_if<Table>(&b)) body += table_xml(*t);
    if (const auto* c = std::get_if<Chart>(&b)) {
      p.charts.push_back(chart_png(*c, kChartScale));
      body += chart_xml(*c, static_cast<int>(p.charts.size()));
    }
  }
  p.document = std::string(kXmlDecl) + "<w:document xmlns:w=\"" + kW + "\" xmlns:r=\"" + kR +
               "\" "
               "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/"
               "wordprocessingDrawing\"><w:body>" +
               body + section_xml(doc.thai_digits) + "</w:body></w:document>";
  return p;
}

std::string fonts_rpr(int half_points, bool bold) {
  const std::string sz = std::to_string(half_points);
  return std::string("<w:rPr><w:rFonts w:ascii=\"") + kFont + "\" w:hAnsi=\"" + kFont +
         "\" w:eastAsia=\"" + kFont + "\" w:cs=\"" + kFont + "\"/>" +
         (bold ? "<w:b/><w:bCs/>" : "") + "<w:sz w:val=\"" + sz + "\"/><w:szCs w:val=\"" + sz +
         "\"/><w:lang w:val=\"th-TH\" w:bidi=\"th-TH\"/></w:rPr>";
}

std::string style(const char* id, const char* name, const std::string& ppr,
                  const std::string& rpr) {
  return std::string("<w:style w:type=\"paragraph\" w:styleId=\"") + id + "\"><w:name w:val=\"" +
         name + "\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>" + ppr + rpr + "</w:style>";
}

std::string styles_xml() {
  const std::string bold = "<w:rPr><w:b/><w:bCs/></w:rPr>";
  return std::string(kXmlDecl) + "<w:styles xmlns:w=\"" + kW + "\"><w:docDefaults><w:rPrDefault>" +
         fonts_rpr(kHalfPoints, false) +
         "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"60\" w:line=\"240\" "
         "w:lineRule=\"auto\"/></w:pPr>"
         "</w:pPrDefault></w:docDefaults>"
         "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
         "w:val=\"Normal\"/><w:qFormat/>"
         "</w:style>" +
         style("Title", "Title", "<w:pPr><w:keepNext/><w:jc w:val=\"center\"/></w:pPr>",
               "<w:rPr><w:b/><w:bCs/><w:sz w:val=\"" + std::to_string(kTitleHalfPoints) +
                   "\"/><w:szCs w:val=\"" + std::to_string(kTitleHalfPoints) + "\"/></w:rPr>") +
         style("Subtitle", "Subtitle",
               "<w:pPr><w:keepNext/><w:spacing w:after=\"200\"/><w:jc w:val=\"center\"/></w:pPr>",
               "") +
         style("Heading1", "heading 1",
               "<w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/>"
               "<w:outlineLvl w:val=\"0\"/></w:pPr>",
               bold) +
         style("Caption", "caption",
               "<w:pPr><w:keepNext/><w:spacing w:before=\"120\"/><w:jc w:val=\"center\"/></w:pPr>",
               bold) +
         style("BodyText", "Body Text", "<w:pPr><w:ind w:firstLine=\"709\"/></w:pPr>", "") +
         // The right half of the text width (A4 less 3 cm and 2 cm margins: 9071 twips).
         style("Signature", "Signature",
               "<w:pPr><w:keepNext/><w:spacing w:before=\"280\"/><w:ind w:left=\"4535\"/>"
               "<w:jc w:val=\"center\"/></w:pPr>",
               "") +
         style("TableText", "Table Text", "<w:pPr><w:spacing w:after=\"0\"/></w:pPr>", "") +
         style("Header", "header", "<w:pPr><w:jc w:val=\"center\"/></w:pPr>", "") +
         "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table "
         "Grid\"/><w:tblPr><w:tblBorders>"
         "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
         "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
         "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
         "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
         "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
         "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
         "</w:tblBorders><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" "
         "w:type=\"dxa\"/>"
         "</w:tblCellMar></w:tblPr></w:style></w:styles>";
}

std::string font_table_xml() {
  return std::string(kXmlDecl) + "<w:fonts xmlns:w=\"" + kW + "\"><w:font w:name=\"" + kFont +
         "\"><w:altName w:val=\"" + kFallbackFont +
         "\"/><w:charset w:val=\"DE\"/><w:family w:val=\"swiss\"/><w:pitch "
         "w:val=\"variable\"/></w:font>"
         "<w:font w:name=\"" +
         kFallbackFont +
         "\"><w:charset w:val=\"DE\"/><w:family w:val=\"swiss\"/>"
         "<w:pitch w:val=\"variable\"/></w:font></w:fonts>";
}

// Page numbers "- n -" at the top centre (the first page has none, as in Thai official documents).
std::string header_xml() {
  return std::string(kXmlDecl) + "<w:hdr xmlns:w=\"" + kW + "\" xmlns:r=\"" + kR +
         "\"><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>" + run("- ") +
         "<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>2</w:t></w:r></w:fldSimple>" + run(" -") +
         "</w:p></w:hdr>";
}

std::string content_types_xml() {
  return std::string(kXmlDecl) +
         "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
         "<Default Extension=\"rels\" "
         "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
         "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
         "<Default Extension=\"png\" ContentType=\"image/png\"/>"
         "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
         "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
         "<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>"
         "<Override PartName=\"/word/header1.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
         "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
         "vnd.openxmlformats-package.core-properties+xml\"/></Types>";
}

std::string package_rels_xml() {
  return std::string(kXmlDecl) + "<Relationships xmlns=\"" + kRelsNs +
         "\"><Relationship Id=\"rId1\" "
         "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
         "officeDocument\" Target=\"word/document.xml\"/>"
         "<Relationship Id=\"rId2\" "
         "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
         "core-properties\" Target=\"docProps/core.xml\"/></Relationships>";
}

std::string document_rels_xml(std::size_t charts) {
  const std::string type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  std::string x =
      std::string(kXmlDecl) + "<Relationships xmlns=\"" + kRelsNs + "\">" +
      "<Relationship Id=\"rIdStyles\" Type=\"" + type + "styles\" Target=\"styles.xml\"/>" +
      "<Relationship Id=\"rIdFonts\" Type=\"" + type + "fontTable\" Target=\"fontTable.xml\"/>" +
      "<Relationship Id=\"rIdHeader\" Type=\"" + type + "header\" Target=\"header1.xml\"/>";
  for (std::size_t k = 1; k <= charts; ++k) {
    const std::string n = std::to_string(k);
    x += "<Relationship Id=\"rIdChart" + n + "\" Type=\"" + type + "image\" Target=\"media/chart" +
         n + ".png\"/>";
  }
  return x + "</Relationships>";
}

std::string core_xml(const Document& doc, const std::string& created) {
  return std::string(kXmlDecl) +
         "<cp:coreProperties "
         "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
         "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>" +
         xml_escape(doc.title) + "</dc:title><dc:creator>" + xml_escape(doc.author) +
         "</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">" + created +
         "</dcterms:created>"
         "</cp:coreProperties>";
}

std::time_t creation_time(const RenderOptions& options) {
  if (!options.creation_date) return std::time(nullptr);
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (std::sscanf(options.creation_date->c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s) !=
      6) {
    throw std::invalid_argument("creation date: expected YYYY-MM-DDTHH:MM:SSZ");
  }
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return timegm(&tm);
}

std::string iso_utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Zips `parts` (name, bytes) in memory, every entry stamped with `mtime`.
std::string zip_parts(const std::vector<std::pair<std::string, std::string>>& parts,
                      std::time_t mtime) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) throw std::runtime_error("cannot create the DOCX buffer");
  zip_source_keep(buffer);
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> keep(buffer, zip_source_free);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr)
    throw std::runtime_error(std::string("cannot create the DOCX: ") + zip_error_strerror(&error));
  for (const auto& [name, bytes] : parts) {
    zip_source_t* src = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
    const zip_int64_t index =
        src == nullptr ? -1 : zip_file_add(archive, name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(src);
      const std::string msg = zip_strerror(archive);
      zip_discard(archive);
      throw std::runtime_error("cannot add " + name + " to the DOCX: " + msg);
    }
    zip_file_set_mtime(archive, static_cast<zip_uint64_t>(index), mtime, 0);
  }
  if (zip_close(archive) != 0) {
    const std::string msg = zip_strerror(archive);
    zip_discard(archive);
    throw std::runtime_error("cannot write the DOCX: " + msg);
  }
  std::string out;
  if (zip_source_open(buffer) != 0) throw std::runtime_error("cannot read the DOCX buffer");
  char chunk[65536];
  zip_int64_t n = 0;
  while ((n = zip_source_read(buffer, chunk, sizeof chunk)) > 0)
    out.append(chunk, static_cast<std::size_t>(n));
  zip_source_close(buffer);
  if (n < 0) throw std::runtime_error("cannot read the DOCX buffer");
  return out;
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::string chart_png(const Chart& chart, double scale) {
  release_fonts_at_exit();
  GError* error = nullptr;
  RsvgHandle* handle = rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(chart.svg.data()),
                                                 chart.svg.size(), &error);
  if (handle == nullptr) {
    const std::string msg = error != nullptr ? error->message : "unknown error";
    g_clear_error(&error);
    throw std::runtime_error("cannot read the chart SVG: " + msg);
  }
  const int w = static_cast<int>(chart.width * scale), h = static_cast<int>(chart.height * scale);
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  const RsvgRectangle viewport{0, 0, static_cast<double>(w), static_cast<double>(h)};
  const gboolean ok = rsvg_handle_render_document(handle, cr, &viewport, &error);
  g_object_unref(handle);
  cairo_destroy(cr);
  std::string png;
  const cairo_status_t status =
      ok ? cairo_surface_write_to_png_stream(surface, append, &png) : CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(surface);
  if (!ok) {
    const std::string msg = error != nullptr ? error->message : "unknown error";
    g_clear_error(&error);
    throw std::runtime_error("cannot draw the chart: " + msg);
  }
  if (status != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cannot encode the chart as PNG");
  return png;
}

std::string render_docx(const Document& doc, const RenderOptions& options) {
  const std::time_t created = creation_time(options);
  Package p = document_xml(doc);
  std::vector<std::pair<std::string, std::string>> parts{
      {"[Content_Types].xml", content_types_xml()},
      {"_rels/.rels", package_rels_xml()},
      {"docProps/core.xml", core_xml(doc, iso_utc(created))},
      {"word/document.xml", std::move(p.document)},
      {"word/styles.xml", styles_xml()},
      {"word/fontTable.xml", font_table_xml()},
      {"word/header1.xml", header_xml()},
      {"word/_rels/document.xml.rels", document_rels_xml(p.charts.size())},
  };
  for (std::size_t k = 0; k < p.charts.size(); ++k) {
    parts.emplace_back("word/media/chart" + std::to_string(k + 1) + ".png", std::move(p.charts[k]));
  }
  return zip_parts(parts, created);
}

}  // namespace ita::report
