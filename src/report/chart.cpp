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

}  // namespace ita::report
