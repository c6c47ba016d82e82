#include "report/chart.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ita::report {

namespace {

constexpr double kLeft = 46;
constexpr double kRight = kChartWidth - 14;
constexpr double kTop = 24;
constexpr double kBottom = kChartHeight - 42;
constexpr const char* kFont = "font-family=\"Laksaman\"";
constexpr const char* kStrongColour = "#3b6fb0";
constexpr const char* kWeakColour = "#e0872b";
constexpr const char* kThresholdColour = "#c62828";

double y_of(double value) {
  return kBottom - std::clamp(value, 0.0, 100.0) / 100.0 * (kBottom - kTop);
}

std::string text(double x, double y, double size, const char* anchor, const std::string& s,
                 const std::string& extra = "") {
  return fmt::format(
      "<text x=\"{:.2f}\" y=\"{:.2f}\" {} font-size=\"{}\" text-anchor=\"{}\"{}>{}</text>\n", x, y,
      kFont, size, anchor, extra, xml_escape(s));
}

std::string grid(const BarChart& c) {
  std::string out;
  for (std::size_t k = 0; k < 6; ++k) {
    const double y = y_of(20.0 * static_cast<double>(k));
    out += fmt::format(
        "<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"#d0d0d0\" "
        "stroke-width=\"0.5\"/>\n",
        kLeft, y, kRight, y);
    if (k < c.y_tick_labels.size()) out += text(kLeft - 4, y + 3, 8, "end", c.y_tick_labels[k]);
  }
  return out;
}

std::string bars(const BarChart& c) {
  std::string out;
  if (c.bars.empty()) return out;
  const double slot = (kRight - kLeft) / static_cast<double>(c.bars.size());
  for (std::size_t k = 0; k < c.bars.size(); ++k) {
    const ChartBar& b = c.bars[k];
    const double cx = kLeft + slot * (static_cast<double>(k) + 0.5);
    const double w = slot * 0.7;
    const double y = y_of(b.value);
    out += fmt::format(
        "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\"/>\n",
        cx - w / 2, y, w, kBottom - y, b.meets_threshold ? kStrongColour : kWeakColour);
    // The value half way up the bar (clear of the threshold line), or above a bar too short to hold
    // it.
    const bool inside = b.value >= 12;
    out += text(cx, inside ? (y + kBottom) / 2 + 3 : y - 3, 7.5, "middle", b.value_text,
                inside ? " fill=\"#fff\"" : "");
    out += text(cx, kBottom + 12, 9, "middle", b.label);
  }
  return out;
}

std::string threshold(const BarChart& c) {
  const double y = y_of(c.threshold);
  const char* dashed = "stroke-width=\"1\" stroke-dasharray=\"4 2\"";
  // The line across the plot, and a legend entry above the plot's right end.
  return fmt::format(
             "<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"{}\" {}/>\n",
             kLeft, y, kRight, y, kThresholdColour, dashed) +
         fmt::format(
             "<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"{}\" {}/>\n",
             kRight - 70, kTop - 10, kRight - 52, kTop - 10, kThresholdColour, dashed) +
         text(kRight - 48, kTop - 7, 8, "start", c.threshold_label,
              fmt::format(" fill=\"{}\"", kThresholdColour));
}

std::string axes(const BarChart& c) {
  return fmt::format(
             "<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"#000\" "
             "stroke-width=\"0.75\"/>\n<line x1=\"{0:.2f}\" y1=\"{2:.2f}\" x2=\"{3:.2f}\" "
             "y2=\"{2:.2f}\" "
             "stroke=\"#000\" stroke-width=\"0.75\"/>\n",
             kLeft, kTop, kBottom, kRight) +
         text((kLeft + kRight) / 2, kBottom + 30, 9, "middle", c.x_label) +
         text(12, (kTop + kBottom) / 2, 9, "middle", c.y_label,
              fmt::format(" transform=\"rotate(-90 12 {:.2f})\"", (kTop + kBottom) / 2));
}

}  // namespace

