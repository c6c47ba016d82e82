#include "io/edition_json.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "io/json_error.hpp"

namespace ita::io {

namespace {

using nlohmann::json;

class EditionReader {
 public:
  explicit EditionReader(const std::string& file) : f_(file) {}

  Edition read(const json& root) {
    f_.object(root, "");
    if (f_.string(root, "", "format") != "ita-edition/1")
      f_.fail("/format", "expected \"ita-edition/1\"");
    Edition e;
    e.id = f_.string(root, "", "id");
    e.fiscal_year = f_.integer(f_.member(root, "", "fiscal_year"), "/fiscal_year");
    if (e.fiscal_year < 2500 || e.fiscal_year > 2700)
      f_.fail("/fiscal_year", "expected a Buddhist-era year such as 2566");
    e.title_th = f_.string_or(root, "", "title_th", "");
    e.provenance = provenance(root, "");
    read_tools(f_.member(root, "", "tools"), e);
    read_indicators(f_.member(root, "", "indicators"), e);
    read_scales(f_.member(root, "", "scales"), e);
    e.iit = questionnaire(f_.member(root, "", "iit"), "/iit", ToolId::IIT, e);
    e.eit = questionnaire(f_.member(root, "", "eit"), "/eit", ToolId::EIT, e);
    read_oit(f_.member(root, "", "oit"), e);
    read_grading(f_.member(root, "", "grading"), e);
    if (const auto* a = f_.optional(root, "analysis")) {
      f_.object(*a, "/analysis");
      if (const auto* v = f_.optional(*a, "strength_min"))
        e.analysis.strength_min = f_.number(*v, "/analysis/strength_min");
      if (const auto* v = f_.optional(*a, "item_min"))
        e.analysis.item_min = f_.number(*v, "/analysis/item_min");
    }
    if (const auto* smp = f_.optional(root, "sampling")) e.sampling = sampling(*smp);
    e.reindex();
    if (auto problems = check_edition(e); !problems.empty()) {
      std::string all;
      for (const auto& p : problems) all += (all.empty() ? "" : "\n  ") + p.describe();
      throw FileError(f_.file(), "", "edition " + e.id + " is inconsistent:\n  " + all);
    }
    return e;
  }

 private:
  Provenance provenance(const json& obj, const std::string& path) {
    const std::string p = path + "/provenance";
    const json& j = f_.object(f_.member(obj, path, "provenance"), p);
    Provenance out;
    const std::string status = f_.string(j, p, "status");
    auto s = parse_provenance(status);
    if (!s)
      f_.fail(p + "/status",
              "expected official, reconstructed or partial, found \"" + status + "\"");
    out.status = *s;
    if (const auto* src = f_.optional(j, "sources")) {
      f_.array(*src, p + "/sources");
      for (std::size_t i = 0; i < src->size(); ++i) {
        if (!(*src)[i].is_string())
          f_.fail(p + "/sources/" + std::to_string(i), "expected a string");
        out.sources.push_back((*src)[i].get<std::string>());
      }
    }
    out.notes = f_.string_or(j, p, "notes", "");
    return out;
  }

  ToolId tool(const json& obj, const std::string& path, const char* key) {
    const std::string code = f_.string(obj, path, key);
    auto t = parse_tool(code);
    if (!t) f_.fail(path + "/" + key, "expected IIT, EIT or OIT, found \"" + code + "\"");
    return *t;
  }

  const json& list(const json& obj, const std::string& path, const char* key) {
    return f_.array(f_.member(obj, path, key), path + "/" + key);
  }

  void read_tools(const json& j, Edition& e) {
    e.tools_provenance = provenance(j, "/tools");
    const json& l = list(j, "/tools", "list");
    for (std::size_t i = 0; i < l.size(); ++i) {
      const std::string p = "/tools/list/" + std::to_string(i);
      Tool t;
      t.id = tool(l[i], p, "id");
      t.name_th = f_.string(l[i], p, "name_th");
      t.name_en = f_.string_or(l[i], p, "name_en", "");
      t.weight = f_.number(f_.member(l[i], p, "weight"), p + "/weight");
      e.tools.push_back(std::move(t));
    }
  }

