#include "core/edition.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/text_rules.hpp"

namespace ita {

std::string_view tool_code(ToolId t) {
  switch (t) {
    case ToolId::IIT:
      return "IIT";
    case ToolId::EIT:
      return "EIT";
    case ToolId::OIT:
      return "OIT";
  }
  return "?";
}

std::optional<ToolId> parse_tool(std::string_view code) {
  for (ToolId t : kAllTools) {
    if (tool_code(t) == code) return t;
  }
  return std::nullopt;
}

std::string_view provenance_code(ProvenanceStatus s) {
  switch (s) {
    case ProvenanceStatus::Official:
      return "official";
    case ProvenanceStatus::Reconstructed:
      return "reconstructed";
    case ProvenanceStatus::Partial:
      return "partial";
  }
  return "?";
}

std::string_view provenance_label_th(ProvenanceStatus s) {
  switch (s) {
    case ProvenanceStatus::Official:
      return "ทางการ";
    case ProvenanceStatus::Reconstructed:
      return "สร้างจากแหล่งรอง";
    case ProvenanceStatus::Partial:
      return "ไม่ครบถ้วน";
  }
  return "?";
}

std::optional<ProvenanceStatus> parse_provenance(std::string_view code) {
  for (auto s :
       {ProvenanceStatus::Official, ProvenanceStatus::Reconstructed, ProvenanceStatus::Partial}) {
    if (provenance_code(s) == code) return s;
  }
  return std::nullopt;
}

const ScaleOption* Scale::find(std::string_view code) const {
  for (const auto& o : options) {
    if (o.code == code) return &o;
  }
  return nullptr;
}

double Scale::min_points() const {
  double m = 100;
  for (const auto& o : options) m = std::min(m, o.points);
  return m;
}

double Scale::max_points() const {
  double m = 0;
  for (const auto& o : options) m = std::max(m, o.points);
  return m;
}

int sample_target(const SampleRule& rule, int population) {
  if (population <= 0) return 0;
  int n = static_cast<int>(std::ceil(rule.fraction * population - 1e-9));
  n = std::max(n, rule.min);
  if (rule.max) n = std::min(n, *rule.max);
  return std::min(n, population);
}

void Edition::reindex() {
  answer_units_.clear();
  items_.clear();
  oit_items_.clear();
  for (ToolId t : {ToolId::IIT, ToolId::EIT}) {
    const auto& q = questionnaire(t);
    for (std::size_t i = 0; i < q.items.size(); ++i) {
      items_.emplace(q.items[i].code, std::pair{t, i});
      for (std::size_t s = 0; s < q.items[i].sub_items.size(); ++s) {
        answer_units_.emplace(q.items[i].sub_items[s].code, AnswerUnitRef{i, s, t});
      }
    }
  }
  for (std::size_t i = 0; i < oit.items.size(); ++i) oit_items_.emplace(oit.items[i].code, i);
}

const Tool* Edition::find_tool(ToolId t) const {
  for (const auto& tool : tools) {
    if (tool.id == t) return &tool;
  }
  return nullptr;
}

const Indicator* Edition::find_indicator(int ind) const {
  for (const auto& i : indicators) {
    if (i.id == ind) return &i;
  }
  return nullptr;
}

const Questionnaire& Edition::questionnaire(ToolId t) const {
  return t == ToolId::EIT ? eit : iit;
}

const Item* Edition::find_item(std::string_view code) const {
  auto it = items_.find(std::string(code));
  if (it == items_.end()) return nullptr;
  return &questionnaire(it->second.first).items[it->second.second];
}

std::optional<AnswerUnitRef> Edition::find_answer_unit(std::string_view code) const {
  auto it = answer_units_.find(std::string(code));
  if (it == answer_units_.end()) return std::nullopt;
  return it->second;
}

const OitItem* Edition::find_oit_item(std::string_view code) const {
  auto it = oit_items_.find(std::string(code));
  return it == oit_items_.end() ? nullptr : &oit.items[it->second];
}

std::vector<int> Edition::indicators_of(ToolId t) const {
  std::vector<int> out;
  for (const auto& i : indicators) {
    if (i.tool == t) out.push_back(i.id);
  }
  return out;
}

const Scale& Edition::scale_of(const AnswerUnitRef& ref) const {
  const auto& sub = questionnaire(ref.tool).items[ref.item].sub_items[ref.sub_item];
  return scales.at(sub.scale);
}

std::optional<double> Edition::points(const AnswerUnitRef& ref, std::string_view option) const {
  const auto& sub = questionnaire(ref.tool).items[ref.item].sub_items[ref.sub_item];
  const Scale& scale = scales.at(sub.scale);
  const ScaleOption* o = scale.find(option);
  if (o == nullptr) return std::nullopt;
  return sub.reverse ? scale.max_points() + scale.min_points() - o->points : o->points;
}

namespace {

class Checker {
 public:
  explicit Checker(const Edition& e) : e_(e) {}

