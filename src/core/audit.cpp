#include "core/audit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/analysis.hpp"
#include "core/rounding.hpp"
#include "core/scoring.hpp"

namespace ita {

namespace {

constexpr std::size_t kMaxCombinations = 4096;
constexpr double kHalfCent = 0.005;  // a two-decimal value v stands for [v − 0.005, v + 0.005]
constexpr double kTolerance = 1e-9;  // binary representation error when intervals just touch
constexpr const char* kWithinRounding = "สอดคล้อง (ต่างกันจากการปัดเศษ)";

std::string num(double v) {
  return format2(round2(v));
}

std::string num4(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

std::string interval_text(const Interval& i) {
  return "[" + num4(i.low) + ", " + num4(i.high) + "]";
}

// Whether the values that round to `stated` (its rounding interval) meet `i`.
bool meets(double stated, const Interval& i) {
  return stated - kHalfCent <= i.high + kTolerance && stated + kHalfCent >= i.low - kTolerance;
}

// The results for the lowest and for the highest values the stated indicators stand for; tool
// means and the weighted total are monotone in every indicator, so these bound them.
struct Bounds {
  Result low;
  Result high;
  Interval total() const { return {low.total, high.total}; }
  Interval tool(ToolId t) const { return {low.tool_score(t), high.tool_score(t)}; }
};

Bounds bounds_of(const Edition& e, const std::map<int, double>& stated) {
  std::map<int, double> low, high;
  for (const auto& [id, v] : stated) {
    low[id] = std::clamp(v - kHalfCent, 0.0, 100.0);
    high[id] = std::clamp(v + kHalfCent, 0.0, 100.0);
  }
  return {make_result(e, low), make_result(e, high)};
}
std::string ind(int id) {
  return "ตัวชี้วัดที่ " + std::to_string(id);
}

std::string ids_text(const std::vector<int>& ids) {
  std::string s;
  for (int id : ids) s += (s.empty() ? "" : ", ") + std::to_string(id);
  return s;
}

// Distinct stated values (by their 2-decimal reading), keeping the first place each appears.
std::vector<StatedValue> distinct(const std::vector<StatedValue>& values) {
  std::vector<StatedValue> out;
  for (const auto& v : values) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const StatedValue& o) {
      return round2(o.value) == round2(v.value);
    });
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
      check_tools(r, bounds_of(e_, *report_.consistent_values));
      check_level(r);
      check_ranking(r);
    }
    check_classification();
    return std::move(report_);
  }

 private:
  void add(FindingKind k, std::string field, std::string msg, bool contradiction = true,
           std::optional<Interval> interval = std::nullopt) {
    report_.findings.push_back({k, std::move(field), std::move(msg), contradiction, interval});
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
      add(FindingKind::Incomplete, "indicators",
          "ไม่ได้ระบุคะแนนของตัวชี้วัดที่ " + ids_text(missing) + " จึงตรวจคะแนนรวม ระดับ และลำดับไม่ได้", false);
    }
    return missing.empty();
  }

  // One choice among the stated alternatives of every indicator, and the total it gives.
  struct Combination {
    std::vector<std::size_t> pick;  // per indicator (edition order): index into its options
    std::map<int, double> values;
    double total = 0;
  };
  using Options = std::vector<std::vector<StatedValue>>;

  // Tries every combination of the stated alternatives; keeps the ones matching the total.
  void reproduce_total() {
    std::vector<int> ids;
    Options options;
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
    std::vector<Combination> all;
    for (std::size_t n = 0; n < combos; ++n) {
      Combination c;
      c.pick = pick;
      for (std::size_t k = 0; k < ids.size(); ++k) c.values[ids[k]] = options[k][pick[k]].value;
      c.total = make_result(e_, c.values).total;
      all.push_back(std::move(c));
      for (std::size_t k = 0; k < pick.size() && ++pick[k] == options[k].size(); ++k) pick[k] = 0;
    }
    if (totals.empty()) {
      if (all.size() == 1) report_.consistent_values = all.front().values;
      return;
    }
    for (const auto& t : totals) match_total(t, ids, options, all);
  }

  // A stated total: equal after rounding to a combination's total; else within the rounding of
  // the stated inputs (the closest such combination); else a contradiction.
  void match_total(const StatedValue& t, const std::vector<int>& ids, const Options& options,
                   const std::vector<Combination>& all) {
    for (const auto& c : all) {
      if (round2(c.total) != round2(t.value)) continue;
      report_.consistent_values = c.values;
      if (all.size() > 1) add_reproduced(t, c, ids, options, all, false);
      return;
    }
    const Combination* closest = nullptr;
    Interval closest_range;
    const Combination* within = nullptr;
    Interval within_range;
    for (const auto& c : all) {
      const Interval range = bounds_of(e_, c.values).total();
      const double distance = std::abs(c.total - t.value);
      if (closest == nullptr || distance < std::abs(closest->total - t.value)) {
        closest = &c;
        closest_range = range;
      }
      if (meets(t.value, range) &&
          (within == nullptr || distance < std::abs(within->total - t.value))) {
        within = &c;
        within_range = range;
      }
    }
    if (within != nullptr) {
      report_.consistent_values = within->values;
      std::string msg = "คะแนนรวมที่ระบุ " + num(t.value) + " (" + t.where + ") ";
      msg += kWithinRounding;
      msg += " กับคะแนนรายตัวชี้วัดที่ระบุ: คำนวณได้ " + num(within->total);
      msg += " (" + num4(within->total) + ") ";
      msg += "และค่าจริงที่คะแนนสองตำแหน่งเหล่านั้นแทนได้ให้คะแนนรวมในช่วง ";
      msg += interval_text(within_range);
      add(FindingKind::TotalWithinRounding, "total", std::move(msg), false, within_range);
      if (all.size() > 1) add_reproduced(t, *within, ids, options, all, true);
      return;
    }
    std::string got;
    for (const auto& c : all) {
      got += (got.empty() ? "" : ", ") + num(c.total) + " ช่วง " +
             interval_text(bounds_of(e_, c.values).total());
    }
    std::string msg = "คะแนนรวมที่ระบุ " + num(t.value) + " (" + t.where + ") ";
    msg += "ไม่ตรงกับที่คำนวณจากคะแนนรายตัวชี้วัด (" + got + ") แม้คิดการปัดเศษแล้ว";
    add(FindingKind::TotalMismatch, "total", std::move(msg), true, closest_range);
  }

  // Which of the conflicting stated values give the stated total, and what the others give.
  void add_reproduced(const StatedValue& t, const Combination& used_combo,
                      const std::vector<int>& ids, const Options& options,
                      const std::vector<Combination>& all, bool within_rounding) {
    const auto& pick = used_combo.pick;
    std::string used, rejected;
    for (std::size_t k = 0; k < ids.size(); ++k) {
      if (options[k].size() < 2) continue;
      used += (used.empty() ? "" : ", ") + ind(ids[k]) + " = " + num(options[k][pick[k]].value) +
              " (" + options[k][pick[k]].where + ")";
      for (std::size_t o = 0; o < options[k].size(); ++o) {
        if (o == pick[k]) continue;
        auto other = pick;
        other[k] = o;
        const auto it = std::find_if(all.begin(), all.end(),
                                     [&](const Combination& a) { return a.pick == other; });
        rejected += (rejected.empty() ? "" : "; ") + num(options[k][o].value) + " (" +
                    options[k][o].where + ") ให้คะแนนรวม " + num(it->total);
      }
    }
    std::string msg = "คะแนนรวม " + num(t.value);
    msg += within_rounding ? std::string(" คำนวณได้") + kWithinRounding + " เมื่อใช้ "
                           : std::string(" คำนวณได้ตรงเมื่อใช้ ");
    msg += used + "; ส่วนค่า " + rejected;
    add(FindingKind::TotalReproduced, "total", std::move(msg), false);
  }

  void check_tools(const Result& r, const Bounds& bounds) {
    for (const auto& [tool, values] : c_.tools) {
      const double exact = r.tool_score(tool);
      const Rounded computed = round2(exact);
      const Interval range = bounds.tool(tool);
      const std::string code(tool_code(tool));
      for (const auto& v : distinct(values)) {
        if (round2(v.value) == computed) continue;
        if (meets(v.value, range)) {
          std::string msg = "คะแนน " + code + " ที่ระบุ " + num(v.value) + " (" + v.where + ") ";
          msg += kWithinRounding;
          msg += " กับค่าเฉลี่ยของตัวชี้วัด " + format2(computed) + " (" + num4(exact) + "): ";
          msg += "ค่าจริงที่คะแนนตัวชี้วัดสองตำแหน่งแทนได้อยู่ในช่วง " + interval_text(range);
          add(FindingKind::ToolWithinRounding, "tools." + code, std::move(msg), false, range);
        } else {
          add(FindingKind::ToolMismatch, "tools." + code,
              "คะแนน " + code + " ที่ระบุ " + num(v.value) + " (" + v.where +
                  ") ไม่ตรงกับค่าเฉลี่ยของตัวชี้วัด " + format2(computed) +
                  " แม้คิดการปัดเศษแล้ว (ช่วงที่เป็นไปได้ " + interval_text(range) + ")",
              true, range);
        }
      }
    }
  }

  void check_level(const Result& r) {
    if (!c_.level_label_th || *c_.level_label_th == r.level.label_th) return;
    // A total or tool score on a threshold within rounding (stated 85.00, reproduced 84.997)
    // may have been graded from NACC's unrounded values: the level at either end of what the
    // stated indicators allow is consistent too.
    const Bounds bounds = bounds_of(e_, *report_.consistent_values);
    if (*c_.level_label_th == bounds.low.level.label_th ||
        *c_.level_label_th == bounds.high.level.label_th) {
      return;
    }
    add(FindingKind::LevelMismatch, "level",
        "ระดับที่ระบุ \"" + *c_.level_label_th + "\" ไม่ตรงกับเกณฑ์: คะแนนรวม " + num(r.total) +
            " ได้ระดับ \"" + r.level.label_th + "\"");
  }

  void check_ranking(const Result& r) {
    if (!c_.ranking) return;
    std::vector<int> computed;
    for (const auto& ri : rank_indicators(r)) computed.push_back(ri.id);
    if (*c_.ranking != computed) {
      add(FindingKind::RankingMismatch, "ranking",
          "ลำดับที่ระบุ (" + ids_text(*c_.ranking) + ") ไม่ตรงกับลำดับตามคะแนน (" + ids_text(computed) +
              ")");
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
              ind(id) + " ถูกจัดเป็น" + (strength ? "จุดแข็ง" : "จุดอ่อน") + " แต่ค่า " + num(v.value) +
                  " (" + v.where + ") " + (strength ? "ต่ำกว่า " : "ไม่ต่ำกว่า ") + format2(threshold));
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
    case FindingKind::ConflictingValues:
      return "conflicting_values";
    case FindingKind::TotalReproduced:
      return "total_reproduced";
    case FindingKind::TotalMismatch:
      return "total_mismatch";
    case FindingKind::ToolMismatch:
      return "tool_mismatch";
    case FindingKind::TotalWithinRounding:
      return "total_within_rounding";
    case FindingKind::ToolWithinRounding:
      return "tool_within_rounding";
    case FindingKind::LevelMismatch:
      return "level_mismatch";
    case FindingKind::RankingMismatch:
      return "ranking_mismatch";
    case FindingKind::MisclassifiedStrength:
      return "misclassified_strength";
    case FindingKind::MisclassifiedWeakness:
      return "misclassified_weakness";
    case FindingKind::Incomplete:
      return "incomplete";
  }
  return "?";
}

std::size_t AuditReport::contradictions() const {
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                [](const Finding& f) { return f.contradiction; }));
}

AuditReport audit(const Edition& e, const PublishedClaims& claims) {
  return Auditor(e, claims).run();
}

}  // namespace ita
