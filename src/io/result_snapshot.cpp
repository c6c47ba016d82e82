#include "io/result_snapshot.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace ita::io {

namespace {

using nlohmann::json;

constexpr const char* kFormat = "ita-release/1";
constexpr const char* kField = "result_json";

[[noreturn]] void broken(const std::string& why) {
  throw InputError(kField, "not a stored release (" + std::string(kFormat) + "): " + why);
}

Result read_snapshot(const Edition& e, const json& j) {
  if (j.value("format", "") != kFormat) broken("no \"format\": \"" + std::string(kFormat) + "\"");
  if (j.at("edition").get<std::string>() != e.id)
    broken("it is of edition " + j.at("edition").get<std::string>() + ", not " + e.id);
  std::map<int, double> scores;
  for (const auto& pair : j.at("indicators"))
    scores[pair.at(0).get<int>()] = pair.at(1).get<double>();
  Result r;
  r.edition_id = e.id;
  for (const auto& ind : e.indicators) {
    const auto it = scores.find(ind.id);
    if (it == scores.end()) broken("indicator " + std::to_string(ind.id) + " is missing");
    r.indicators.push_back({ind.id, ind.tool, it->second});
  }
  for (const auto& i : j.at("items")) {
    const auto tool = parse_tool(i.at("tool").get<std::string>());
    if (!tool) broken("an item of an unknown tool");
    r.items.push_back({i.at("code").get<std::string>(), *tool, i.at("indicator").get<int>(),
                       i.at("score").get<double>(), i.at("respondents").get<std::size_t>()});
  }
  for (const auto& [code, n] : j.at("respondents").items()) {
    const auto tool = parse_tool(code);
    if (!tool) broken("respondents of an unknown tool");
    r.respondents[*tool] = n.get<std::size_t>();
  }
  finish_totals(e, r);
  return r;
}

}  // namespace

std::string result_snapshot_json(const Result& r) {
  json indicators = json::array(), items = json::array(), respondents = json::object();
  for (const auto& i : r.indicators) indicators.push_back({i.id, i.score});
  for (const auto& i : r.items) {
    items.push_back({{"code", i.code},
                     {"tool", tool_code(i.tool)},
                     {"indicator", i.indicator},
                     {"score", i.score},
                     {"respondents", i.respondents}});
  }
  for (const auto& [tool, n] : r.respondents) respondents[std::string(tool_code(tool))] = n;
  return json{{"format", kFormat},
              {"edition", r.edition_id},
              {"indicators", indicators},
              {"items", items},
              {"respondents", respondents}}
      .dump();
}

Result parse_result_snapshot(const Edition& e, std::string_view text) {
  try {
    return read_snapshot(e, json::parse(text));
  } catch (const json::exception& err) {
    broken(err.what());
  }
}

}  // namespace ita::io
