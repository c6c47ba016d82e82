#include "core/audit.hpp"

#include <algorithm>
#include <set>

#include "core/analysis.hpp"
#include "core/rounding.hpp"
#include "core/scoring.hpp"

namespace ita {

namespace {

constexpr std::size_t kMaxCombinations = 4096;

std::string num(double v) { return format2(round2(v)); }
std::string ind(int id) { return "ตัวชี้วัดที่ " + std::to_string(id); }

std::string ids_text(const std::vector<int>& ids) {
  std::string s;
  for (int id : ids) s += (s.empty() ? "" : ", ") + std::to_string(id);
  return s;
}

// Distinct stated values (by their 2-decimal reading), keeping the first place each appears.
std::vector<StatedValue> distinct(const std::vector<StatedValue>& values) {
  std::vector<StatedValue> out;
  for (const auto& v : values) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const StatedValue& o) { return round2(o.value) == round2(v.value); });
    if (!seen) out.push_back(v);
  }
  return out;
}

std::string places(const std::vector<StatedValue>& values) {
  std::string s;
  for (const auto& v : values) s += (s.empty() ? "" : " กับ ") + num(v.value) + " (" + v.where + ")";
  return s;
}

class Auditor {
 public:
  Auditor(const Edition& e, const PublishedClaims& c) : e_(e), c_(c) {}

  AuditReport run() {
    check_conflicts();
    const bool complete = check_complete();
    if (complete) reproduce_total();
    if (report_.consistent_values) {
      const Result r = make_result(e_, *report_.consistent_values);
      check_tools(r);
      check_level(r);
      check_ranking(r);
    }
    check_classification();
    return std::move(report_);
  }

 private:
  void add(FindingKind k, std::string field, std::string msg, bool contradiction = true) {
    report_.findings.push_back({k, std::move(field), std::move(msg), contradiction});
  }

  void check_conflicts() {
    for (const auto& [id, values] : c_.indicators) {
      const auto d = distinct(values);
      if (d.size() > 1) {
        add(FindingKind::ConflictingValues, "indicators." + std::to_string(id),
            ind(id) + " ระบุคะแนนไม่ตรงกัน: " + places(d));
      }
    }
    for (const auto& [tool, values] : c_.tools) {
      const auto d = distinct(values);
      if (d.size() > 1) {
        add(FindingKind::ConflictingValues, "tools." + std::string(tool_code(tool)),
            "คะแนน " + std::string(tool_code(tool)) + " ระบุไม่ตรงกัน: " + places(d));
      }
    }
  }

  bool check_complete() {
    std::vector<int> missing;
    for (const auto& i : e_.indicators) {
      if (!c_.indicators.contains(i.id) || c_.indicators.at(i.id).empty()) missing.push_back(i.id);
    }
    if (!missing.empty()) {
      add(FindingKind::Incomplete, "indicators", "ไม่ได้ระบุคะแนนของตัวชี้วัดที่ " + ids_text(missing) +
                                                     " จึงตรวจคะแนนรวม ระดับ และลำดับไม่ได้", false);
    }
    return missing.empty();
  }

  // Tries every combination of the stated alternatives; keeps the ones matching the total.
  void reproduce_total() {
    std::vector<int> ids;
    std::vector<std::vector<StatedValue>> options;
    std::size_t combos = 1;
    for (const auto& i : e_.indicators) {
      ids.push_back(i.id);
      options.push_back(distinct(c_.indicators.at(i.id)));
      combos = std::min(kMaxCombinations + 1, combos * options.back().size());
    }
    if (combos > kMaxCombinations) {
      add(FindingKind::Incomplete, "indicators", "มีค่าที่ขัดกันมากเกินไป ตรวจทุกกรณีไม่ได้", false);
      return;
    }
    const auto totals = distinct(c_.totals);
    std::vector<std::size_t> pick(ids.size(), 0);
    std::vector<std::pair<std::vector<std::size_t>, double>> all;
    for (std::size_t n = 0; n < combos; ++n) {
      std::map<int, double> v;
      for (std::size_t k = 0; k < ids.size(); ++k) v[ids[k]] = options[k][pick[k]].value;
      all.emplace_back(pick, make_result(e_, v).total);
      for (std::size_t k = 0; k < pick.size() && ++pick[k] == options[k].size(); ++k) pick[k] = 0;
    }
    if (totals.empty()) {
      if (all.size() == 1) set_consistent(ids, options, all.front().first);
      return;
    }
    for (const auto& t : totals) match_total(t, ids, options, all);
  }