  std::vector<EditionProblem> run() {
    check_tools();
    check_indicators();
    check_scales();
    check_questionnaire("iit", e_.iit, ToolId::IIT);
    check_questionnaire("eit", e_.eit, ToolId::EIT);
    check_oit();
    check_grading();
    check_texts();
    return std::move(problems_);
  }

 private:
  void fail(std::string field, std::string en, std::string th) {
    problems_.push_back({std::move(field), std::move(en), std::move(th)});
  }

  void check_tools() {
    double sum = 0;
    std::set<ToolId> seen;
    for (std::size_t i = 0; i < e_.tools.size(); ++i) {
      const auto& t = e_.tools[i];
      const std::string f = "tools.list[" + std::to_string(i) + "]";
      if (!seen.insert(t.id).second) fail(f + ".id", "tool listed twice", "ระบุเครื่องมือนี้ซ้ำ");
      if (!(t.weight > 0 && t.weight <= 1))
        fail(f + ".weight", "expected a weight in (0, 1]", "น้ำหนักต้องมากกว่า 0 และไม่เกิน 1");
      sum += t.weight;
    }
    if (seen.size() != 3)
      fail("tools.list", "expected the three tools IIT, EIT and OIT",
           "ต้องมีเครื่องมือครบทั้งสาม คือ IIT, EIT และ OIT");
    if (std::abs(sum - 1.0) > 1e-9)
      fail("tools.weights", "weights must sum to 1, they sum to " + std::to_string(sum),
           "น้ำหนักของเครื่องมือต้องรวมกันได้ 1 แต่รวมได้ " + std::to_string(sum));
  }

  void check_indicators() {
    std::set<int> seen;
    for (std::size_t i = 0; i < e_.indicators.size(); ++i) {
      const auto& ind = e_.indicators[i];
      const std::string f = "indicators.list[" + std::to_string(i) + "]";
      if (ind.id <= 0)
        fail(f + ".id", "expected a positive indicator number", "หมายเลขตัวชี้วัดต้องเป็นจำนวนเต็มบวก");
      if (!seen.insert(ind.id).second)
        fail(f + ".id", "indicator " + std::to_string(ind.id) + " listed twice",
             "ระบุตัวชี้วัดที่ " + std::to_string(ind.id) + " ซ้ำ");
      if (ind.name_th.empty())
        fail(f + ".name_th", "expected the indicator's Thai name", "ต้องระบุชื่อตัวชี้วัดภาษาไทย");
    }
    for (ToolId t : kAllTools) {
      if (e_.indicators_of(t).empty())
        fail("indicators.list", "tool " + std::string(tool_code(t)) + " has no indicator",
             "เครื่องมือ " + std::string(tool_code(t)) + " ไม่มีตัวชี้วัด");
    }
  }

