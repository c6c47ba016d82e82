#include "core/edition_diff.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <tuple>
#include <utility>

namespace ita {

namespace {

constexpr double kSame = 1e-9;  // weights, thresholds and points closer than this are equal

bool is_space(char32_t c) {
  return c == U' ' || (c >= U'\t' && c <= U'\r') || c == 0xA0 || (c >= 0x2000 && c <= 0x200D) ||
         c == 0x2060 || c == 0x3000 || c == 0xFEFF;
}

// The code points of a UTF-8 text without white space; a byte that starts no valid sequence
// stands for itself.
std::u32string letters(std::string_view s) {
  std::u32string out;
  std::size_t i = 0;
  auto cont = [&](std::size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  auto bits = [&](std::size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F);
  };
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    char32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xC0 && c < 0xE0 && cont(1)) {
      cp = (static_cast<char32_t>(c & 0x1F) << 6) | bits(1);
      len = 2;
    } else if (c >= 0xE0 && c < 0xF0 && cont(1) && cont(2)) {
      cp = (static_cast<char32_t>(c & 0x0F) << 12) | (bits(1) << 6) | bits(2);
      len = 3;
    } else if (c >= 0xF0 && c < 0xF8 && cont(1) && cont(2) && cont(3)) {
      cp = (static_cast<char32_t>(c & 0x07) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3);
      len = 4;
    }
    i += len;
    if (!is_space(cp)) out.push_back(cp);
  }
  return out;
}

// A text prepared for comparison: its letters and their sorted bigrams.
struct Text {
  std::u32string letters;
  std::vector<std::uint64_t> bigrams;
};

Text prepare(std::string_view s) {
  Text t;
  t.letters = letters(s);
  for (std::size_t k = 0; k + 1 < t.letters.size(); ++k) {
    t.bigrams.push_back((static_cast<std::uint64_t>(t.letters[k]) << 32) | t.letters[k + 1]);
  }
  std::sort(t.bigrams.begin(), t.bigrams.end());
  return t;
}

double dice(const Text& a, const Text& b) {
  if (a.letters == b.letters) return 1;
  if (a.bigrams.empty() || b.bigrams.empty()) return 0;
  std::size_t common = 0;
  for (std::size_t x = 0, y = 0; x < a.bigrams.size() && y < b.bigrams.size();) {
    if (a.bigrams[x] < b.bigrams[y]) {
      ++x;
    } else if (b.bigrams[y] < a.bigrams[x]) {
      ++y;
    } else {
      ++common;
      ++x;
      ++y;
    }
  }
  return 2.0 * static_cast<double>(common) /
         static_cast<double>(a.bigrams.size() + b.bigrams.size());
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// A question, sub-item or OIT item as the pairing sees it.
struct Element {
  std::string code;
  std::string text;
  Text prepared;
  std::string place;              // indicator id, sub-indicator id or parent question code
  std::string sub_indicator;      // OIT items: empty when the edition has no sub-indicators
  std::size_t parent = 0;         // sub-items: index of the question in its questionnaire
  const SubItem* unit = nullptr;  // the answer unit whose scale and polarity are compared
};

Element element(std::string code, std::string text, std::string place) {
  Element e;
  e.code = std::move(code);
  e.prepared = prepare(text);
  e.text = std::move(text);
  e.place = std::move(place);
  return e;
}

// Which new element each old element became, and the reverse.
struct Pairing {
  std::vector<std::optional<std::size_t>> of_old;
  std::vector<std::optional<std::size_t>> of_new;

  void pair(std::size_t i, std::size_t j) {
    of_old[i] = j;
    of_new[j] = i;
  }
};

// Pairs the most similar texts first (at least `threshold`); among equal similarities the pair
// with affinity (same place), then the same code, then edition order. Elements left with the
// same code are then paired too (reworded) when their similarity reaches `reword_floor`.
Pairing pair_up(const std::vector<Element>& a, const std::vector<Element>& b, double threshold,
                double reword_floor,
                const std::function<bool(std::size_t, std::size_t)>& affinity) {
  Pairing p;
  p.of_old.resize(a.size());
  p.of_new.resize(b.size());
  struct Candidate {
    double similarity;
    bool affine;
    bool same_code;
    std::size_t i, j;
  };
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < b.size(); ++j) {
      const double s = dice(a[i].prepared, b[j].prepared);
      if (s + kSame >= threshold) {
        candidates.push_back({s, affinity(i, j), a[i].code == b[j].code, i, j});
      }
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
    return std::make_tuple(-x.similarity, !x.affine, !x.same_code, x.i, x.j) <
           std::make_tuple(-y.similarity, !y.affine, !y.same_code, y.i, y.j);
  });
  for (const auto& c : candidates) {
    if (!p.of_old[c.i] && !p.of_new[c.j]) p.pair(c.i, c.j);
  }
  std::map<std::string, std::size_t> unpaired_new;
  for (std::size_t j = 0; j < b.size(); ++j) {
    if (!p.of_new[j]) unpaired_new.emplace(b[j].code, j);
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (p.of_old[i]) continue;
    auto it = unpaired_new.find(a[i].code);
    if (it == unpaired_new.end()) continue;
    if (dice(a[i].prepared, b[it->second].prepared) + kSame < reword_floor) continue;
    p.pair(i, it->second);
    unpaired_new.erase(it);
  }
  return p;
}