  void match_total(const StatedValue& t, const std::vector<int>& ids, const std::vector<std::vector<StatedValue>>& options,
                   const std::vector<std::pair<std::vector<std::size_t>, double>>& all) {
    for (const auto& [pick, total] : all) {
      if (round2(total) != round2(t.value)) continue;
      set_consistent(ids, options, pick);
      if (all.size() > 1) {
        std::string used, rejected;
        for (std::size_t k = 0; k < ids.size(); ++k) {
          if (options[k].size() < 2) continue;
          used += (used.empty() ? "" : ", ") + ind(ids[k]) + " = " + num(options[k][pick[k]].value) + " (" +
                  options[k][pick[k]].where + ")";
          for (std::size_t o = 0; o < options[k].size(); ++o) {
            if (o == pick[k]) continue;
            auto other = pick;
            other[k] = o;
            const auto it = std::find_if(all.begin(), all.end(), [&](const auto& a) { return a.first == other; });
            rejected += (rejected.empty() ? "" : "; ") + num(options[k][o].value) + " (" + options[k][o].where +
                        ") ให้คะแนนรวม " + num(it->second);
          }
        }
        add(FindingKind::TotalReproduced, "total",
            "คะแนนรวม " + num(t.value) + " คำนวณได้ตรงเมื่อใช้ " + used + "; ส่วนค่า " + rejected, false);
      }
      return;
    }
    std::string got;
    for (const auto& a : all) got += (got.empty() ? "" : ", ") + num(a.second);
    add(FindingKind::TotalMismatch, "total",
        "คะแนนรวมที่ระบุ " + num(t.value) + " (" + t.where + ") ไม่ตรงกับที่คำนวณจากคะแนนรายตัวชี้วัด (" + got + ")");
  }

  void set_consistent(const std::vector<int>& ids, const std::vector<std::vector<StatedValue>>& options,
                      const std::vector<std::size_t>& pick) {
    std::map<int, double> v;
    for (std::size_t k = 0; k < ids.size(); ++k) v[ids[k]] = options[k][pick[k]].value;
    report_.consistent_values = std::move(v);
  }

  void check_tools(const Result& r) {
    for (const auto& [tool, values] : c_.tools) {
      const Rounded computed = round2(r.tool_score(tool));
      for (const auto& v : distinct(values)) {
        if (round2(v.value) != computed) {
          add(FindingKind::ToolMismatch, "tools." + std::string(tool_code(tool)),
              "คะแนน " + std::string(tool_code(tool)) + " ที่ระบุ " + num(v.value) + " (" + v.where +
                  ") ไม่ตรงกับค่าเฉลี่ยของตัวชี้วัด " + format2(computed));
        }
      }
    }
  }

  void check_level(const Result& r) {
    if (!c_.level_label_th || *c_.level_label_th == r.level.label_th) return;
    add(FindingKind::LevelMismatch, "level",
        "ระดับที่ระบุ \"" + *c_.level_label_th + "\" ไม่ตรงกับเกณฑ์: คะแนนรวม " + num(r.total) + " ได้ระดับ \"" +
            r.level.label_th + "\"");
  }

  void check_ranking(const Result& r) {
    if (!c_.ranking) return;
    std::vector<int> computed;
    for (const auto& ri : rank_indicators(r)) computed.push_back(ri.id);
    if (*c_.ranking != computed) {
      add(FindingKind::RankingMismatch, "ranking",
          "ลำดับที่ระบุ (" + ids_text(*c_.ranking) + ") ไม่ตรงกับลำดับตามคะแนน (" + ids_text(computed) + ")");
    }
  }

  void check_classification() {
    const Rounded threshold = to_hundredths(e_.analysis.strength_min);
    auto check = [&](const std::optional<std::vector<int>>& ids, bool strength) {
      if (!ids) return;
      for (int id : *ids) {
        auto it = c_.indicators.find(id);
        if (it == c_.indicators.end()) continue;
        for (const auto& v : distinct(it->second)) {
          const bool is_strength = round2(v.value) >= threshold;
          if (is_strength == strength) continue;
          add(strength ? FindingKind::MisclassifiedStrength : FindingKind::MisclassifiedWeakness,
              "indicators." + std::to_string(id),
              ind(id) + " ถูกจัดเป็น" + (strength ? "จุดแข็ง" : "จุดอ่อน") + " แต่ค่า " + num(v.value) + " (" + v.where +
                  ") " + (strength ? "ต่ำกว่า " : "ไม่ต่ำกว่า ") + format2(threshold));
        }
      }
    };
    check(c_.strengths, true);
    check(c_.weaknesses, false);
  }

  const Edition& e_;
  const PublishedClaims& c_;
  AuditReport report_;
};

}  // namespace

std::string_view finding_code(FindingKind k) {
  switch (k) {
    case FindingKind::ConflictingValues: return "conflicting_values";
    case FindingKind::TotalReproduced: return "total_reproduced";
    case FindingKind::TotalMismatch: return "total_mismatch";
    case FindingKind::ToolMismatch: return "tool_mismatch";
    case FindingKind::LevelMismatch: return "level_mismatch";
    case FindingKind::RankingMismatch: return "ranking_mismatch";
    case FindingKind::MisclassifiedStrength: return "misclassified_strength";
    case FindingKind::MisclassifiedWeakness: return "misclassified_weakness";
    case FindingKind::Incomplete: return "incomplete";
  }
  return "?";
}

std::size_t AuditReport::contradictions() const {
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return f.contradiction; }));
}

AuditReport audit(const Edition& e, const PublishedClaims& claims) { return Auditor(e, claims).run(); }

}  // namespace ita