  void check_scales() {
    for (const auto& [id, s] : e_.scales) {
      const std::string f = "scales." + id;
      if (s.options.size() < 2)
        fail(f + ".options", "expected at least two options", "มาตราส่วนต้องมีตัวเลือกอย่างน้อยสองตัวเลือก");
      std::set<std::string> codes;
      for (std::size_t i = 0; i < s.options.size(); ++i) {
        const auto& o = s.options[i];
        const std::string of = f + ".options[" + std::to_string(i) + "]";
        if (o.code.empty())
          fail(of + ".code", "expected a non-empty option code", "ต้องระบุรหัสตัวเลือก");
        if (!codes.insert(o.code).second)
          fail(of + ".code", "option code '" + o.code + "' used twice",
               "รหัสตัวเลือก '" + o.code + "' ซ้ำ");
        if (!(o.points >= 0 && o.points <= 100))
          fail(of + ".points", "expected points in 0..100", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100");
      }
    }
  }

  void check_questionnaire(const std::string& name, const Questionnaire& q, ToolId tool) {
    for (std::size_t i = 0; i < q.items.size(); ++i) {
      const auto& item = q.items[i];
      const std::string f = name + ".items[" + std::to_string(i) + "]";
      check_code(f + ".code", item.code);
      const Indicator* ind = e_.find_indicator(item.indicator);
      if (ind == nullptr) {
        fail(f + ".indicator", "unknown indicator " + std::to_string(item.indicator),
             "ไม่พบตัวชี้วัดที่ " + std::to_string(item.indicator));
      } else if (ind->tool != tool) {
        const std::string owner(tool_code(ind->tool)), expected(tool_code(tool));
        fail(f + ".indicator",
             "indicator " + std::to_string(item.indicator) + " belongs to " + owner + ", not " +
                 expected,
             "ตัวชี้วัดที่ " + std::to_string(item.indicator) + " เป็นของ " + owner + " ไม่ใช่ " + expected);
      }
      if (item.sub_items.empty())
        fail(f + ".sub_items", "expected at least one answer unit",
             "ข้อคำถามต้องมีหน่วยคำตอบอย่างน้อยหนึ่งหน่วย");
      for (std::size_t s = 0; s < item.sub_items.size(); ++s) {
        const auto& sub = item.sub_items[s];
        const std::string sf = f + ".sub_items[" + std::to_string(s) + "]";
        if (sub.code != item.code) check_code(sf + ".code", sub.code);
        if (!e_.scales.contains(sub.scale))
          fail(sf + ".scale", "unknown scale '" + sub.scale + "'",
               "ไม่พบมาตราส่วน '" + sub.scale + "'");
      }
    }
  }

  void check_oit() {
    std::set<std::string> subs;
    for (std::size_t i = 0; i < e_.oit.sub_indicators.size(); ++i) {
      const auto& s = e_.oit.sub_indicators[i];
      const std::string f = "oit.sub_indicators[" + std::to_string(i) + "]";
      if (!subs.insert(s.id).second)
        fail(f + ".id", "sub-indicator '" + s.id + "' listed twice",
             "ระบุตัวชี้วัดย่อย '" + s.id + "' ซ้ำ");
      check_oit_indicator(f + ".indicator", s.indicator);
    }
    for (std::size_t i = 0; i < e_.oit.items.size(); ++i) {
      const auto& item = e_.oit.items[i];
      const std::string f = "oit.items[" + std::to_string(i) + "]";
      check_code(f + ".code", item.code);
      if (!item.sub_indicator.empty() && !subs.contains(item.sub_indicator)) {
        fail(f + ".sub_indicator", "unknown sub-indicator '" + item.sub_indicator + "'",
             "ไม่พบตัวชี้วัดย่อย '" + item.sub_indicator + "'");
      }
      check_oit_indicator(f + ".indicator", item.indicator);
    }
    if (e_.oit.aggregation == OitAggregation::SubIndicatorMean) {
      for (std::size_t i = 0; i < e_.oit.items.size(); ++i) {
        if (e_.oit.items[i].sub_indicator.empty()) {
          fail("oit.items[" + std::to_string(i) + "].sub_indicator",
               "aggregation 'sub_indicator_mean' needs every item in a sub-indicator",
               "การรวมคะแนนแบบ sub_indicator_mean ต้องให้ทุกข้ออยู่ในตัวชี้วัดย่อย");
        }
      }
    }
  }

  void check_oit_indicator(const std::string& f, int id) {
    const Indicator* ind = e_.find_indicator(id);
    if (ind == nullptr || ind->tool != ToolId::OIT)
      fail(f, "expected an OIT indicator, got " + std::to_string(id),
           "ต้องเป็นตัวชี้วัดของ OIT แต่ระบุ " + std::to_string(id));
  }

  void check_grading() {
    const auto& rules = e_.grading.rules;
    if (rules.empty()) {
      fail("grading.rules", "expected at least one rule", "ต้องมีเกณฑ์อย่างน้อยหนึ่งระดับ");
      return;
    }
    std::set<std::string> codes;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const std::string f = "grading.rules[" + std::to_string(i) + "]";
      if (!codes.insert(rules[i].code).second)
        fail(f + ".code", "level code '" + rules[i].code + "' used twice",
             "รหัสระดับ '" + rules[i].code + "' ซ้ำ");
      if (rules[i].label_th.empty())
        fail(f + ".label_th", "expected the level's Thai label", "ต้องระบุชื่อระดับภาษาไทย");
      if (!(rules[i].min_total >= 0 && rules[i].min_total <= 100))
        fail(f + ".min_total", "expected 0..100", "ต้องอยู่ระหว่าง 0 ถึง 100");
      if (i > 0 && rules[i].min_total > rules[i - 1].min_total) {
        fail(f + ".min_total",
             "rules must go from the best level down: min_total rises after rule " +
                 std::to_string(i - 1),
             "เกณฑ์ต้องเรียงจากระดับสูงสุดลงมา แต่คะแนนรวมขั้นต่ำสูงกว่าเกณฑ์ก่อนหน้า");
      }
    }
    if (rules.back().min_total != 0 || rules.back().min_every_tool) {
      fail("grading.rules.last",
           "the last rule must have min_total 0 and no tool condition, so every score gets a level",
           "เกณฑ์สุดท้ายต้องมีคะแนนรวมขั้นต่ำ (min_total) เป็น 0 และไม่มีเงื่อนไขรายเครื่องมือ เพื่อให้ทุกคะแนนได้ระดับ");
    }
  }