// Sort keys in new-edition order: new element j has key j; an old element has its partner's
// key, or (when gone) a key just after the element that preceded it in the old edition.
std::vector<double> old_keys(const Pairing& p) {
  std::vector<double> keys(p.of_old.size());
  double base = -1;
  double previous = -1;
  const double span = static_cast<double>(p.of_old.size() + 1);
  for (std::size_t i = 0; i < p.of_old.size(); ++i) {
    if (p.of_old[i]) {
      keys[i] = static_cast<double>(*p.of_old[i]);
      base = keys[i];
      previous = static_cast<double>(i);
    } else {
      keys[i] = base + (static_cast<double>(i) - previous) / span;
    }
  }
  return keys;
}

class Differ {
 public:
  Differ(const Edition& a, const Edition& b, const DiffOptions& o) : a_(a), b_(b), options_(o) {}

  std::vector<EditionChange> run() {
    section_ = 0;
    tools();
    section_ = 1;
    questionnaire(ToolId::IIT);
    section_ = 2;
    questionnaire(ToolId::EIT);
    section_ = 3;
    oit();
    section_ = 4;
    grading();
    std::stable_sort(out_.begin(), out_.end(), [](const Keyed& x, const Keyed& y) {
      return std::tie(x.section, x.major, x.minor) < std::tie(y.section, y.major, y.minor);
    });
    std::vector<EditionChange> changes;
    changes.reserve(out_.size());
    for (auto& k : out_) changes.push_back(std::move(k.change));
    return changes;
  }

 private:
  struct Keyed {
    int section;
    double major;
    double minor;
    EditionChange change;
  };

  EditionChange& emit(double major, double minor, ChangeKind kind, ChangeSubject subject,
                      std::optional<ToolId> tool) {
    EditionChange c;
    c.kind = kind;
    c.subject = subject;
    c.tool = tool;
    out_.push_back({section_, major, minor, std::move(c)});
    return out_.back().change;
  }

  void added(double major, double minor, ChangeSubject subject, std::optional<ToolId> tool,
             const std::string& code, const std::string& text) {
    auto& c = emit(major, minor, ChangeKind::Added, subject, tool);
    c.new_code = code;
    c.new_text = text;
  }

  void removed(double major, double minor, ChangeSubject subject, std::optional<ToolId> tool,
               const std::string& code, const std::string& text) {
    auto& c = emit(major, minor, ChangeKind::Removed, subject, tool);
    c.old_code = code;
    c.old_text = text;
  }