namespace {

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF), or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char b = at(0);
  if (b < 0x80) return 1;
  const std::size_t n = b >= 0xC2 && b <= 0xDF   ? 2
                        : b >= 0xE0 && b <= 0xEF ? 3
                        : b >= 0xF0 && b <= 0xF4 ? 4
                                                 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((at(k) & 0xC0) != 0x80) return 0;
  }
  const unsigned char second = at(1);
  if ((b == 0xE0 && second < 0xA0) || (b == 0xED && second > 0x9F) ||
      (b == 0xF0 && second < 0x90) || (b == 0xF4 && second > 0x8F)) {
    return 0;
  }
  return n;
}

}  // namespace

std::string xml_chars(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_length(s, i);
    if (n == 0) {  // not UTF-8: dropped byte by byte
      ++i;
      continue;
    }
    const auto ch = static_cast<unsigned char>(s[i]);
    // XML 1.0 has no way to write C0 controls other than tab, LF and CR, nor U+FFFE/U+FFFF:
    // a document holding one is not well-formed, so they are dropped (a pasted U+0007 in a
    // progress report must not make the year-end DOCX unreadable).
    const bool c0 = ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r';
    const bool fffe = n == 3 && ch == 0xEF && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
                      (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xBE;
    if (!c0 && !fffe) out.append(s, i, n);
    i += n;
  }
  return out;
}