  void read_indicators(const json& j, Edition& e) {
    e.indicators_provenance = provenance(j, "/indicators");
    const json& l = list(j, "/indicators", "list");
    for (std::size_t i = 0; i < l.size(); ++i) {
      const std::string p = "/indicators/list/" + std::to_string(i);
      Indicator ind;
      ind.id = f_.integer(f_.member(l[i], p, "id"), p + "/id");
      ind.tool = tool(l[i], p, "tool");
      ind.name_th = f_.string(l[i], p, "name_th");
      ind.name_en = f_.string_or(l[i], p, "name_en", "");
      ind.explanation_th = f_.string_or(l[i], p, "explanation_th", "");
      e.indicators.push_back(std::move(ind));
    }
  }

  double points(const json& j, const std::string& path) {
    if (j.is_number()) return j.get<double>();
    if (!j.is_string()) f_.fail(path, "expected a number or a fraction such as \"100/3\"");
    const std::string s = j.get<std::string>();
    const auto slash = s.find('/');
    long a = 0, b = 0;
    const char* end = s.data() + s.size();
    if (slash == std::string::npos ||
        std::from_chars(s.data(), s.data() + slash, a).ptr != s.data() + slash ||
        std::from_chars(s.data() + slash + 1, end, b).ptr != end || b <= 0) {
      f_.fail(path, "expected a fraction such as \"100/3\", found \"" + s + "\"");
    }
    return static_cast<double>(a) / static_cast<double>(b);
  }

  void read_scales(const json& j, Edition& e) {
    f_.object(j, "/scales");
    for (const auto& [id, s] : j.items()) {
      const std::string p = "/scales/" + id;
      Scale scale;
      scale.id = id;
      scale.name_th = f_.string_or(s, p, "name_th", "");
      scale.provenance = provenance(s, p);
      const json& opts = list(s, p, "options");
      for (std::size_t i = 0; i < opts.size(); ++i) {
        const std::string op = p + "/options/" + std::to_string(i);
        ScaleOption o;
        o.code = f_.string(opts[i], op, "code");
        o.label_th = f_.string(opts[i], op, "label_th");
        o.points = points(f_.member(opts[i], op, "points"), op + "/points");
        scale.options.push_back(std::move(o));
      }
      e.scales.emplace(id, std::move(scale));
    }
  }

  std::string scale_ref(const json& obj, const std::string& path, const Edition& e,
                        const std::string& fallback) {
    const std::string s = f_.string_or(obj, path, "scale", fallback);
    if (s.empty()) f_.fail(path + "/scale", "missing required field");
    if (!e.scales.contains(s)) {
      std::string known;
      for (const auto& [id, _] : e.scales) known += (known.empty() ? "" : ", ") + id;
      f_.fail(path + "/scale", "unknown scale \"" + s + "\"; expected one of " + known);
    }
    return s;
  }

  Questionnaire questionnaire(const json& j, const std::string& path, ToolId t, const Edition& e) {
    Questionnaire q;
    q.provenance = provenance(j, path);
    const json& l = list(j, path, "items");
    for (std::size_t i = 0; i < l.size(); ++i) {
      const std::string p = path + "/items/" + std::to_string(i);
      Item item;
      item.code = f_.string(l[i], p, "code");
      item.tool = t;
      item.indicator = f_.integer(f_.member(l[i], p, "indicator"), p + "/indicator");
      item.text_th = f_.string(l[i], p, "text_th");
      item.provisional_code = f_.boolean_or(l[i], p, "provisional_code", false);
      const std::string scale = scale_ref(l[i], p, e, "");
      const bool reverse = f_.boolean_or(l[i], p, "reverse", false);
      if (const auto* subs = f_.optional(l[i], "sub_items");
          subs != nullptr && !f_.array(*subs, p + "/sub_items").empty()) {
        for (std::size_t s = 0; s < subs->size(); ++s) {
          const std::string sp = p + "/sub_items/" + std::to_string(s);
          SubItem sub;
          sub.code = f_.string((*subs)[s], sp, "code");
          sub.text_th = f_.string((*subs)[s], sp, "text_th");
          sub.scale = scale_ref((*subs)[s], sp, e, scale);
          sub.reverse = f_.boolean_or((*subs)[s], sp, "reverse", reverse);
          item.sub_items.push_back(std::move(sub));
        }
      } else {
        item.sub_items.push_back(SubItem{item.code, item.text_th, scale, reverse});
      }
      q.items.push_back(std::move(item));
    }
    return q;
  }

