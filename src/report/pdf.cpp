// PDF rendering: pango lays out Thai text (shaping, word breaking via libthai), cairo writes
// the PDF (subset fonts embedded), librsvg draws the chart as vector graphics.
#include <cairo-pdf.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "core/thai.hpp"
#include "report/chart.hpp"
#include "report/fonts.hpp"
#include "report/pdf_text.hpp"
#include "report/render.hpp"

namespace ita::report {

namespace {

// A4 in points; margins of Thai government documents (left 3 cm, right 2 cm, top 2.5 cm, bottom 2
// cm).
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.89;
constexpr double kCm = 28.3465;
constexpr double kMarginLeft = 3 * kCm;
constexpr double kMarginRight = 2 * kCm;
constexpr double kMarginTop = 2.5 * kCm;
constexpr double kMarginBottom = 2 * kCm;
constexpr double kContentWidth = kPageWidth - kMarginLeft - kMarginRight;

// The official size is TH Sarabun New 16 pt; Laksaman draws ×1.5 larger, so 16 × 0.66.
constexpr double thai_pt(double sarabun_pt) {
  return sarabun_pt * 0.66;
}
constexpr const char* kFamily = "Laksaman";
constexpr double kBodySize = thai_pt(16);
constexpr double kTitleSize = thai_pt(20);
constexpr double kIndent = 1.25 * kCm;
constexpr double kCellPadX = 4;
constexpr double kCellPadY = 2;
constexpr double kKeepWithNext = 48;     // room a heading or caption needs below it
constexpr double kHang = 7;              // hanging indent of list items in table cells
constexpr double kKeepTableWhole = 0.4;  // a table shorter than this share of a page is not split
constexpr double kRule = 0.5;
// Baselines 1.42 font sizes apart (the font's own line height, which makes room for marks
// stacked above and below, is 1.66): as close as single-spaced Thai official documents, and
// under the 1.5 font sizes within which text extraction (poppler's pdftotext, xpdf) takes
// consecutive lines as one paragraph and keeps a table cell's lines together.
constexpr double kLineSpacing = 0.86;

struct LayoutFree {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
struct FontFree {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutFree>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontFree>;

struct Style {
  double size = kBodySize;
  bool bold = false;
  PangoAlignment align = PANGO_ALIGN_LEFT;
  double indent = 0;
  double space_before = 0;
  double space_after = 3;
  bool keep_with_next = false;
  double left = 0;  // from the left margin: the signature block takes the right half
};

Style style_of(ParagraphStyle s) {
  switch (s) {
    case ParagraphStyle::Title:
      return {kTitleSize, true, PANGO_ALIGN_CENTER, 0, 0, 2, true};
    case ParagraphStyle::Subtitle:
      return {kBodySize, false, PANGO_ALIGN_CENTER, 0, 0, 10, true};
    case ParagraphStyle::Heading:
      return {kBodySize, true, PANGO_ALIGN_LEFT, 0, 6, 3, true};
    case ParagraphStyle::Caption:
      return {kBodySize, true, PANGO_ALIGN_CENTER, 0, 6, 4, true};
    case ParagraphStyle::Signature:  // room above each line to sign by hand
      return {kBodySize, false, PANGO_ALIGN_CENTER, 0, 14, 0, true, kContentWidth / 2};
    case ParagraphStyle::Body:
      break;
  }
  return {kBodySize, false, PANGO_ALIGN_LEFT, kIndent, 0, 3, false};
}

PangoAlignment pango_align(Align a) {
  switch (a) {
    case Align::Center:
      return PANGO_ALIGN_CENTER;
    case Align::Right:
      return PANGO_ALIGN_RIGHT;
    case Align::Left:
      break;
  }
  return PANGO_ALIGN_LEFT;
}

double pt(int pango_units) {
  return static_cast<double>(pango_units) / PANGO_SCALE;
}

// One laid-out line: where it sits in its layout (points) and how to draw it.
struct LineBox {
  double top = 0;
  double bottom = 0;
  double baseline = 0;
  double x = 0;
  PangoLayoutLine* line = nullptr;
};

std::vector<LineBox> line_boxes(PangoLayout* layout) {
  std::vector<LineBox> out;
  PangoLayoutIter* it = pango_layout_get_iter(layout);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, nullptr, &logical);
    out.push_back({pt(logical.y), pt(logical.y + logical.height),
                   pt(pango_layout_iter_get_baseline(it)), pt(logical.x),
                   pango_layout_iter_get_line_readonly(it)});
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  return out;
}

// A table cell being laid out, possibly over several pages.
struct CellFlow {
  LayoutPtr layout;
  std::vector<LineBox> lines;
  std::size_t next = 0;  // first line not drawn yet
  bool merged_up = false;

