#include "report/pdf_text.hpp"

#include <pango/pangocairo.h>

#include <string>
#include <vector>

namespace ita::report {

namespace {

bool drawable(PangoGlyph g) {
  return g != PANGO_GLYPH_EMPTY && (g & PANGO_GLYPH_UNKNOWN_FLAG) == 0;
}

// One run's glyphs at their page positions, and its text cut into clusters: each space alone,
// and everything between two spaces (a Thai phrase, a Latin word) as one cluster.
struct RunText {
  std::vector<cairo_glyph_t> glyphs;
  std::vector<cairo_text_cluster_t> clusters;
};

RunText run_text(const PangoGlyphItem& run, const char* text, double x, double y) {
  const PangoGlyphString* gs = run.glyphs;
  RunText out;
  out.glyphs.reserve(static_cast<std::size_t>(gs->num_glyphs));
  int pen = 0;
  int cluster_start = 0;  // byte offset in the item's text of the cluster being built
  bool after_space = true;
  for (int i = 0; i < gs->num_glyphs; ++i) {
    const PangoGlyphInfo& g = gs->glyphs[i];
    const int start = gs->log_clusters[i];
    if (i == 0 || start != gs->log_clusters[i - 1]) {
      // Glyphs are in logical order here (left to right: Thai, Latin and digits).
      const bool space = g_unichar_isspace(g_utf8_get_char(text + start)) != 0;
      if (space || after_space) {
        if (!out.clusters.empty()) out.clusters.back().num_bytes = start - cluster_start;
        out.clusters.push_back({0, 0});
        cluster_start = start;
      }
      after_space = space;
    }
    if (drawable(g.glyph)) {
      out.glyphs.push_back({g.glyph,
                            x + static_cast<double>(pen + g.geometry.x_offset) / PANGO_SCALE,
                            y + static_cast<double>(g.geometry.y_offset) / PANGO_SCALE});
      ++out.clusters.back().num_glyphs;
    }
    pen += g.geometry.width;
  }
  if (!out.clusters.empty()) out.clusters.back().num_bytes = run.item->length - cluster_start;
  return out;
}

bool left_to_right(const PangoGlyphString* gs) {
  for (int i = 1; i < gs->num_glyphs; ++i)
    if (gs->log_clusters[i] < gs->log_clusters[i - 1]) return false;
  return true;
}

}  // namespace

void show_extractable_line(cairo_t* cr, PangoLayoutLine* line) {
  double x0 = 0;
  double y0 = 0;
  cairo_get_current_point(cr, &x0, &y0);
  const char* text = pango_layout_get_text(line->layout);
  double x = x0;
  for (GSList* l = line->runs; l != nullptr; l = l->next) {
    const auto* run = static_cast<const PangoGlyphItem*>(l->data);
    const PangoItem* item = run->item;
    const double width =
        static_cast<double>(pango_glyph_string_get_width(run->glyphs)) / PANGO_SCALE;
    if (!left_to_right(run->glyphs)) {
      // Not in our documents; pango draws it (and extraction gets what pango gives).
      cairo_move_to(cr, x, y0);
      pango_cairo_show_glyph_item(cr, text, const_cast<PangoGlyphItem*>(run));
    } else {
      const RunText rt = run_text(*run, text + item->offset, x, y0);
      cairo_save(cr);
      cairo_set_scaled_font(
          cr, pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(item->analysis.font)));
      cairo_show_text_glyphs(cr, text + item->offset, item->length, rt.glyphs.data(),
                             static_cast<int>(rt.glyphs.size()), rt.clusters.data(),
                             static_cast<int>(rt.clusters.size()), cairo_text_cluster_flags_t{});
      cairo_restore(cr);
    }
    x += width;
  }
  cairo_move_to(cr, x0, y0);
}

}  // namespace ita::report