  void read_oit(const json& j, Edition& e) {
    e.oit.provenance = provenance(j, "/oit");
    const std::string agg = f_.string_or(j, "/oit", "aggregation", "item_mean");
    if (agg == "item_mean") {
      e.oit.aggregation = OitAggregation::ItemMean;
    } else if (agg == "sub_indicator_mean") {
      e.oit.aggregation = OitAggregation::SubIndicatorMean;
    } else {
      f_.fail("/oit/aggregation",
              "expected item_mean or sub_indicator_mean, found \"" + agg + "\"");
    }
    if (const auto* subs = f_.optional(j, "sub_indicators")) {
      f_.array(*subs, "/oit/sub_indicators");
      for (std::size_t i = 0; i < subs->size(); ++i) {
        const std::string p = "/oit/sub_indicators/" + std::to_string(i);
        OitSubIndicator s;
        s.id = f_.string((*subs)[i], p, "id");
        s.indicator = f_.integer(f_.member((*subs)[i], p, "indicator"), p + "/indicator");
        s.name_th = f_.string((*subs)[i], p, "name_th");
        e.oit.sub_indicators.push_back(std::move(s));
      }
    }
    const json& l = list(j, "/oit", "items");
    for (std::size_t i = 0; i < l.size(); ++i) {
      const std::string p = "/oit/items/" + std::to_string(i);
      OitItem o;
      // A misspelt optional field (say "criteria") would otherwise be dropped without a word.
      f_.only_fields(l[i], p,
                     {"code", "sub_indicator", "indicator", "name_th", "criteria_th", "keywords_th",
                      "provisional"});
      o.code = f_.string(l[i], p, "code");
      o.name_th = f_.string(l[i], p, "name_th");
      o.criteria_th = f_.string_or(l[i], p, "criteria_th", "");
      if (const auto* words = f_.optional(l[i], "keywords_th")) {
        f_.array(*words, p + "/keywords_th");
        for (std::size_t k = 0; k < words->size(); ++k) {
          if (!(*words)[k].is_string())
            f_.fail(p + "/keywords_th/" + std::to_string(k), "expected a string");
          o.keywords_th.push_back((*words)[k].get<std::string>());
        }
      }
      o.provisional = f_.boolean_or(l[i], p, "provisional", false);
      o.sub_indicator = f_.string_or(l[i], p, "sub_indicator", "");
      if (!o.sub_indicator.empty()) {
        for (const auto& s : e.oit.sub_indicators) {
          if (s.id == o.sub_indicator) o.indicator = s.indicator;
        }
        if (o.indicator == 0)
          f_.fail(p + "/sub_indicator", "unknown sub-indicator \"" + o.sub_indicator + "\"");
      } else if (const auto* ind = f_.optional(l[i], "indicator")) {
        o.indicator = f_.integer(*ind, p + "/indicator");
      } else {
        f_.fail(p, "expected \"sub_indicator\" or \"indicator\"");
      }
      e.oit.items.push_back(std::move(o));
    }
  }

  SampleRule sample_rule(const json& j, const std::string& path) {
    f_.object(j, path);
    SampleRule r;
    if (const auto* v = f_.optional(j, "fraction")) r.fraction = f_.number(*v, path + "/fraction");
    if (r.fraction < 0 || r.fraction > 1)
      f_.fail(path + "/fraction", "expected a fraction from 0 to 1");
    if (const auto* v = f_.optional(j, "min")) r.min = f_.integer(*v, path + "/min");
    if (const auto* v = f_.optional(j, "max")) r.max = f_.integer(*v, path + "/max");
    if (r.min < 0 || (r.max && *r.max < r.min)) f_.fail(path, "expected 0 <= min <= max");
    return r;
  }

  Sampling sampling(const json& j) {
    Sampling s;
    s.provenance = provenance(j, "/sampling");
    s.iit = sample_rule(f_.member(j, "/sampling", "iit"), "/sampling/iit");
    s.eit = sample_rule(f_.member(j, "/sampling", "eit"), "/sampling/eit");
    return s;
  }

