#pragma once
// The indicator bar chart, drawn once as SVG: inlined in HTML, drawn by librsvg in PDF and DOCX.
#include <string>
#include <string_view>
#include <vector>

namespace ita::report {

struct ChartBar {
  std::string label;       // under the bar ("1".."10")
  double value = 0;        // 0..100
  std::string value_text;  // above the bar
  bool meets_threshold = false;
};

struct BarChart {
  std::vector<ChartBar> bars;
  double threshold = 85;
  std::string threshold_label;  // "เกณฑ์ 85"
  std::string x_label;
  std::string y_label;
  std::vector<std::string> y_tick_labels;  // for 0, 20, 40, 60, 80, 100
};

inline constexpr double kChartWidth = 440;
inline constexpr double kChartHeight = 230;

// A standalone SVG document of kChartWidth × kChartHeight user units; text is XML-escaped.
std::string bar_chart_svg(const BarChart& chart);

// `s` without what XML 1.0 cannot hold: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; bytes
// that are not UTF-8. Markup characters are left as they are (for writers that escape
// themselves, such as libxlsxwriter).
std::string xml_chars(std::string_view s);

// `s` as XML 1.0 character data or attribute value: xml_chars(s) with the markup characters
// & < > " ' escaped. Also valid HTML text and quoted attribute values.
std::string xml_escape(const std::string& s);

}  // namespace ita::report