  bool done() const { return next >= lines.size(); }
  // How many lines from `next` fit in `room` points.
  std::size_t fitting(double room) const {
    std::size_t end = next;
    while (end < lines.size() && lines[end].bottom - lines[next].top <= room) ++end;
    return end;
  }
  double height(std::size_t end) const {
    return end > next ? lines[end - 1].bottom - lines[next].top : 0;
  }
};

// What a thread keeps from one document to the next: its pango context (fonts are looked up
// once) and the text it has laid out. The measures documents of many agencies share most of
// their text (headings, table headers, the measures library, page numbers), so a batch
// (`ita reports`) shapes and line-breaks each such text once. A layout depends only on its text,
// style, width and the keep-together words: the context is the same for every document (72 dpi,
// identity matrix, no hinting), so a layout made for one PDF surface draws the same on the next.
// Per thread, as pango's font map is; bounded (emptied when full).
class ThreadLayouts {
 public:
  ThreadLayouts() = default;
  ThreadLayouts(const ThreadLayouts&) = delete;
  ThreadLayouts& operator=(const ThreadLayouts&) = delete;
  ~ThreadLayouts() {
    clear();
    if (ctx_ != nullptr) g_object_unref(ctx_);
  }

  // The thread's context, brought up to date with `cr`'s surface.
  PangoContext* context(cairo_t* cr);
  PangoLayout* find(const std::string& key) const {
    auto it = layouts_.find(key);
    return it == layouts_.end() ? nullptr : it->second;
  }
  void keep(std::string key, PangoLayout* l) {
    if (layouts_.size() >= kMaxLayouts) clear();
    g_object_ref(l);
    layouts_.emplace(std::move(key), l);
  }