  void read_grading(const json& j, Edition& e) {
    e.grading.provenance = provenance(j, "/grading");
    const std::string system = f_.string(j, "/grading", "system");
    if (system == "five_level") {
      e.grading.system = GradingSystem::FiveLevel;
    } else if (system == "letter") {
      e.grading.system = GradingSystem::Letter;
    } else {
      f_.fail("/grading/system", "expected five_level or letter, found \"" + system + "\"");
    }
    const json& l = list(j, "/grading", "rules");
    for (std::size_t i = 0; i < l.size(); ++i) {
      const std::string p = "/grading/rules/" + std::to_string(i);
      GradeRule r;
      r.code = f_.string(l[i], p, "code");
      r.label_th = f_.string(l[i], p, "label_th");
      r.condition_th = f_.string_or(l[i], p, "condition_th", "");
      r.min_total = f_.number(f_.member(l[i], p, "min_total"), p + "/min_total");
      if (const auto* m = f_.optional(l[i], "min_every_tool"))
        r.min_every_tool = f_.number(*m, p + "/min_every_tool");
      e.grading.rules.push_back(std::move(r));
    }
  }

  JsonFields f_;
};

}  // namespace

Edition parse_edition(std::string_view text, const std::string& file) {
  return EditionReader(file).read(parse_json(text, file));
}

Edition load_edition_file(const std::string& path) {
  return parse_edition(read_file(path), path);
}

std::string number_text(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::optional<std::string> fraction_text(double points) {
  if (!std::isfinite(points) || std::floor(points) == points) return std::nullopt;
  const std::string decimal = number_text(points);
  const auto dot = decimal.find('.');
  if (decimal.find('e') == std::string::npos && dot != std::string::npos &&
      decimal.size() - dot - 1 <= 6) {
    return std::nullopt;  // 12.5, 0.25: the decimal is exact and short
  }
  for (long b = 2; b <= 1000; ++b) {
    const double a = std::round(points * static_cast<double>(b));
    if (std::abs(a) > 1e12) break;
    const long ai = static_cast<long>(a);
    if (static_cast<double>(ai) / static_cast<double>(b) == points) {
      return std::to_string(ai) + "/" + std::to_string(b);
    }
  }
  return std::nullopt;
}

namespace {

using ojson = nlohmann::ordered_json;

ojson number_json(double x) {
  if (std::floor(x) == x && std::abs(x) < 9007199254740992.0) return static_cast<std::int64_t>(x);
  return x;
}

ojson provenance_json(const Provenance& p) {
  ojson j;
  j["status"] = std::string(provenance_code(p.status));
  if (!p.sources.empty()) j["sources"] = p.sources;
  if (!p.notes.empty()) j["notes"] = p.notes;
  return j;
}

void put_if(ojson& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

ojson questionnaire_json(const Questionnaire& q) {
  ojson j;
  j["provenance"] = provenance_json(q.provenance);
  ojson items = ojson::array();
  for (const Item& item : q.items) {
    ojson i;
    i["code"] = item.code;
    i["indicator"] = item.indicator;
    i["text_th"] = item.text_th;
    // The question's scale and polarity are those of its first answer unit; the other units
    // state theirs only where they differ.
    static const SubItem kNone{};
    const SubItem& first = item.sub_items.empty() ? kNone : item.sub_items.front();
    i["scale"] = first.scale;
    i["reverse"] = first.reverse;
    if (item.provisional_code) i["provisional_code"] = true;
    const bool one_unit =
        item.sub_items.size() == 1 && first.code == item.code && first.text_th == item.text_th;
    if (!one_unit) {
      ojson subs = ojson::array();
      for (const SubItem& sub : item.sub_items) {
        ojson s;
        s["code"] = sub.code;
        s["text_th"] = sub.text_th;
        if (sub.scale != first.scale) s["scale"] = sub.scale;
        if (sub.reverse != first.reverse) s["reverse"] = sub.reverse;
        subs.push_back(std::move(s));
      }
      i["sub_items"] = std::move(subs);
    }
    items.push_back(std::move(i));
  }
  j["items"] = std::move(items);
  return j;
}

ojson sample_rule_json(const SampleRule& r) {
  ojson j;
  j["fraction"] = number_json(r.fraction);
  j["min"] = r.min;
  if (r.max) j["max"] = *r.max;
  return j;
}

}  // namespace

std::string edition_to_json(const Edition& e) {
  ojson root;
  root["format"] = "ita-edition/1";
  root["id"] = e.id;
  root["fiscal_year"] = e.fiscal_year;
  put_if(root, "title_th", e.title_th);
  root["provenance"] = provenance_json(e.provenance);

  ojson tools;
  tools["provenance"] = provenance_json(e.tools_provenance);
  tools["list"] = ojson::array();
  for (const Tool& t : e.tools) {
    ojson j;
    j["id"] = std::string(tool_code(t.id));
    j["name_th"] = t.name_th;
    put_if(j, "name_en", t.name_en);
    j["weight"] = number_json(t.weight);
    tools["list"].push_back(std::move(j));
  }
  root["tools"] = std::move(tools);

  ojson indicators;
  indicators["provenance"] = provenance_json(e.indicators_provenance);
  indicators["list"] = ojson::array();
  for (const Indicator& i : e.indicators) {
    ojson j;
    j["id"] = i.id;
    j["tool"] = std::string(tool_code(i.tool));
    j["name_th"] = i.name_th;
    put_if(j, "name_en", i.name_en);
    put_if(j, "explanation_th", i.explanation_th);
    indicators["list"].push_back(std::move(j));
  }
  root["indicators"] = std::move(indicators);

  ojson scales = ojson::object();
  for (const auto& [id, scale] : e.scales) {
    ojson j;
    j["provenance"] = provenance_json(scale.provenance);
    put_if(j, "name_th", scale.name_th);
    j["options"] = ojson::array();
    for (const ScaleOption& o : scale.options) {
      ojson oj;
      oj["code"] = o.code;
      oj["label_th"] = o.label_th;
      if (auto f = fraction_text(o.points)) {
        oj["points"] = *f;
      } else {
        oj["points"] = number_json(o.points);
      }
      j["options"].push_back(std::move(oj));
    }
    scales[id] = std::move(j);
  }
  root["scales"] = std::move(scales);
  root["iit"] = questionnaire_json(e.iit);
  root["eit"] = questionnaire_json(e.eit);

  ojson oit;
  oit["provenance"] = provenance_json(e.oit.provenance);
  oit["aggregation"] =
      e.oit.aggregation == OitAggregation::SubIndicatorMean ? "sub_indicator_mean" : "item_mean";
  if (!e.oit.sub_indicators.empty()) {
    oit["sub_indicators"] = ojson::array();
    for (const OitSubIndicator& s : e.oit.sub_indicators) {
      ojson j;
      j["id"] = s.id;
      j["indicator"] = s.indicator;
      j["name_th"] = s.name_th;
      oit["sub_indicators"].push_back(std::move(j));
    }
  }
  oit["items"] = ojson::array();
  for (const OitItem& o : e.oit.items) {
    ojson j;
    j["code"] = o.code;
    if (o.sub_indicator.empty()) {
      j["indicator"] = o.indicator;
    } else {
      j["sub_indicator"] = o.sub_indicator;
    }
    j["name_th"] = o.name_th;
    if (!o.criteria_th.empty()) j["criteria_th"] = o.criteria_th;
    if (!o.keywords_th.empty()) j["keywords_th"] = o.keywords_th;
    if (o.provisional) j["provisional"] = true;
    oit["items"].push_back(std::move(j));
  }
  root["oit"] = std::move(oit);

  ojson grading;
  grading["provenance"] = provenance_json(e.grading.provenance);
  grading["system"] = e.grading.system == GradingSystem::Letter ? "letter" : "five_level";
  grading["rules"] = ojson::array();
  for (const GradeRule& r : e.grading.rules) {
    ojson j;
    j["code"] = r.code;
    j["label_th"] = r.label_th;
    put_if(j, "condition_th", r.condition_th);
    j["min_total"] = number_json(r.min_total);
    if (r.min_every_tool) j["min_every_tool"] = number_json(*r.min_every_tool);
    grading["rules"].push_back(std::move(j));
  }
  root["grading"] = std::move(grading);

  ojson analysis;
  analysis["strength_min"] = number_json(e.analysis.strength_min);
  analysis["item_min"] = number_json(e.analysis.item_min);
  root["analysis"] = std::move(analysis);

  if (e.sampling) {
    ojson smp;
    smp["provenance"] = provenance_json(e.sampling->provenance);
    smp["iit"] = sample_rule_json(e.sampling->iit);
    smp["eit"] = sample_rule_json(e.sampling->eit);
    root["sampling"] = std::move(smp);
  }
  return root.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace ita::io
