#pragma once
// The renderers of the measures document. Each returns the whole file's bytes, so nothing is
// written until rendering has succeeded.
#include <optional>
#include <string>

#include "report/document.hpp"
#include "report/report.hpp"

namespace ita::report {

struct RenderOptions {
  // ISO 8601 UTC, "2024-07-01T00:00:00Z": the file's creation date. Fixing it makes the
  // output byte-for-byte reproducible; none = now.
  std::optional<std::string> creation_date;
};

// A4 PDF laid out with pango (Thai shaping and line breaking) on cairo; Laksaman embedded.
std::string render_pdf(const Document& doc, const RenderOptions& options);

// One self-contained HTML file: inline CSS, inline SVG chart, Laksaman as @font-face.
std::string render_html(const Document& doc, const RenderOptions& options);

// A WordprocessingML (.docx) package; the chart as an embedded PNG.
std::string render_docx(const Document& doc, const RenderOptions& options);

// The renderer of `f`.
std::string render(Format f, const Document& doc, const RenderOptions& options);

// The HTTP Content-Type of `f`.
std::string_view content_type(Format f);

// The chart as PNG bytes at `scale` pixels per point (for DOCX).
std::string chart_png(const Chart& chart, double scale);

}  // namespace ita::report
