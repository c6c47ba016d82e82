#include "support/synthetic.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

namespace ita::testing {

using nlohmann::json;

std::string source_path(const std::string& relative) {
  return std::string(ITA_SOURCE_DIR) + "/" + relative;
}
std::string edition_path(const std::string& id) {
  return source_path("editions/" + id + ".json");
}

namespace {

json load(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

double points_of(const json& p) {
  if (p.is_number()) return p.get<double>();
  const std::string s = p.get<std::string>();
  const auto slash = s.find('/');
  return std::stod(s.substr(0, slash)) / std::stod(s.substr(slash + 1));
}

struct UnitInfo {
  std::string question;
  int indicator;
  std::map<std::string, double> points;  // option code -> points after reverse
};

std::map<std::string, UnitInfo> units(const json& ed, const char* tool) {
  std::map<std::string, UnitInfo> out;
  for (const auto& item : ed[tool]["items"]) {
    auto unit = [&](const std::string& code, const json& scale_src, bool reverse) {
      const json& scale = ed["scales"][scale_src.get<std::string>()];
      double lo = 100, hi = 0;
      for (const auto& o : scale["options"]) {
        lo = std::min(lo, points_of(o["points"]));
        hi = std::max(hi, points_of(o["points"]));
      }
      UnitInfo u{item["code"], item["indicator"], {}};
      for (const auto& o : scale["options"]) {
        const double p = points_of(o["points"]);
        u.points[o["code"]] = reverse ? lo + hi - p : p;
      }
      out[code] = u;
    };
    const bool reverse = item.value("reverse", false);
    if (item.contains("sub_items") && !item["sub_items"].empty()) {
      for (const auto& s : item["sub_items"]) {
        unit(s["code"], s.contains("scale") ? s["scale"] : item["scale"],
             s.value("reverse", reverse));
      }
    } else {
      unit(item["code"], item["scale"], reverse);
    }
  }
  return out;
}

}  // namespace

SyntheticAgency make_agency(const std::string& path, std::uint32_t seed, int iit, int eit,
                            int skip_percent) {
  const json ed = load(path);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pct(0, 99);
  SyntheticAgency a;
  for (const auto& [tool, count] : {std::pair{"iit", iit}, std::pair{"eit", eit}}) {
    const auto us = units(ed, tool);
    const int bias = pct(rng) % 3;  // agencies differ
    for (int r = 0; r < count; ++r) {
      const std::string rid = std::string(tool) + "-" + std::to_string(r + 1);
      for (const auto& [code, info] : us) {
        if (r > 0 && pct(rng) < skip_percent) continue;  // respondent 1 answers everything
        std::vector<std::string> options;
        for (const auto& [opt, _] : info.points) options.push_back(opt);
        std::uniform_int_distribution<std::size_t> pick(0, options.size() - 1);
        std::size_t k = pick(rng);
        if (bias > 0 && pct(rng) < 40) k = options.size() - 1;
        a.rows.push_back({tool == std::string("iit") ? "IIT" : "EIT", rid, code, options[k]});
      }
    }
  }
  for (const auto& o : ed["oit"]["items"]) {
    a.rows.push_back({"OIT", "", o["code"], pct(rng) < 80 ? "pass" : "fail"});
  }
  return a;
}

std::string to_csv(const SyntheticAgency& a) {
  std::ostringstream s;
  s << "tool,respondent,item,answer\n";
  for (const auto& r : a.rows)
    s << r.tool << "," << r.respondent << "," << r.item << "," << r.answer << "\n";
  return s.str();
}

std::map<int, double> independent_indicator_scores(const std::string& path,
                                                   const SyntheticAgency& a) {
  const json ed = load(path);
  std::map<std::string, UnitInfo> all = units(ed, "iit");
  all.merge(units(ed, "eit"));
  std::map<std::string, std::pair<double, int>> unit_sum;
  std::map<std::string, double> oit;
  for (const auto& r : a.rows) {
    if (r.tool == "OIT") {
      oit[r.item] = r.answer == "pass" ? 100.0 : 0.0;
      continue;
    }
    auto& s = unit_sum[r.item];
    s.first += all.at(r.item).points.at(r.answer);
    s.second += 1;
  }
  std::map<std::string, std::pair<double, int>> question;  // sum of unit means, unit count
  std::map<std::string, int> question_indicator;
  for (const auto& [code, info] : all) {
    const auto& s = unit_sum.at(code);
    question[info.question].first += s.first / s.second;
    question[info.question].second += 1;
    question_indicator[info.question] = info.indicator;
  }
  std::map<int, std::pair<double, int>> ind;
  for (const auto& [q, s] : question) {
    ind[question_indicator[q]].first += s.first / s.second;
    ind[question_indicator[q]].second += 1;
  }
  // OIT: the mean of an indicator's items, or (sub_indicator_mean) of its sub-indicators' means.
  const bool by_sub = ed["oit"].value("aggregation", "item_mean") == "sub_indicator_mean";
  std::map<std::string, std::pair<double, int>> sub_sum;
  for (const auto& o : ed["oit"]["items"]) {
    const std::string sub = o["sub_indicator"];
    if (by_sub) {
      sub_sum[sub].first += oit.at(o["code"]);
      sub_sum[sub].second += 1;
      continue;
    }
    const int indicator = std::stoi(sub.substr(0, sub.find('.')));
    ind[indicator].first += oit.at(o["code"]);
    ind[indicator].second += 1;
  }
  for (const auto& [sub, s] : sub_sum) {
    const int indicator = std::stoi(sub.substr(0, sub.find('.')));
    ind[indicator].first += s.first / s.second;
    ind[indicator].second += 1;
  }
  std::map<int, double> out;
  for (const auto& [id, s] : ind) out[id] = s.first / s.second;
  return out;
}

}  // namespace ita::testing