 private:
  static constexpr std::size_t kMaxLayouts = 4096;
  void clear() {
    for (auto& [key, l] : layouts_) g_object_unref(l);
    layouts_.clear();
  }
  PangoContext* ctx_ = nullptr;
  std::unordered_map<std::string, PangoLayout*> layouts_;
};

PangoContext* ThreadLayouts::context(cairo_t* cr) {
  if (ctx_ == nullptr) {
    release_fonts_at_exit();
    ctx_ = pango_font_map_create_context(pango_cairo_font_map_get_default());
    pango_cairo_context_set_resolution(ctx_, 72);  // user units are points
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(ctx_, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_language(ctx_, pango_language_from_string("th"));
    pango_context_set_round_glyph_positions(ctx_, FALSE);
  }
  pango_cairo_update_context(cr, ctx_);  // changes nothing (so keeps the layouts) for A4 PDFs
  return ctx_;
}

ThreadLayouts& thread_layouts() {
  static thread_local ThreadLayouts layouts;
  return layouts;
}

class PdfLayout {
 public:
  PdfLayout(cairo_t* cr, ThreadLayouts& cache, const Document& doc)
      : cr_(cr),
        cache_(cache),
        ctx_(cache.context(cr)),
        thai_digits_(doc.thai_digits),
        keep_together_(doc.keep_together) {
    cairo_set_line_width(cr_, kRule);
  }

  // `keep` is the height of what follows that a heading or caption must stay with.
  void paragraph(const Paragraph& p, double keep);
  void table(const Table& t);
  void chart(const Chart& c);
  // What the block needs at the bottom of a page so that it does not start there alone.
  double keep_height(const Block& next) const;

 private:
  static double top() { return kMarginTop; }
  static double bottom() { return kPageHeight - kMarginBottom; }
  bool at_page_top() const { return y_ <= top() + 0.01; }

  // The laid-out text: the thread's cached layout when it has one (never changed once made).
  LayoutPtr layout(const std::string& text, const Style& s, double width) const;
  LayoutPtr new_layout(const std::string& text, const Style& s, double width,
                       const std::vector<std::pair<guint, guint>>& kept) const;
  // Where `text` holds a keep-together word: [start, end) byte ranges.
  std::vector<std::pair<guint, guint>> kept_ranges(const std::string& text) const;
  void new_page();
  void draw_lines(const std::vector<LineBox>& lines, double x);
  std::vector<double> column_x(const Table& t) const;
  double header_height(const Table& t, std::vector<CellFlow>& cells) const;
  void draw_header(const Table& t, const std::vector<double>& xs);
  void table_page_break(const Table& t, const std::vector<double>& xs);
  struct PreparedTable;
  // A row as drawn: a merged cell continues the flow of the cell above it.
  struct RowFlows {
    std::vector<CellFlow*> flows;
    std::vector<bool> merged;  // continues the cell above: no border between them
    std::vector<bool> spans;   // continues into the row below
  };
  static double row_target(const RowFlows& row);
  void draw_row(const RowFlows& row, const PreparedTable& p);
  void draw_fragment(const RowFlows& row, const std::vector<std::size_t>& ends,
                     const std::vector<double>& xs, double height, bool first_fragment);
  void hline(double x0, double x1, double y) const;
  void vline(double x, double y0, double y1) const;

  struct PreparedTable {
    const Table* table;
    std::vector<double> xs;
    std::vector<std::vector<CellFlow>> rows;
    double header_height;
    double first_row_height;
    double height = 0;
  };
  PreparedTable prepare(const Table& t) const;
  static double keep_height(const PreparedTable& p);

  cairo_t* cr_;
  ThreadLayouts& cache_;
  PangoContext* ctx_;
  bool thai_digits_;
  const std::vector<std::string>& keep_together_;
  double y_ = top();
  int page_ = 1;
};

LayoutPtr PdfLayout::layout(const std::string& text, const Style& s, double width) const {
  // Everything the layout depends on (pango_layout_get_* of the settings below). Of the
  // keep-together words only where they occur: the agency's name is one of them, and a text
  // without it lays out the same in every agency's document.
  const std::vector<std::pair<guint, guint>> kept = kept_ranges(text);
  std::string key;
  key.reserve(text.size() + 48 + kept.size() * sizeof kept[0]);
  key += text;
  key += '\0';
  const double numbers[] = {s.size, s.indent, width};
  key.append(reinterpret_cast<const char*>(numbers), sizeof numbers);
  key += s.bold ? 'b' : 'r';
  key += static_cast<char>('0' + static_cast<int>(s.align));
  for (const auto& range : kept) key.append(reinterpret_cast<const char*>(&range), sizeof range);
  if (PangoLayout* cached = cache_.find(key)) {
    g_object_ref(cached);
    return LayoutPtr(cached);
  }
  LayoutPtr l = new_layout(text, s, width, kept);
  cache_.keep(std::move(key), l.get());
  return l;
}

std::vector<std::pair<guint, guint>> PdfLayout::kept_ranges(const std::string& text) const {
  std::vector<std::pair<guint, guint>> out;
  for (const std::string& word : keep_together_) {
    if (word.empty()) continue;
    for (std::size_t pos = text.find(word); pos != std::string::npos;
         pos = text.find(word, pos + word.size()))
      out.emplace_back(static_cast<guint>(pos), static_cast<guint>(pos + word.size()));
  }
  return out;
}

LayoutPtr PdfLayout::new_layout(const std::string& text, const Style& s, double width,
                                const std::vector<std::pair<guint, guint>>& kept) const {
  LayoutPtr l(pango_layout_new(ctx_));
  FontPtr font(pango_font_description_new());
  pango_font_description_set_family(font.get(), kFamily);
  pango_font_description_set_size(font.get(), static_cast<int>(s.size * PANGO_SCALE));
  pango_font_description_set_weight(font.get(), s.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(l.get(), font.get());
  pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(l.get(), s.align);
  pango_layout_set_indent(l.get(), static_cast<int>(s.indent * PANGO_SCALE));
  pango_layout_set_line_spacing(l.get(), static_cast<float>(kLineSpacing));
  pango_layout_set_text(l.get(), text.c_str(), static_cast<int>(text.size()));
  // No line break inside the keep-together words.
  PangoAttrList* attrs = pango_attr_list_new();
  for (const auto& [start, end] : kept) {
    PangoAttribute* a = pango_attr_allow_breaks_new(FALSE);
    a->start_index = start;
    a->end_index = end;
    pango_attr_list_insert(attrs, a);
  }
  pango_layout_set_attributes(l.get(), attrs);
  pango_attr_list_unref(attrs);
  return l;
}

void PdfLayout::new_page() {
  cairo_show_page(cr_);
  ++page_;
  y_ = top();
  // Thai government style: "- 2 -" centred at the top, from the second page on.
  const std::string number = "- " + maybe_thai_digits(std::to_string(page_), thai_digits_) + " -";
  Style s;
  s.align = PANGO_ALIGN_CENTER;
  s.indent = 0;
  LayoutPtr l = layout(number, s, kContentWidth);
  cairo_move_to(cr_, kMarginLeft, kMarginTop / 2 - 6);
  pango_cairo_show_layout(cr_, l.get());
}

// Draws lines from the cursor on, continuing on new pages when they do not fit.
void PdfLayout::draw_lines(const std::vector<LineBox>& lines, double x) {
  double base = y_;
  double offset = lines.empty() ? 0 : lines.front().top;
  for (const LineBox& line : lines) {
    const bool room = base + line.bottom - offset <= bottom();
    if (!room && base + line.top - offset > top() + 0.01) {
      new_page();
      base = y_;
      offset = line.top;
    }
    cairo_move_to(cr_, x + line.x, base + line.baseline - offset);
    show_extractable_line(cr_, line.line);
  }
  if (!lines.empty()) y_ = base + lines.back().bottom - offset;
}

void PdfLayout::paragraph(const Paragraph& p, double keep) {
  if (p.text.empty()) return;
  const Style s = style_of(p.style);
  if (!at_page_top()) y_ += s.space_before;
  LayoutPtr l = layout(p.text, s, kContentWidth - s.left);
  const auto lines = line_boxes(l.get());
  if (s.keep_with_next && !at_page_top() &&
      y_ + lines.back().bottom + s.space_after + keep > bottom())
    new_page();
  draw_lines(lines, kMarginLeft + s.left);
  y_ += s.space_after;
}

void PdfLayout::hline(double x0, double x1, double y) const {
  cairo_move_to(cr_, x0, y);
  cairo_line_to(cr_, x1, y);
  cairo_stroke(cr_);
}

void PdfLayout::vline(double x, double y0, double y1) const {
  cairo_move_to(cr_, x, y0);
  cairo_line_to(cr_, x, y1);
  cairo_stroke(cr_);
}

std::vector<double> PdfLayout::column_x(const Table& t) const {
  double total = 0;
  for (const auto& c : t.columns) total += c.weight;
  std::vector<double> xs{kMarginLeft};
  for (const auto& c : t.columns) xs.push_back(xs.back() + kContentWidth * c.weight / total);
  return xs;
}

double PdfLayout::header_height(const Table& t, std::vector<CellFlow>& cells) const {
  const auto xs = column_x(t);
  Style s;
  s.bold = true;
  s.align = PANGO_ALIGN_CENTER;
  s.indent = 0;
  double h = 0;
  cells.clear();
  for (std::size_t k = 0; k < t.columns.size(); ++k) {
    CellFlow c{layout(t.columns[k].header, s, xs[k + 1] - xs[k] - 2 * kCellPadX), {}, 0, false};
    c.lines = line_boxes(c.layout.get());
    h = std::max(h, c.lines.back().bottom);
    cells.push_back(std::move(c));
  }
  return h + 2 * kCellPadY;
}

void PdfLayout::draw_header(const Table& t, const std::vector<double>& xs) {
  std::vector<CellFlow> cells;
  const double h = header_height(t, cells);
  cairo_save(cr_);
  cairo_set_source_rgb(cr_, 0.9, 0.9, 0.9);
  cairo_rectangle(cr_, xs.front(), y_, xs.back() - xs.front(), h);
  cairo_fill(cr_);
  cairo_restore(cr_);
  for (std::size_t k = 0; k < cells.size(); ++k) {
    for (const auto& line : cells[k].lines) {
      cairo_move_to(cr_, xs[k] + kCellPadX + line.x, y_ + kCellPadY + line.baseline);
      show_extractable_line(cr_, line.line);
    }
    vline(xs[k], y_, y_ + h);
  }
  vline(xs.back(), y_, y_ + h);
  hline(xs.front(), xs.back(), y_);
  y_ += h;
}

void PdfLayout::table_page_break(const Table& t, const std::vector<double>& xs) {
  hline(xs.front(), xs.back(), y_);
  new_page();
  draw_header(t, xs);
}

void PdfLayout::draw_fragment(const RowFlows& row, const std::vector<std::size_t>& ends,
                              const std::vector<double>& xs, double height, bool first_fragment) {
  for (std::size_t k = 0; k < row.flows.size(); ++k) {
    CellFlow& c = *row.flows[k];
    const double origin = c.done() ? 0 : c.lines[c.next].top;
    for (std::size_t i = c.next; i < ends[k]; ++i) {
      cairo_move_to(cr_, xs[k] + kCellPadX + c.lines[i].x,
                    y_ + kCellPadY + c.lines[i].baseline - origin);
      show_extractable_line(cr_, c.lines[i].line);
    }
    c.next = ends[k];
    if (!(row.merged[k] && first_fragment)) hline(xs[k], xs[k + 1], y_);
    vline(xs[k], y_, y_ + height);
  }
  vline(xs.back(), y_, y_ + height);
  y_ += height;
}

// The height a row needs: its own cells in full; a cell spanning the rows below only what fits
// beside them (the rest flows on into the merged cells).
double PdfLayout::row_target(const RowFlows& row) {
  double target = 0;
  for (std::size_t k = 0; k < row.flows.size(); ++k) {
    const CellFlow& c = *row.flows[k];
    if (!row.spans[k]) target = std::max(target, c.height(c.lines.size()));
  }
  return target;
}

// Draws one row, splitting it over pages when it is taller than what is left of the page.
void PdfLayout::draw_row(const RowFlows& row, const PreparedTable& p) {
  const Table& t = *p.table;
  double target = row_target(row);
  const double full = target + 2 * kCellPadY;
  if (y_ + full > bottom() && full <= bottom() - top() - p.header_height) table_page_break(t, p.xs);
  bool first = true;
  for (;;) {
    const double room = bottom() - y_ - 2 * kCellPadY;
    std::vector<std::size_t> ends;
    double h = 0;
    bool all = true;
    for (std::size_t k = 0; k < row.flows.size(); ++k) {
      const CellFlow& c = *row.flows[k];
      ends.push_back(c.fitting(row.spans[k] ? std::min(room, target) : room));
      h = std::max(h, c.height(ends.back()));
      all = all && (row.spans[k] || ends.back() == c.lines.size());
    }
    if (h == 0 && !all) {  // not even one line fits here
      table_page_break(t, p.xs);
      continue;
    }
    draw_fragment(row, ends, p.xs, h + 2 * kCellPadY, first);
    if (all) return;
    target = std::max(0.0, target - h);
    first = false;
    table_page_break(t, p.xs);
  }
}

PdfLayout::PreparedTable PdfLayout::prepare(const Table& t) const {
  PreparedTable p{&t, column_x(t), {}, 0, 0};
  std::vector<CellFlow> header_cells;
  p.header_height = header_height(t, header_cells);
  p.height = p.header_height;
  Style s;
  for (const auto& row : t.rows) {
    std::vector<CellFlow> cells;
    double h = 0;
    for (std::size_t k = 0; k < row.size() && k < t.columns.size(); ++k) {
      s.align = pango_align(row[k].align);
      s.indent = row[k].list ? -kHang : 0;
      std::string text;
      for (const auto& line : row[k].lines) text += (text.empty() ? "" : "\n") + line;
      CellFlow c{layout(text, s, p.xs[k + 1] - p.xs[k] - 2 * kCellPadX), {}, 0, row[k].merged_up};
      if (!text.empty()) c.lines = line_boxes(c.layout.get());
      h = std::max(h, c.height(c.lines.size()));
      cells.push_back(std::move(c));
    }
    p.height += h + 2 * kCellPadY;
    if (p.rows.empty()) p.first_row_height = h + 2 * kCellPadY;
    p.rows.push_back(std::move(cells));
  }
  return p;
}

// The height that must fit before the table starts: all of a short table, else the header
// and the first row.
double PdfLayout::keep_height(const PreparedTable& p) {
  if (p.height <= kKeepTableWhole * (bottom() - top())) return p.height;
  return p.header_height + p.first_row_height;
}

void PdfLayout::table(const Table& t) {
  PreparedTable p = prepare(t);
  if (!at_page_top() && y_ + keep_height(p) > bottom()) new_page();
  draw_header(t, p.xs);
  std::vector<CellFlow*> above(t.columns.size(), nullptr);
  for (std::size_t r = 0; r < p.rows.size(); ++r) {
    RowFlows row;
    for (std::size_t k = 0; k < p.rows[r].size(); ++k) {
      const bool merged = p.rows[r][k].merged_up && above[k] != nullptr;
      row.flows.push_back(merged ? above[k] : &p.rows[r][k]);
      row.merged.push_back(merged);
      row.spans.push_back(r + 1 < p.rows.size() && k < p.rows[r + 1].size() &&
                          p.rows[r + 1][k].merged_up);
    }
    draw_row(row, p);
    above = row.flows;
  }
  hline(p.xs.front(), p.xs.back(), y_);
  y_ += 6;
}

double PdfLayout::keep_height(const Block& next) const {
  if (const auto* t = std::get_if<Table>(&next)) return keep_height(prepare(*t));
  if (const auto* c = std::get_if<Chart>(&next)) return c->height;
  return kKeepWithNext;
}

void PdfLayout::chart(const Chart& c) {
  GError* error = nullptr;
  RsvgHandle* handle = rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(c.svg.data()),
                                                 c.svg.size(), &error);
  if (handle == nullptr) {
    const std::string msg = error != nullptr ? error->message : "unknown error";
    g_clear_error(&error);
    throw std::runtime_error("cannot read the chart SVG: " + msg);
  }
  if (!at_page_top() && y_ + c.height > bottom()) new_page();
  const RsvgRectangle viewport{kMarginLeft + (kContentWidth - c.width) / 2, y_, c.width, c.height};
  const gboolean ok = rsvg_handle_render_document(handle, cr_, &viewport, &error);
  g_object_unref(handle);
  if (!ok) {
    const std::string msg = error != nullptr ? error->message : "unknown error";
    g_clear_error(&error);
    throw std::runtime_error("cannot draw the chart: " + msg);
  }
  y_ += c.height + 4;
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void set_metadata(cairo_surface_t* surface, const Document& doc, const RenderOptions& options) {
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, doc.title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, doc.author.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "OpenITA");
  if (options.creation_date) {
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   options.creation_date->c_str());
  }
}

// `in` with every text passed through xml_chars: pango takes plain UTF-8 text, and what XML
// cannot hold (a control character from an old database, a byte that is not UTF-8) would be
// drawn as a box or warned about, not typeset.
Document printable(const Document& in) {
  Document doc = in;
  for (std::string* s : {&doc.title, &doc.author}) *s = xml_chars(*s);
  for (Block& b : doc.blocks) {
    if (auto* p = std::get_if<Paragraph>(&b)) p->text = xml_chars(p->text);
    if (auto* c = std::get_if<Chart>(&b)) c->description = xml_chars(c->description);
    if (auto* t = std::get_if<Table>(&b)) {
      for (Column& col : t->columns) col.header = xml_chars(col.header);
      for (auto& row : t->rows) {
        for (Cell& cell : row) {
          for (std::string& line : cell.lines) line = xml_chars(line);
        }
      }
    }
  }
  return doc;
}

}  // namespace

std::string render_pdf(const Document& given, const RenderOptions& options) {
  const Document doc = printable(given);
  std::string out;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(append, &out, kPageWidth, kPageHeight);
  set_metadata(surface, doc, options);
  cairo_t* cr = cairo_create(surface);
  try {
    PdfLayout layout(cr, thread_layouts(), doc);
    for (std::size_t k = 0; k < doc.blocks.size(); ++k) {
      const Block& b = doc.blocks[k];
      if (const auto* p = std::get_if<Paragraph>(&b)) {
        const bool keeps = style_of(p->style).keep_with_next && k + 1 < doc.blocks.size();
        layout.paragraph(*p, keeps ? layout.keep_height(doc.blocks[k + 1]) : 0);
      }
      if (const auto* t = std::get_if<Table>(&b)) layout.table(*t);
      if (const auto* c = std::get_if<Chart>(&b)) layout.chart(*c);
    }
  } catch (...) {
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    throw;
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(std::string("cannot write the PDF: ") +
                             cairo_status_to_string(status));
  }
  return out;
}

}  // namespace ita::report