  // A change of a paired element, with both codes and texts filled in.
  EditionChange& paired(double major, double minor, ChangeKind kind, ChangeSubject subject,
                        std::optional<ToolId> tool, const Element& x, const Element& y) {
    auto& c = emit(major, minor, kind, subject, tool);
    c.old_code = x.code;
    c.new_code = y.code;
    c.old_text = x.text;
    c.new_text = y.text;
    c.similarity = dice(x.prepared, y.prepared);
    return c;
  }

  std::string scale_text(const Edition& e, const SubItem& u) const {
    auto it = e.scales.find(u.scale);
    if (it == e.scales.end()) return u.scale;
    std::string s = u.scale + " [";
    for (std::size_t k = 0; k < it->second.options.size(); ++k) {
      const auto& o = it->second.options[k];
      s += (k == 0 ? "" : ", ") + o.code + ":" + number(o.points);
    }
    return s + "]";
  }

  bool same_scale(const SubItem& x, const SubItem& y) const {
    auto sx = a_.scales.find(x.scale);
    auto sy = b_.scales.find(y.scale);
    if (sx == a_.scales.end() || sy == b_.scales.end()) return x.scale == y.scale;
    const auto& ox = sx->second.options;
    const auto& oy = sy->second.options;
    if (ox.size() != oy.size()) return false;
    for (std::size_t k = 0; k < ox.size(); ++k) {
      if (ox[k].code != oy[k].code || std::abs(ox[k].points - oy[k].points) > kSame) return false;
    }
    return true;
  }

  // Scale and polarity of a paired answer unit.
  void compare_units(double major, double minor, ChangeSubject subject, ToolId tool,
                     const Element& x, const Element& y) {
    if (x.unit == nullptr || y.unit == nullptr) return;
    if (!same_scale(*x.unit, *y.unit)) {
      auto& c = paired(major, minor, ChangeKind::ScaleChanged, subject, tool, x, y);
      c.old_value = scale_text(a_, *x.unit);
      c.new_value = scale_text(b_, *y.unit);
    }
    if (x.unit->reverse != y.unit->reverse) {
      auto& c = paired(major, minor, ChangeKind::PolarityChanged, subject, tool, x, y);
      c.old_value = x.unit->reverse ? "reverse" : "normal";
      c.new_value = y.unit->reverse ? "reverse" : "normal";
    }
  }

  static bool answered_as_one(const Item& q) {
    return q.sub_items.size() == 1 && q.sub_items.front().code == q.code;
  }

  void tools() {
    double major = 0;
    for (ToolId t : kAllTools) {
      const Tool* x = a_.find_tool(t);
      const Tool* y = b_.find_tool(t);
      const double wx = x == nullptr ? 0 : x->weight;
      const double wy = y == nullptr ? 0 : y->weight;
      if ((x == nullptr && y == nullptr) || std::abs(wx - wy) <= kSame) {
        ++major;
        continue;
      }
      auto& c = emit(major++, 0, ChangeKind::WeightChanged, ChangeSubject::Tool, t);
      c.old_code = x == nullptr ? "" : std::string(tool_code(t));
      c.new_code = y == nullptr ? "" : std::string(tool_code(t));
      c.old_text = x == nullptr ? "" : x->name_th;
      c.new_text = y == nullptr ? "" : y->name_th;
      c.similarity = text_similarity(c.old_text, c.new_text);
      c.old_value = number(wx);
      c.new_value = number(wy);
    }
  }

