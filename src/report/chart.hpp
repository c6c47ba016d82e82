#pragma once
// The indicator bar chart, drawn once as SVG: inlined in HTML, drawn by librsvg in PDF and DOCX.
#include <cstddef>
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

// A histogram of counts (the dashboard's distribution of totals): one column per bin over a
// numeric x axis, a count axis with round ticks from 0, a legend of the two colours.
struct CountBin {
  double from = 0;  // [from, to) on the x axis
  double to = 0;
  std::size_t count = 0;
  bool meets_threshold = false;  // drawn in the "strong" colour
};

struct Histogram {
  std::vector<CountBin> bins;  // left to right, adjacent
  std::string title;           // the accessible name: <title> and aria-label
  std::string x_label;
  std::string y_label;
  double x_tick_step = 10;    // a labelled tick every this many x units, from bins.front().from
  std::string strong_legend;  // "85 ขึ้นไป"
  std::string weak_legend;    // "ต่ำกว่า 85"
};

// A standalone SVG (role="img", with <title> and aria-label = title) of kHistogramWidth ×
// kHistogramHeight user units; an empty `bins` gives the axes alone. Text is XML-escaped.
inline constexpr double kHistogramWidth = 480;
inline constexpr double kHistogramHeight = 280;
std::string histogram_svg(const Histogram& chart);

// Horizontal bars in the order given (the dashboard's provinces, best first), one labelled row
// each, a 0–100 value axis, a threshold line and a legend.
struct RankedBar {
  std::string label;  // left of the bar
  double value = 0;   // 0..100
  std::string value_text;
  bool meets_threshold = false;
};

struct RankedBarChart {
  std::vector<RankedBar> bars;
  std::string title;  // the accessible name
  std::string x_label;
  double threshold = 85;
  std::string threshold_label;
  std::string strong_legend;
  std::string weak_legend;
};

// A standalone SVG (role="img", <title>, aria-label) kRankedWidth user units wide and
// ranked_bar_chart_height(bars) high. Text is XML-escaped.
inline constexpr double kRankedWidth = 480;
inline constexpr double kRankedRow = 18;
double ranked_bar_chart_height(std::size_t bars);
std::string ranked_bar_chart_svg(const RankedBarChart& chart);

// `s` without what XML 1.0 cannot hold: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; bytes
// that are not UTF-8. Markup characters are left as they are (for writers that escape
// themselves, such as libxlsxwriter).
std::string xml_chars(std::string_view s);

// `s` as XML 1.0 character data or attribute value: xml_chars(s) with the markup characters
// & < > " ' escaped. Also valid HTML text and quoted attribute values.
std::string xml_escape(const std::string& s);

}  // namespace ita::report