  // Every text of the edition follows the rule of stored text (core/text_rules.hpp): an edition
  // is shown on pages and written into documents and spreadsheets like any other stored text.
  void check_texts() {
    text("title_th", e_.title_th);
    provenance("provenance", e_.provenance);
    provenance("tools.provenance", e_.tools_provenance);
    provenance("indicators.provenance", e_.indicators_provenance);
    for (std::size_t i = 0; i < e_.tools.size(); ++i) {
      const std::string f = "tools.list[" + std::to_string(i) + "]";
      text(f + ".name_th", e_.tools[i].name_th);
      text(f + ".name_en", e_.tools[i].name_en);
    }
    for (std::size_t i = 0; i < e_.indicators.size(); ++i) {
      const auto& ind = e_.indicators[i];
      const std::string f = "indicators.list[" + std::to_string(i) + "]";
      text(f + ".name_th", ind.name_th);
      text(f + ".name_en", ind.name_en);
      text(f + ".explanation_th", ind.explanation_th);
    }
    for (const auto& [id, scale] : e_.scales) {
      text("scales." + id + ".id", id);
      text("scales." + id + ".name_th", scale.name_th);
      provenance("scales." + id + ".provenance", scale.provenance);
      for (std::size_t i = 0; i < scale.options.size(); ++i) {
        const std::string f = "scales." + id + ".options[" + std::to_string(i) + "]";
        text(f + ".code", scale.options[i].code);
        text(f + ".label_th", scale.options[i].label_th);
      }
    }
    questionnaire_texts("iit", e_.iit);
    questionnaire_texts("eit", e_.eit);
    provenance("oit.provenance", e_.oit.provenance);
    for (std::size_t i = 0; i < e_.oit.sub_indicators.size(); ++i) {
      const std::string f = "oit.sub_indicators[" + std::to_string(i) + "]";
      text(f + ".id", e_.oit.sub_indicators[i].id);
      text(f + ".name_th", e_.oit.sub_indicators[i].name_th);
    }
    for (std::size_t i = 0; i < e_.oit.items.size(); ++i) {
      const std::string f = "oit.items[" + std::to_string(i) + "]";
      text(f + ".code", e_.oit.items[i].code);
      text(f + ".name_th", e_.oit.items[i].name_th);
      text(f + ".criteria_th", e_.oit.items[i].criteria_th);
      for (std::size_t k = 0; k < e_.oit.items[i].keywords_th.size(); ++k) {
        const std::string kf = f + ".keywords_th[" + std::to_string(k) + "]";
        const std::string& word = e_.oit.items[i].keywords_th[k];
        text(kf, word);
        // A blank word would match every page.
        if (word.find_first_not_of(" \t\r\n") == std::string::npos)
          fail(kf, "expected a non-empty keyword", "คำสำคัญต้องไม่ว่าง");
      }
    }
    provenance("grading.provenance", e_.grading.provenance);
    for (std::size_t i = 0; i < e_.grading.rules.size(); ++i) {
      const std::string f = "grading.rules[" + std::to_string(i) + "]";
      text(f + ".code", e_.grading.rules[i].code);
      text(f + ".label_th", e_.grading.rules[i].label_th);
      text(f + ".condition_th", e_.grading.rules[i].condition_th);
    }
    if (e_.sampling) provenance("sampling.provenance", e_.sampling->provenance);
  }