  void questionnaire(ToolId tool) {
    const auto& qa = a_.questionnaire(tool).items;
    const auto& qb = b_.questionnaire(tool).items;
    auto questions = [](const std::vector<Item>& items) {
      std::vector<Element> out;
      for (const auto& q : items) {
        out.push_back(element(q.code, q.text_th, std::to_string(q.indicator)));
        if (answered_as_one(q)) out.back().unit = &q.sub_items.front();
      }
      return out;
    };
    auto subs = [](const std::vector<Item>& items) {
      std::vector<Element> out;
      for (std::size_t q = 0; q < items.size(); ++q) {
        if (answered_as_one(items[q])) continue;
        for (const auto& s : items[q].sub_items) {
          out.push_back(element(s.code, s.text_th, items[q].code));
          out.back().parent = q;
          out.back().unit = &s;
        }
      }
      return out;
    };
    const auto ea = questions(qa);
    const auto eb = questions(qb);
    const Pairing qp =
        pair_up(ea, eb, options_.renumber_similarity, options_.reword_similarity,
                [&](std::size_t i, std::size_t j) { return ea[i].place == eb[j].place; });
    const auto qkeys = old_keys(qp);
    for (std::size_t j = 0; j < eb.size(); ++j) {
      if (!qp.of_new[j]) {
        added(static_cast<double>(j), -1, ChangeSubject::Question, tool, eb[j].code, eb[j].text);
      }
    }
    for (std::size_t i = 0; i < ea.size(); ++i) {
      if (!qp.of_old[i]) {
        removed(qkeys[i], -1, ChangeSubject::Question, tool, ea[i].code, ea[i].text);
        continue;
      }
      const Element& x = ea[i];
      const Element& y = eb[*qp.of_old[i]];
      const double major = qkeys[i];
      if (x.code != y.code) {
        paired(major, -1, ChangeKind::Renumbered, ChangeSubject::Question, tool, x, y);
      } else if (x.prepared.letters != y.prepared.letters) {
        paired(major, -1, ChangeKind::Reworded, ChangeSubject::Question, tool, x, y);
      }
      if (x.place != y.place) {
        auto& c = paired(major, -1, ChangeKind::Moved, ChangeSubject::Question, tool, x, y);
        c.old_value = x.place;
        c.new_value = y.place;
      }
      compare_units(major, -1, ChangeSubject::Question, tool, x, y);
    }

    const auto sa = subs(qa);
    const auto sb = subs(qb);
    const Pairing sp = pair_up(
        sa, sb, options_.renumber_similarity, options_.reword_similarity,
        [&](std::size_t i, std::size_t j) { return qp.of_old[sa[i].parent] == sb[j].parent; });
    const auto skeys = old_keys(sp);
    for (std::size_t j = 0; j < sb.size(); ++j) {
      if (!sp.of_new[j]) {
        added(static_cast<double>(sb[j].parent), static_cast<double>(j), ChangeSubject::SubItem,
              tool, sb[j].code, sb[j].text);
      }
    }
    for (std::size_t i = 0; i < sa.size(); ++i) {
      if (!sp.of_old[i]) {
        removed(qkeys[sa[i].parent], skeys[i], ChangeSubject::SubItem, tool, sa[i].code,
                sa[i].text);
        continue;
      }
      const std::size_t j = *sp.of_old[i];
      const Element& x = sa[i];
      const Element& y = sb[j];
      const double major = static_cast<double>(y.parent);
      const double minor = static_cast<double>(j);
      const bool same_question = qp.of_old[x.parent] == y.parent;
      // I5.2 → I6.2 when I5 became I6 is the question's renumbering, not the sub-item's.
      const std::string& old_q = x.place;
      const std::string& new_q = y.place;
      const bool follows = same_question && old_q != new_q && x.code.starts_with(old_q) &&
                           y.code == new_q + x.code.substr(old_q.size());
      if (x.code != y.code && !follows) {
        paired(major, minor, ChangeKind::Renumbered, ChangeSubject::SubItem, tool, x, y);
      } else if (x.prepared.letters != y.prepared.letters) {
        paired(major, minor, ChangeKind::Reworded, ChangeSubject::SubItem, tool, x, y);
      }
      if (!same_question) {
        auto& c = paired(major, minor, ChangeKind::Moved, ChangeSubject::SubItem, tool, x, y);
        c.old_value = old_q;
        c.new_value = new_q;
      }
      compare_units(major, minor, ChangeSubject::SubItem, tool, x, y);
    }
  }

