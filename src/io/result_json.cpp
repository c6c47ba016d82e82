#include "io/result_json.hpp"

#include "core/rounding.hpp"

namespace ita::io {

using nlohmann::json;

double shown(double raw) {
  return round2(raw).value();
}

namespace {

json level_json(const Level& l) {
  return {{"code", l.code}, {"label_th", l.label_th}};
}

json provenance_json(const Provenance& p) {
  return {{"status", provenance_code(p.status)}, {"sources", p.sources}, {"notes", p.notes}};
}

json agency_json(const AgencyInfo& a) {
  return {{"name", a.name}, {"district", a.district}, {"province", a.province}, {"type", a.type}};
}

json tools_json(const Edition& e, const std::vector<ToolScore>& tools) {
  json out = json::array();
  for (const auto& t : tools) {
    const Tool* tool = e.find_tool(t.id);
    out.push_back({{"id", tool_code(t.id)},
                   {"name_th", tool == nullptr ? "" : tool->name_th},
                   {"weight", t.weight},
                   {"score", shown(t.score)},
                   {"score_exact", t.score}});
  }
  return out;
}

}  // namespace

json result_json(const Edition& e, const Result& r, const AgencyInfo& agency) {
  json j;
  j["format"] = "ita-result/1";
  j["edition"] = {{"id", e.id},
                  {"fiscal_year", e.fiscal_year},
                  {"provenance", provenance_code(e.provenance.status)}};
  j["agency"] = agency_json(agency);
  j["total"] = shown(r.total);
  j["total_exact"] = r.total;
  j["level"] = level_json(r.level);
  j["tools"] = tools_json(e, r.tools);
  json inds = json::array();
  const auto ranking = rank_indicators(r);
  for (const auto& s : r.indicators) {
    int rank = 0;
    for (const auto& ri : ranking) {
      if (ri.id == s.id) rank = ri.rank;
    }
    const Indicator* ind = e.find_indicator(s.id);
    inds.push_back({{"id", s.id},
                    {"name_th", ind == nullptr ? "" : ind->name_th},
                    {"tool", tool_code(s.tool)},
                    {"score", shown(s.score)},
                    {"score_exact", s.score},
                    {"rank", rank}});
  }
  j["indicators"] = inds;
  json items = json::array();
  for (const auto& i : r.items) {
    json item = {{"code", i.code},
                 {"tool", tool_code(i.tool)},
                 {"indicator", i.indicator},
                 {"score", shown(i.score)}};
    if (i.respondents > 0) item["respondents"] = i.respondents;
    items.push_back(item);
  }
  j["items"] = items;
  json resp = json::object();
  for (const auto& [t, n] : r.respondents) resp[std::string(tool_code(t))] = n;
  j["respondents"] = resp;
  return j;
}

json analysis_json(const Edition& e, const Result& r, const Analysis& a, const AgencyInfo& agency) {
  json j = result_json(e, r, agency);
  j["format"] = "ita-analysis/1";
  json ranking = json::array();
  for (const auto& ri : a.ranking)
    ranking.push_back({{"rank", ri.rank}, {"indicator", ri.id}, {"score", ri.shown.value()}});
  j["ranking"] = ranking;
  j["strength_min"] = a.strength_min.value();
  j["strengths"] = a.strengths;
  j["weaknesses"] = a.weaknesses;
  auto finding = [](const ItemFinding& f) {
    return json{{"code", f.code},
                {"indicator", f.indicator},
                {"text_th", f.text_th},
                {"score", f.shown.value()}};
  };
  json below = json::array();
  for (const auto& [ind, list] : a.items_below) {
    json items = json::array();
    for (const auto& f : list) items.push_back(finding(f));
    below.push_back({{"indicator", ind}, {"items", items}});
  }
  j["items_below"] = below;
  json zero = json::array();
  for (const auto& f : a.oit_zero) zero.push_back(finding(f));
  j["oit_zero"] = zero;
  return j;
}

json whatif_json(const Edition& e, const WhatIf& w) {
  json j;
  j["format"] = "ita-whatif/1";
  j["current_level"] = level_json(w.current);
  j["target_level"] = w.target ? level_json(*w.target) : json(nullptr);
  j["reachable"] = w.reachable;
  if (!w.reason.empty()) j["reason"] = w.reason;
  json inds = json::array();
  for (const auto& t : w.indicators) {
    const Indicator* ind = e.find_indicator(t.id);
    inds.push_back({{"id", t.id},
                    {"name_th", ind == nullptr ? "" : ind->name_th},
                    {"tool", tool_code(t.tool)},
                    {"from", shown(t.from)},
                    {"to", shown(t.to)}});
  }
  j["indicators"] = inds;
  json items = json::array();
  for (const auto& t : w.items)
    items.push_back({{"code", t.code},
                     {"indicator", t.indicator},
                     {"from", shown(t.from)},
                     {"to", shown(t.to)}});
  j["items"] = items;
  j["total_raise"] = shown(w.total_raise);
  j["new_total"] = shown(w.new_total);
  j["new_tools"] = tools_json(e, w.new_tools);
  return j;
}

json audit_json(const AuditReport& a) {
  json findings = json::array();
  for (const auto& f : a.findings) {
    json finding = {{"kind", finding_code(f.kind)},
                    {"field", f.field},
                    {"message_th", f.message_th},
                    {"contradiction", f.contradiction}};
    if (f.interval) finding["interval"] = {{"low", f.interval->low}, {"high", f.interval->high}};
    findings.push_back(std::move(finding));
  }
  json j = {
      {"format", "ita-audit/1"}, {"contradictions", a.contradictions()}, {"findings", findings}};
  if (a.consistent_values) {
    json v = json::object();
    for (const auto& [id, value] : *a.consistent_values) v[std::to_string(id)] = value;
    j["consistent_values"] = v;
  }
  return j;
}

json edition_summary_json(const Edition& e) {
  json j;
  j["id"] = e.id;
  j["fiscal_year"] = e.fiscal_year;
  j["title_th"] = e.title_th;
  j["provenance"] = provenance_json(e.provenance);
  json lists = {{"tools", provenance_json(e.tools_provenance)},
                {"indicators", provenance_json(e.indicators_provenance)},
                {"iit", provenance_json(e.iit.provenance)},
                {"eit", provenance_json(e.eit.provenance)},
                {"oit", provenance_json(e.oit.provenance)},
                {"grading", provenance_json(e.grading.provenance)}};
  j["lists"] = lists;
  j["counts"] = {{"iit_items", e.iit.items.size()},
                 {"eit_items", e.eit.items.size()},
                 {"oit_items", e.oit.items.size()}};
  json rules = json::array();
  for (const auto& r : e.grading.rules) {
    json rule = {{"code", r.code}, {"label_th", r.label_th}, {"min_total", r.min_total}};
    if (r.min_every_tool) rule["min_every_tool"] = *r.min_every_tool;
    rules.push_back(rule);
  }
  j["grade_rules"] = rules;
  return j;
}

}  // namespace ita::io
