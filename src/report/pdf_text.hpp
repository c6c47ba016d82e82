#pragma once

#include <cairo.h>
#include <pango/pango.h>

namespace ita::report {

// Draws `line` with its left end and baseline at the current point, as
// pango_cairo_show_layout_line does, and hands cairo one cluster per grapheme: a base character
// with the marks that sit on it. cairo writes a cluster of several glyphs as a PDF ActualText
// span, so text extraction (pdftotext, copy and paste, a search engine) reads each grapheme as
// written. Without it, Thai marks placed left of and over their base ("ป้", "เป็") break the
// word in extracted text ("ป้ อง"). Draws with the cr's current source; leaves its font, path
// and current point as they were.
void show_extractable_line(cairo_t* cr, PangoLayoutLine* line);

}  // namespace ita::report