  static std::string aggregation_code(OitAggregation g) {
    return g == OitAggregation::ItemMean ? "item_mean" : "sub_indicator_mean";
  }

  void oit() {
    if (a_.oit.aggregation != b_.oit.aggregation) {
      auto& c = emit(-1, 0, ChangeKind::RuleChanged, ChangeSubject::OitAggregation, ToolId::OIT);
      c.old_value = aggregation_code(a_.oit.aggregation);
      c.new_value = aggregation_code(b_.oit.aggregation);
    }
    auto items = [](const Edition& e) {
      std::vector<Element> out;
      for (const auto& o : e.oit.items) {
        out.push_back(
            element(o.code, o.name_th,
                    o.sub_indicator.empty() ? std::to_string(o.indicator) : o.sub_indicator));
        out.back().sub_indicator = o.sub_indicator;
        out.back().parent = static_cast<std::size_t>(o.indicator);
      }
      return out;
    };
    const auto ea = items(a_);
    const auto eb = items(b_);
    const Pairing p =
        pair_up(ea, eb, options_.renumber_similarity, options_.reword_similarity,
                [&](std::size_t i, std::size_t j) { return ea[i].place == eb[j].place; });
    const auto keys = old_keys(p);
    for (std::size_t j = 0; j < eb.size(); ++j) {
      if (!p.of_new[j]) {
        added(static_cast<double>(j), 0, ChangeSubject::OitItem, ToolId::OIT, eb[j].code,
              eb[j].text);
      }
    }
    for (std::size_t i = 0; i < ea.size(); ++i) {
      if (!p.of_old[i]) {
        removed(keys[i], 0, ChangeSubject::OitItem, ToolId::OIT, ea[i].code, ea[i].text);
        continue;
      }
      const Element& x = ea[i];
      const Element& y = eb[*p.of_old[i]];
      if (x.code != y.code) {
        paired(keys[i], 0, ChangeKind::Renumbered, ChangeSubject::OitItem, ToolId::OIT, x, y);
      } else if (x.prepared.letters != y.prepared.letters) {
        paired(keys[i], 0, ChangeKind::Reworded, ChangeSubject::OitItem, ToolId::OIT, x, y);
      }
      // Sub-indicators are compared only when both editions split the indicator into them.
      const bool both_split = !x.sub_indicator.empty() && !y.sub_indicator.empty();
      if (x.parent != y.parent || (both_split && x.sub_indicator != y.sub_indicator)) {
        auto& c = paired(keys[i], 0, ChangeKind::Moved, ChangeSubject::OitItem, ToolId::OIT, x, y);
        c.old_value = both_split ? x.sub_indicator : std::to_string(x.parent);
        c.new_value = both_split ? y.sub_indicator : std::to_string(y.parent);
      }
      const std::string& cx = a_.oit.items[i].criteria_th;
      const std::string& cy = b_.oit.items[*p.of_old[i]].criteria_th;
      if (cx != cy) {
        auto& c = paired(keys[i], 0, ChangeKind::CriteriaChanged, ChangeSubject::OitItem,
                         ToolId::OIT, x, y);
        c.old_value = cx;
        c.new_value = cy;
      }
    }
  }

  static std::string conditions(const GradeRule& r) {
    std::string s = "min_total " + number(r.min_total);
    if (r.min_every_tool) s += ", min_every_tool " + number(*r.min_every_tool);
    if (!r.condition_th.empty()) s += " (" + r.condition_th + ")";
    return s;
  }

