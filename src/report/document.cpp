#include "report/document.hpp"

#include <algorithm>
#include <set>

#include "core/thai.hpp"
#include "report/chart.hpp"
#include "report/text.hpp"

namespace ita::report {

namespace {

// Everything the section builders share.
struct Context {
  const ReportData& data;
  const DocumentOptions& options;
  const ReportText& text;
  Document& doc;

  void para(ParagraphStyle style, std::string s) const {
    doc.blocks.emplace_back(Paragraph{style, std::move(s)});
  }
  const Indicator& indicator(int id) const;
  std::string digits(const std::string& s) const {
    return maybe_thai_digits(s, options.thai_digits);
  }
};

const Indicator& Context::indicator(int id) const {
  static const Indicator unknown{};
  const Indicator* i = data.edition.find_indicator(id);
  return i == nullptr ? unknown : *i;
}

std::string str(int v) {
  return std::to_string(v);
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

std::string with_prefix(const std::string& value, const std::string& prefix) {
  if (value.empty()) return "";
  return " " + (starts_with(value, prefix) || starts_with(value, "เขต") || value == "กรุงเทพมหานคร"
                    ? value
                    : prefix + value);
}

// "เทศบาลตำบลแม่สายมิตรภาพ อำเภอแม่สาย จังหวัดเชียงราย".
std::string agency_full(const Context& c) {
  const io::AgencyInfo& a = c.data.agency;
  return a.name + with_prefix(a.district, c.text.fill("district_prefix")) +
         with_prefix(a.province, c.text.fill("province_prefix"));
}

std::string rule_min_text(double min_total) {
  const Rounded r = to_hundredths(min_total);
  return r == Rounded{0} ? "0" : format2(r);
}

// "95.00 - 100", "85.00 ขึ้นไป", "70.00 - 84.99": the score band a grade rule covers.
std::string grade_band(const Context& c, const std::vector<GradeRule>& rules, std::size_t k) {
  const GradeRule& rule = rules[k];
  const Vars min{{"min", rule_min_text(rule.min_total)}};
  if (k == 0) return c.text.fill("grading_range", {{"min", min[0].second}, {"max", "100"}});
  const bool shared = std::any_of(rules.begin(), rules.end(), [&](const GradeRule& r) {
    return &r != &rule && to_hundredths(r.min_total) == to_hundredths(rule.min_total);
  });
  if (rule.min_every_tool || shared) return c.text.fill("grading_at_least", min);
  Rounded next_up{10000};
  for (std::size_t j = 0; j < k; ++j) {
    const Rounded m = to_hundredths(rules[j].min_total);
    if (m > to_hundredths(rule.min_total)) next_up = std::min(next_up, m);
  }
  return c.text.fill("grading_range",
                     {{"min", min[0].second}, {"max", format2(Rounded{next_up.hundredths - 1})}});
}

// Whether a printed condition states nothing: empty, or the seed's "-ไม่มี-" (no condition).
bool says_nothing(std::string_view condition) {
  std::string core;
  for (char ch : condition)
    if (ch != '-' && ch != ' ') core += ch;
  return core.empty() || core == "ไม่มี";
}

// What level `k` requires, from its rule, when the edition prints no condition for it: the band
// of the total up to the lowest level above that asks for the total only (an agency at or over
// that total has that level at least), and whether a level above with a per-tool condition
// could also fall to this one.
std::string grade_condition(const Context& c, const std::vector<GradeRule>& rules, std::size_t k) {
  const GradeRule& rule = rules[k];
  if (!says_nothing(rule.condition_th)) return rule.condition_th;
  const std::string min = threshold_text(to_hundredths(rule.min_total));
  if (rule.min_every_tool) {
    return c.text.fill(
        "grading_condition_every_tool",
        {{"min", min}, {"every", threshold_text(to_hundredths(*rule.min_every_tool))}});
  }
  std::optional<Rounded> below;  // the lowest minimum total of a total-only level above
  for (std::size_t j = 0; j < k; ++j) {
    const Rounded m = to_hundredths(rules[j].min_total);
    if (!rules[j].min_every_tool && (!below || m < *below)) below = m;
  }
  bool by_tool = false;  // an agency may fall here from a level above by one tool's score
  for (std::size_t j = 0; j < k; ++j) {
    if (rules[j].min_every_tool && (!below || to_hundredths(rules[j].min_total) < *below))
      by_tool = true;
  }
  if (!below) {
    return c.text.fill("grading_condition_at_least", {{"min", min}}) +
           (by_tool ? c.text.fill("grading_condition_but_tool") : "");
  }
  const std::string band =
      to_hundredths(rule.min_total) == Rounded{0}
          ? c.text.fill("grading_condition_below", {{"below", threshold_text(*below)}})
          : c.text.fill("grading_condition_band",
                        {{"min", min}, {"below", threshold_text(*below)}});
  return band + (by_tool ? c.text.fill("grading_condition_or_tool") : "");
}

Table grading_table(const Context& c) {
  const auto headers = c.text.fill_list("grading_headers");
  Table t{{{headers[0], 0.2}, {headers[1], 0.56}, {headers[2], 0.24}}, {}};
  const auto& rules = c.data.edition.grading.rules;
  for (std::size_t k = 0; k < rules.size(); ++k) {
    const std::string cond = grade_condition(c, rules, k);
    t.rows.push_back({Cell{{grade_band(c, rules, k)}, Align::Center}, Cell{{cond}, Align::Left},
                      Cell{{rules[k].label_th}, Align::Center}});
  }
  return t;
}

std::string tool_indicator_phrase(const Context& c, int id) {
  std::vector<std::string> subs;
  for (const auto& s : c.data.edition.oit.sub_indicators) {
    if (s.indicator == id) subs.push_back(s.name_th);
  }
  const std::string& name = c.indicator(id).name_th;
  if (subs.empty()) return c.text.fill("tool_indicator", {{"name", name}});
  return c.text.fill("tool_indicator_with_subs", {{"name", name},
                                                  {"count", str(static_cast<int>(subs.size()))},
                                                  {"subs", join_list(c.text, subs)}});
}

void section_principles(const Context& c) {
  c.para(ParagraphStyle::Heading, c.text.fill("s1_heading"));
  c.para(ParagraphStyle::Body, c.text.fill("principles"));
  c.para(ParagraphStyle::Body, c.text.fill("tools_intro"));
  int n = 0;
  for (const Tool& tool : c.data.edition.tools) {
    std::vector<std::string> names;
    const auto ids = c.data.edition.indicators_of(tool.id);
    for (int id : ids) names.push_back(tool_indicator_phrase(c, id));
    const std::string code(tool_code(tool.id));
    c.para(ParagraphStyle::Body,
           c.text.fill("tool_item", {{"n", str(++n)},
                                     {"name_th", tool.name_th},
                                     {"name_en", tool.name_en},
                                     {"code", code},
                                     {"description", c.text.fill("tool_description." + code)},
                                     {"count", str(static_cast<int>(ids.size()))},
                                     {"indicators", join_list(c.text, names)}}));
  }
  c.para(ParagraphStyle::Caption, c.text.fill("grading_caption"));
  c.doc.blocks.emplace_back(grading_table(c));
}

Chart indicator_chart(const Context& c) {
  BarChart chart;
  chart.threshold = c.data.analysis.strength_min.value();
  chart.threshold_label = c.digits(
      c.text.fill("chart_threshold", {{"min", threshold_text(c.data.analysis.strength_min)}}));
  chart.x_label = c.text.fill("chart_x_label");
  chart.y_label = c.text.fill("chart_y_label");
  for (int v = 0; v <= 100; v += 20) chart.y_tick_labels.push_back(c.digits(str(v)));
  for (const auto& i : c.data.result.indicators) {
    const Rounded shown = round2(i.score);
    chart.bars.push_back({c.digits(str(i.id)), shown.value(), c.digits(score_text(shown)),
                          shown >= c.data.analysis.strength_min});
  }
  return Chart{bar_chart_svg(chart), kChartWidth, kChartHeight, c.text.fill("chart_caption")};
}

Table ranking_table(const Context& c) {
  const auto headers = c.text.fill_list("ranking_headers");
  Table t{{{headers[0], 1}, {headers[1], 1}, {headers[2], 1}}, {}};
  for (const auto& r : c.data.analysis.ranking) {
    t.rows.push_back({Cell{{str(r.rank)}, Align::Center}, Cell{{str(r.id)}, Align::Center},
                      Cell{{score_text(r.shown)}, Align::Center}});
  }
  return t;
}

std::string indicator_refs(const Context& c, const std::vector<int>& ids) {
  std::string out;
  for (int id : ids) {
    if (!out.empty()) out += c.text.fill("refs_separator");
    out += c.text.fill("indicator_ref", {{"id", str(id)}, {"name", c.indicator(id).name_th}});
  }
  return out;
}

std::vector<int> ids_scoring(const Analysis& a, Rounded score) {
  std::vector<int> ids;
  for (const auto& r : a.ranking) {
    if (r.shown == score) ids.push_back(r.id);
  }
  return ids;
}

// "สรุปได้ว่า จุดแข็งที่หน่วยงานได้คะแนนสูงสุด... ส่วนที่ต้องพัฒนาเนื่องจากคะแนนต่ำสุด คือ ...".
std::string summary(const Context& c) {
  const Analysis& a = c.data.analysis;
  if (a.ranking.empty()) return "";
  const Rounded top = a.ranking.front().shown;
  const Rounded bottom = a.ranking.back().shown;
  const Vars top_vars{{"score", score_text(top)},
                      {"indicators", indicator_refs(c, ids_scoring(a, top))}};
  std::string s =
      c.text.fill(top >= a.strength_min ? "summary_top_strength" : "summary_top", top_vars);
  if (bottom == top) return s;
  const Vars bottom_vars{{"score", score_text(bottom)},
                         {"indicators", indicator_refs(c, ids_scoring(a, bottom))}};
  return s + " " +
         c.text.fill(bottom < a.strength_min ? "summary_bottom_weakness" : "summary_bottom",
                     bottom_vars);
}

void section_result(const Context& c) {
  const Vars vars{{"result_year", str(c.data.edition.fiscal_year)},
                  {"agency", agency_full(c)},
                  {"agency_name", c.data.agency.name},
                  {"total", score_text(round2(c.data.result.total))},
                  {"level", c.data.result.level.label_th}};
  c.para(ParagraphStyle::Heading, c.text.fill("s2_heading", vars));
  c.para(ParagraphStyle::Body, c.text.fill("s2_result", vars));
  if (!c.data.provisional_notice.empty())
    c.para(ParagraphStyle::Caption, c.data.provisional_notice);
  c.para(ParagraphStyle::Caption, c.text.fill("chart_caption"));
  c.doc.blocks.emplace_back(indicator_chart(c));
  c.para(ParagraphStyle::Caption, c.text.fill("ranking_caption"));
  c.doc.blocks.emplace_back(ranking_table(c));
  c.para(ParagraphStyle::Body, summary(c));
}

void findings(const Context& c, const std::vector<int>& ids) {
  if (ids.empty()) {
    c.para(ParagraphStyle::Body, c.text.fill("none"));
    return;
  }
  int n = 0;
  for (int id : ids) {
    const IndicatorScore* s = c.data.result.indicator(id);
    const Indicator& ind = c.indicator(id);
    c.para(ParagraphStyle::Body,
           c.text.fill("finding", {{"n", str(++n)},
                                   {"id", str(id)},
                                   {"name", ind.name_th},
                                   {"score", score_text(round2(s == nullptr ? 0 : s->score))},
                                   {"explanation", ind.explanation_th}}));
  }
}

void section_analysis(const Context& c) {
  const Vars vars{{"result_year", str(c.data.edition.fiscal_year)},
                  {"agency_name", c.data.agency.name},
                  {"min", threshold_text(c.data.analysis.strength_min)}};
  c.para(ParagraphStyle::Heading, c.text.fill("s3_heading", vars));
  c.para(ParagraphStyle::Heading, c.text.fill("s31_heading", vars));
  findings(c, c.data.analysis.strengths);
  c.para(ParagraphStyle::Heading, c.text.fill("s32_heading", vars));
  findings(c, c.data.analysis.weaknesses);
}

std::vector<std::string> item_lines(const Context& c, int id) {
  std::vector<std::string> lines;
  int n = 0;
  if (auto it = c.data.analysis.items_below.find(id); it != c.data.analysis.items_below.end()) {
    for (const auto& f : it->second) {
      lines.push_back(c.text.fill(
          "s4_item", {{"n", str(++n)}, {"text", f.text_th}, {"score", score_text(f.shown)}}));
    }
  }
  for (const auto& f : c.data.analysis.oit_zero) {
    if (f.indicator != id) continue;
    lines.push_back(
        c.text.fill("s4_oit_item", {{"n", str(++n)}, {"code", f.code}, {"text", f.text_th}}));
  }
  return lines;
}

std::vector<std::string> method_lines(const Context& c, int id) {
  std::vector<std::string> lines;
  for (const auto& m : c.data.plan.methods) {
    if (m.indicator == id) lines.push_back(m.text_th);
  }
  if (lines.empty()) lines.push_back(c.text.fill("s4_no_method"));
  return lines;
}

// The indicators of section ๔: those to improve, and any the plan gives methods for.
std::vector<int> section4_indicators(const Context& c) {
  const auto targets = indicators_to_improve(c.data.analysis);
  std::set<int> ids(targets.begin(), targets.end());
  for (const auto& m : c.data.plan.methods) ids.insert(m.indicator);
  return {ids.begin(), ids.end()};
}

void improvement_rows(const Context& c, int id, Table& t) {
  std::vector<std::string> items = item_lines(c, id);
  if (items.empty()) {
    const IndicatorScore* s = c.data.result.indicator(id);
    const bool has_item_data = std::any_of(c.data.result.items.begin(), c.data.result.items.end(),
                                           [&](const ItemScore& i) { return i.indicator == id; });
    const std::string score = score_text(round2(s == nullptr ? 0 : s->score));
    items.push_back(has_item_data ? c.text.fill("s4_indicator_score", {{"score", score}})
                                  : c.text.fill("s4_no_items", {{"score", score}}));
  }
  for (std::size_t k = 0; k < items.size(); ++k) {
    const bool first = k == 0;
    Cell indicator_cell{
        first ? std::vector<std::string>{c.text.fill(
                    "s4_indicator", {{"id", str(id)}, {"name", c.indicator(id).name_th}})}
              : std::vector<std::string>{},
        Align::Left, !first};
    Cell methods_cell{first ? method_lines(c, id) : std::vector<std::string>{}, Align::Left,
                      !first};
    t.rows.push_back({std::move(indicator_cell), Cell{{items[k]}, Align::Left, false, true},
                      std::move(methods_cell)});
  }
}

void section_improvements(const Context& c) {
  c.para(ParagraphStyle::Heading, c.text.fill("s4_heading", {{"agency_name", c.data.agency.name}}));
  const auto ids = section4_indicators(c);
  if (ids.empty()) {
    c.para(ParagraphStyle::Body, c.text.fill("s4_empty"));
    return;
  }
  const auto headers =
      c.text.fill_list("s4_headers", {{"item_min", threshold_text(c.data.analysis.item_min)}});
  Table t{{{headers[0], 0.22}, {headers[1], 0.46}, {headers[2], 0.32}}, {}};
  for (int id : ids) improvement_rows(c, id, t);
  c.doc.blocks.emplace_back(std::move(t));
}

std::string due_text(const Context& c, const Measure& m) {
  const FiscalYear fy = c.data.plan.fiscal_year;
  if (!m.due) return c.text.fill("s5_all_year", {{"plan_year", str(fy.be)}});
  const auto d = *m.due;
  if (!c.options.be_dates) return c.text.fill("s5_due_day", {{"date", format_iso_date(d)}});
  const bool month_end = std::chrono::year_month_day{d.year() / d.month() / std::chrono::last} == d;
  if (!month_end) return c.text.fill("s5_due_day", {{"date", format_thai_date(d)}});
  return c.text.fill("s5_due_month", {{"month", std::string(thai_month_name(unsigned(d.month())))},
                                      {"year", str(be_from_ce(int(d.year())))}});
}

std::vector<Cell> measure_row(const Context& c, const Measure& m) {
  std::vector<std::string> steps;
  for (const auto& s : m.steps_th) steps.push_back(c.text.fill("s5_step", {{"text", s}}));
  std::string monitoring = m.monitoring_th;
  monitoring += (monitoring.empty() ? "" : " ") + due_text(c, m);
  return {Cell{{m.title_th}}, Cell{steps, Align::Left, false, true},
          Cell{{m.responsible_th}, Align::Center}, Cell{{monitoring}}};
}

void section_measures(const Context& c) {
  c.para(ParagraphStyle::Heading,
         c.text.fill("s5_heading", {{"plan_year", str(c.data.plan.fiscal_year.be)}}));
  if (c.data.plan.measures.empty()) {
    c.para(ParagraphStyle::Body, c.text.fill("s5_empty"));
    return;
  }
  const auto headers = c.text.fill_list("s5_headers");
  Table t{{{headers[0], 0.27}, {headers[1], 0.39}, {headers[2], 0.14}, {headers[3], 0.20}}, {}};
  for (const auto& m : c.data.plan.measures) t.rows.push_back(measure_row(c, m));
  c.doc.blocks.emplace_back(std::move(t));
}

// The closing block of an official Thai document: the date it is announced, then who signs it.
// A field the plan leaves empty is a dotted line, to be filled in by hand.
void signature_block(const Context& c) {
  const PlanSignature& s = c.data.plan.signature;
  if (!s.date) {
    c.para(ParagraphStyle::Signature, c.text.fill("sign_date_blank"));
  } else if (!c.options.be_dates) {
    c.para(ParagraphStyle::Signature,
           c.text.fill("sign_date", {{"date", format_iso_date(*s.date)}}));
  } else {
    const std::string month(thai_month_name(unsigned(s.date->month())));
    c.para(ParagraphStyle::Signature,
           c.text.fill("sign_date_be", {{"day", str(int(unsigned(s.date->day())))},
                                        {"month", month},
                                        {"year", str(be_from_ce(int(s.date->year())))}}));
  }
  c.para(ParagraphStyle::Signature, c.text.fill("sign_line"));
  c.para(ParagraphStyle::Signature, s.name_th.empty()
                                        ? c.text.fill("sign_name_blank")
                                        : c.text.fill("sign_name", {{"name", s.name_th}}));
  c.para(ParagraphStyle::Signature,
         s.position_th.empty() ? c.text.fill("sign_position_blank")
                               : c.text.fill("sign_position", {{"position", s.position_th}}));
}

// Thai digits throughout the text (the chart's SVG already has them in its labels only).
void apply_thai_digits(Document& doc) {
  for (auto& block : doc.blocks) {
    if (auto* p = std::get_if<Paragraph>(&block)) p->text = to_thai_digits(p->text);
    if (auto* ch = std::get_if<Chart>(&block)) ch->description = to_thai_digits(ch->description);
    if (auto* t = std::get_if<Table>(&block)) {
      for (auto& col : t->columns) col.header = to_thai_digits(col.header);
      for (auto& row : t->rows) {
        for (auto& cell : row) {
          for (auto& line : cell.lines) line = to_thai_digits(line);
        }
      }
    }
  }
  doc.title = to_thai_digits(doc.title);
}

}  // namespace

std::string threshold_text(Rounded r) {
  return r.hundredths % 100 == 0 ? std::to_string(r.hundredths / 100) : format2(r);
}

std::string score_text(Rounded r) {
  if (r == Rounded{10000}) return "100";
  if (r == Rounded{0}) return "0";
  return format2(r);
}

Document build_document(const ReportData& data, const DocumentOptions& options) {
  Document doc;
  const ReportText& text = ReportText::builtin();
  const Context c{data, options, text, doc};
  doc.title = text.fill("title", {{"plan_year", str(data.plan.fiscal_year.be)}});
  doc.author = data.agency.name;
  doc.thai_digits = options.thai_digits;
  doc.keep_together = text.fill_list("keep_together");
  if (!data.agency.name.empty()) doc.keep_together.push_back(data.agency.name);
  c.para(ParagraphStyle::Title, doc.title);
  c.para(ParagraphStyle::Subtitle, text.fill("agency_line", {{"agency", agency_full(c)}}));
  section_principles(c);
  section_result(c);
  section_analysis(c);
  section_improvements(c);
  section_measures(c);
  signature_block(c);
  if (options.thai_digits) apply_thai_digits(doc);
  return doc;
}

}  // namespace ita::report