std::string xml_escape(const std::string& s) {
  const std::string kept = xml_chars(s);
  std::string out;
  out.reserve(kept.size());
  for (const char c : kept) {
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
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string bar_chart_svg(const BarChart& chart) {
  return fmt::format(
             "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}pt\" height=\"{1}pt\" "
             "viewBox=\"0 0 {0} {1}\">\n",
             kChartWidth, kChartHeight) +
         grid(chart) + bars(chart) + threshold(chart) + axes(chart) + "</svg>\n";
}

namespace {

constexpr const char* kInk = "#1b1b1b";

// The opening <svg> of an accessible standalone chart: role="img", named by aria-label and
// <title> (screen readers read one or the other).
std::string accessible_svg(double width, double height, const std::string& title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
      "height=\"{1}\" role=\"img\" aria-label=\"{2}\">\n<title>{2}</title>\n",
      width, height, xml_escape(title));
}

std::string line(double x1, double y1, double x2, double y2, const std::string& attrs) {
  return fmt::format("<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" {}/>\n", x1, y1,
                     x2, y2, attrs);
}

std::string rect(double x, double y, double w, double h, const char* fill) {
  return fmt::format(
      "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\"/>\n", x, y,
      std::max(w, 0.0), std::max(h, 0.0), fill);
}

// Two swatches and their labels, left to right from (x, y).
std::string legend(double x, double y, const std::string& strong, const std::string& weak) {
  std::string out = rect(x, y - 9, 10, 10, kStrongColour) +
                    text(x + 14, y, 11, "start", strong, fmt::format(" fill=\"{}\"", kInk));
  const double next = x + 24 + 7.0 * static_cast<double>(strong.size()) / 3.0 + 20;
  return out + rect(next, y - 9, 10, 10, kWeakColour) +
         text(next + 14, y, 11, "start", weak, fmt::format(" fill=\"{}\"", kInk));
}

// The smallest of 1, 2, 5, 10, 20, 50… that splits [0, top] into at most 5 steps.
std::size_t count_step(std::size_t top) {
  for (std::size_t scale = 1;; scale *= 10) {
    for (const std::size_t m : {1, 2, 5}) {
      if (m * scale * 5 >= top) return m * scale;
    }
  }
}

}  // namespace

std::string histogram_svg(const Histogram& c) {
  constexpr double left = 54, right = kHistogramWidth - 12, top = 34,
                   bottom = kHistogramHeight - 46;
  std::size_t most = 1;
  for (const auto& b : c.bins) most = std::max(most, b.count);
  const std::size_t step = count_step(most);
  const std::size_t y_max = (most + step - 1) / step * step;
  const auto y_of_count = [&](double n) {
    return bottom - n / static_cast<double>(y_max) * (bottom - top);
  };
  const double x0 = c.bins.empty() ? 0 : c.bins.front().from;
  const double x1 = c.bins.empty() ? 100 : c.bins.back().to;
  const auto x_of = [&](double v) { return left + (v - x0) / (x1 - x0) * (right - left); };
  const std::string ink = fmt::format(" fill=\"{}\"", kInk);
  std::string out = accessible_svg(kHistogramWidth, kHistogramHeight, c.title);
  for (std::size_t n = 0; n <= y_max; n += step) {
    const double y = y_of_count(static_cast<double>(n));
    out += line(left, y, right, y, "stroke=\"#d0d0d0\" stroke-width=\"0.5\"");
    out += text(left - 5, y + 4, 11, "end", std::to_string(n), ink);
  }
  for (const auto& b : c.bins) {
    const double y = y_of_count(static_cast<double>(b.count));
    out += rect(x_of(b.from) + 1, y, x_of(b.to) - x_of(b.from) - 2, bottom - y,
                b.meets_threshold ? kStrongColour : kWeakColour);
  }
  for (double v = x0; v <= x1 + 1e-9 && c.x_tick_step > 0; v += c.x_tick_step) {
    out += line(x_of(v), bottom, x_of(v), bottom + 4, "stroke=\"#000\" stroke-width=\"0.75\"");
    out += text(x_of(v), bottom + 16, 11, "middle", fmt::format("{:g}", v), ink);
  }
  out += line(left, top, left, bottom, "stroke=\"#000\" stroke-width=\"0.75\"");
  out += line(left, bottom, right, bottom, "stroke=\"#000\" stroke-width=\"0.75\"");
  out += text((left + right) / 2, bottom + 34, 12, "middle", c.x_label, ink);
  out += text(14, (top + bottom) / 2, 12, "middle", c.y_label,
              fmt::format("{} transform=\"rotate(-90 14 {:.2f})\"", ink, (top + bottom) / 2));
  return out + legend(left, 16, c.strong_legend, c.weak_legend) + "</svg>\n";
}

double ranked_bar_chart_height(std::size_t bars) {
  return 56 + kRankedRow * static_cast<double>(bars) + 40;
}

std::string ranked_bar_chart_svg(const RankedBarChart& c) {
  constexpr double left = 150, right = kRankedWidth - 44, top = 56;
  const double bottom = top + kRankedRow * static_cast<double>(c.bars.size());
  const auto x_of = [&](double v) {
    return left + std::clamp(v, 0.0, 100.0) / 100 * (right - left);
  };
  const std::string ink = fmt::format(" fill=\"{}\"", kInk);
  std::string out = accessible_svg(kRankedWidth, ranked_bar_chart_height(c.bars.size()), c.title);
  for (int v = 0; v <= 100; v += 20) {
    out += line(x_of(v), top - 4, x_of(v), bottom, "stroke=\"#d0d0d0\" stroke-width=\"0.5\"");
    out += text(x_of(v), top - 8, 11, "middle", std::to_string(v), ink);
    out += text(x_of(v), bottom + 14, 11, "middle", std::to_string(v), ink);
  }
  for (std::size_t k = 0; k < c.bars.size(); ++k) {
    const RankedBar& b = c.bars[k];
    const double y = top + kRankedRow * static_cast<double>(k);
    out += rect(left, y + 3, x_of(b.value) - left, kRankedRow - 6,
                b.meets_threshold ? kStrongColour : kWeakColour);
    out += text(left - 6, y + kRankedRow - 5, 11, "end", b.label, ink);
    // The value at the inner end of the bar, clear of the threshold line (white on the dark
    // colour, ink on the light one), or after a bar too short to hold it.
    const bool inside = b.value >= 25;
    out += text(inside ? x_of(b.value) - 3 : x_of(b.value) + 3, y + kRankedRow - 5, 10,
                inside ? "end" : "start", b.value_text,
                inside && b.meets_threshold ? std::string(" fill=\"#fff\"") : ink);
  }
  const char* dashed = "stroke-width=\"1\" stroke-dasharray=\"4 2\"";
  out += line(x_of(c.threshold), top - 4, x_of(c.threshold), bottom,
              fmt::format("stroke=\"{}\" {}", kThresholdColour, dashed));
  out += line(left, top, left, bottom, "stroke=\"#000\" stroke-width=\"0.75\"");
  out += text((left + right) / 2, bottom + 32, 12, "middle", c.x_label, ink);
  out += legend(10, 16, c.strong_legend, c.weak_legend);
  out += line(right - 90, 12, right - 72, 12,
              fmt::format("stroke=\"{}\" {}", kThresholdColour, dashed)) +
         text(right - 68, 16, 11, "start", c.threshold_label,
              fmt::format(" fill=\"{}\"", kThresholdColour));
  return out + "</svg>\n";
}

}  // namespace ita::report