  void grading() {
    if (a_.grading.system != b_.grading.system) {
      auto& c = emit(-1, 0, ChangeKind::RuleChanged, ChangeSubject::GradingSystem, std::nullopt);
      auto code = [](GradingSystem s) {
        return std::string(s == GradingSystem::FiveLevel ? "five_level" : "letter");
      };
      c.old_value = code(a_.grading.system);
      c.new_value = code(b_.grading.system);
    }
    const auto& ra = a_.grading.rules;
    const auto& rb = b_.grading.rules;
    Pairing p;
    p.of_old.resize(ra.size());
    p.of_new.resize(rb.size());
    for (std::size_t i = 0; i < ra.size(); ++i) {
      for (std::size_t j = 0; j < rb.size(); ++j) {
        if (!p.of_new[j] && ra[i].code == rb[j].code) {
          p.pair(i, j);
          break;
        }
      }
    }
    const auto keys = old_keys(p);
    for (std::size_t j = 0; j < rb.size(); ++j) {
      if (!p.of_new[j]) {
        added(static_cast<double>(j), 0, ChangeSubject::GradeRule, std::nullopt, rb[j].code,
              rb[j].label_th);
        out_.back().change.new_value = conditions(rb[j]);
      }
    }
    for (std::size_t i = 0; i < ra.size(); ++i) {
      if (!p.of_old[i]) {
        removed(keys[i], 0, ChangeSubject::GradeRule, std::nullopt, ra[i].code, ra[i].label_th);
        out_.back().change.old_value = conditions(ra[i]);
        continue;
      }
      const GradeRule& x = ra[i];
      const GradeRule& y = rb[*p.of_old[i]];
      const bool same_every =
          x.min_every_tool.has_value() == y.min_every_tool.has_value() &&
          (!x.min_every_tool || std::abs(*x.min_every_tool - *y.min_every_tool) <= kSame);
      if (std::abs(x.min_total - y.min_total) <= kSame && same_every && x.label_th == y.label_th &&
          x.condition_th == y.condition_th) {
        continue;
      }
      auto& c = emit(keys[i], 0, ChangeKind::RuleChanged, ChangeSubject::GradeRule, std::nullopt);
      c.old_code = x.code;
      c.new_code = y.code;
      c.old_text = x.label_th;
      c.new_text = y.label_th;
      c.similarity = text_similarity(x.label_th, y.label_th);
      c.old_value = conditions(x);
      c.new_value = conditions(y);
    }
  }

  const Edition& a_;
  const Edition& b_;
  const DiffOptions& options_;
  int section_ = 0;
  std::vector<Keyed> out_;
};

}  // namespace

std::string_view change_kind_code(ChangeKind k) {
  switch (k) {
    case ChangeKind::Added:
      return "added";
    case ChangeKind::Removed:
      return "removed";
    case ChangeKind::Reworded:
      return "reworded";
    case ChangeKind::Renumbered:
      return "renumbered";
    case ChangeKind::Moved:
      return "moved";
    case ChangeKind::ScaleChanged:
      return "scale_changed";
    case ChangeKind::PolarityChanged:
      return "polarity_changed";
    case ChangeKind::WeightChanged:
      return "weight_changed";
    case ChangeKind::RuleChanged:
      return "rule_changed";
    case ChangeKind::CriteriaChanged:
      return "criteria_changed";
  }
  return "?";
}

std::string_view change_subject_code(ChangeSubject s) {
  switch (s) {
    case ChangeSubject::Question:
      return "question";
    case ChangeSubject::SubItem:
      return "sub_item";
    case ChangeSubject::OitItem:
      return "oit_item";
    case ChangeSubject::Tool:
      return "tool";
    case ChangeSubject::GradingSystem:
      return "grading_system";
    case ChangeSubject::GradeRule:
      return "grade_rule";
    case ChangeSubject::OitAggregation:
      return "oit_aggregation";
  }
  return "?";
}

double text_similarity(std::string_view a, std::string_view b) {
  return dice(prepare(a), prepare(b));
}

std::vector<EditionChange> diff_editions(const Edition& old_e, const Edition& new_e,
                                         const DiffOptions& options) {
  return Differ(old_e, new_e, options).run();
}

}  // namespace ita