  void questionnaire_texts(const std::string& name, const Questionnaire& q) {
    provenance(name + ".provenance", q.provenance);
    for (std::size_t i = 0; i < q.items.size(); ++i) {
      const std::string f = name + ".items[" + std::to_string(i) + "]";
      text(f + ".code", q.items[i].code);
      text(f + ".text_th", q.items[i].text_th);
      for (std::size_t s = 0; s < q.items[i].sub_items.size(); ++s) {
        const std::string sf = f + ".sub_items[" + std::to_string(s) + "]";
        text(sf + ".code", q.items[i].sub_items[s].code);
        text(sf + ".text_th", q.items[i].sub_items[s].text_th);
      }
    }
  }

  void provenance(const std::string& f, const Provenance& p) {
    text(f + ".notes", p.notes);
    for (std::size_t i = 0; i < p.sources.size(); ++i)
      text(f + ".sources[" + std::to_string(i) + "]", p.sources[i]);
  }

  void text(const std::string& f, const std::string& value) {
    if (const auto fault = text_fault(value, kEditionText.rule))
      fail(f, fault->message_en(), fault->message_th());
  }

  void check_code(const std::string& f, const std::string& code) {
    if (code.empty()) {
      fail(f, "expected a non-empty code", "ต้องระบุรหัส");
    } else if (!codes_.insert(code).second) {
      fail(f, "code '" + code + "' is used twice in this edition",
           "รหัส '" + code + "' ถูกใช้ซ้ำในฉบับนี้");
    }
  }

  const Edition& e_;
  std::set<std::string> codes_;
  std::vector<EditionProblem> problems_;
};

}  // namespace

std::string EditionProblem::describe() const {
  return field + ": " + message_en;
}

std::vector<EditionProblem> check_edition(const Edition& e) {
  return Checker(e).run();
}

}  // namespace ita
