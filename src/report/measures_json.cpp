#include "report/measures_json.hpp"

#include <initializer_list>

#include "core/thai.hpp"
#include "io/json_error.hpp"
#include "report/resources.hpp"

namespace ita::report {

namespace {

using io::JsonFields;
using nlohmann::json;

constexpr const char* kPlanFormat = "ita-measures/1";
constexpr const char* kLibraryFormat = "ita-measures-library/1";

std::string at(const std::string& base, std::size_t index) {
  return base + "/" + std::to_string(index);
}

void check_format(const JsonFields& f, const json& root, const char* expected) {
  if (f.string(root, "", "format") != expected)
    f.fail("/format", std::string("expected \"") + expected + "\"");
}

const json& array_or_empty(const JsonFields& f, const json& obj, const std::string& path,
                           const char* key) {
  static const json empty = json::array();
  const json* v = f.optional(obj, key);
  return v == nullptr ? empty : f.array(*v, path + "/" + key);
}

std::vector<std::string> strings(const JsonFields& f, const json& obj, const std::string& path,
                                 const char* key) {
  std::vector<std::string> out;
  const json& list = array_or_empty(f, obj, path, key);
  for (std::size_t k = 0; k < list.size(); ++k) {
    if (!list[k].is_string()) f.fail(at(path + "/" + key, k), "expected a string");
    out.push_back(list[k].get<std::string>());
  }
  return out;
}

std::vector<int> integers(const JsonFields& f, const json& obj, const std::string& path,
                          const char* key) {
  std::vector<int> out;
  const json& list = array_or_empty(f, obj, path, key);
  for (std::size_t k = 0; k < list.size(); ++k)
    out.push_back(f.integer(list[k], at(path + "/" + key, k)));
  return out;
}

std::vector<ImprovementMethod> methods(const JsonFields& f, const json& root) {
  std::vector<ImprovementMethod> out;
  const json& list = array_or_empty(f, root, "", "improvement_methods");
  for (std::size_t k = 0; k < list.size(); ++k) {
    const std::string path = at("/improvement_methods", k);
    f.only_fields(list[k], path, {"indicator", "item", "text_th"});
    ImprovementMethod m;
    m.indicator = f.integer(f.member(list[k], path, "indicator"), path + "/indicator");
    if (f.optional(list[k], "item") != nullptr) m.item = f.string(list[k], path, "item");
    m.text_th = f.string(list[k], path, "text_th");
    out.push_back(std::move(m));
  }
  return out;
}

std::optional<std::chrono::year_month_day> due_date(const JsonFields& f, const json& obj,
                                                    const std::string& path) {
  if (f.optional(obj, "due") == nullptr) return std::nullopt;
  const std::string text = f.string(obj, path, "due");
  const auto d = parse_iso_date(text);
  if (!d) f.fail(path + "/due", "expected a date YYYY-MM-DD (Common Era), found \"" + text + "\"");
  return d;
}

MeasureStatus status(const JsonFields& f, const json& obj, const std::string& path) {
  const std::string code = f.string_or(obj, path, "status", "planned");
  const auto s = parse_measure_status(code);
  if (!s)
    f.fail(path + "/status",
           "expected planned, in_progress, done or cancelled, found \"" + code + "\"");
  return *s;
}

Measure measure(const JsonFields& f, const json& obj, const std::string& path) {
  f.only_fields(obj, path,
                {"id", "title_th", "steps_th", "responsible_th", "monitoring_th", "indicators",
                 "due", "status"});
  Measure m;
  m.id = f.string(obj, path, "id");
  m.title_th = f.string(obj, path, "title_th");
  m.steps_th = strings(f, obj, path, "steps_th");
  m.responsible_th = f.string_or(obj, path, "responsible_th", "");
  m.monitoring_th = f.string_or(obj, path, "monitoring_th", "");
  m.indicators = integers(f, obj, path, "indicators");
  m.due = due_date(f, obj, path);
  m.status = status(f, obj, path);
  return m;
}

PlanSignature signature(const JsonFields& f, const json& obj) {
  const std::string path = "/signature";
  f.only_fields(obj, path, {"name_th", "position_th", "date"});
  PlanSignature s;
  s.name_th = f.string_or(obj, path, "name_th", "");
  s.position_th = f.string_or(obj, path, "position_th", "");
  if (f.optional(obj, "date") != nullptr) {
    const std::string text = f.string(obj, path, "date");
    s.date = parse_iso_date(text);
    if (!s.date)
      f.fail(path + "/date", "expected a date YYYY-MM-DD (Common Era), found \"" + text + "\"");
  }
  return s;
}

DueRule due_rule(const JsonFields& f, const json& obj, const std::string& path) {
  const std::string code = f.string_or(obj, path, "due", "all_year");
  const auto r = parse_due_rule(code);
  if (!r)
    f.fail(path + "/due", "expected all_year, first_half or year_end, found \"" + code + "\"");
  return *r;
}

LibraryMeasure library_measure(const JsonFields& f, const json& obj, const std::string& path) {
  f.only_fields(obj, path,
                {"id", "title_th", "steps_th", "responsible_th", "monitoring_th", "indicators",
                 "always", "due"});
  LibraryMeasure m;
  m.id = f.string(obj, path, "id");
  m.title_th = f.string(obj, path, "title_th");
  m.steps_th = strings(f, obj, path, "steps_th");
  m.responsible_th = f.string_or(obj, path, "responsible_th", "");
  m.monitoring_th = f.string_or(obj, path, "monitoring_th", "");
  m.indicators = integers(f, obj, path, "indicators");
  m.always = f.boolean_or(obj, path, "always", false);
  m.due = due_rule(f, obj, path);
  return m;
}

nlohmann::ordered_json measure_json(const Measure& m) {
  nlohmann::ordered_json j = {{"id", m.id},
                              {"title_th", m.title_th},
                              {"steps_th", m.steps_th},
                              {"responsible_th", m.responsible_th},
                              {"monitoring_th", m.monitoring_th},
                              {"indicators", m.indicators}};
  if (m.due) j["due"] = format_iso_date(*m.due);
  j["status"] = std::string(measure_status_code(m.status));
  return j;
}

}  // namespace

MeasuresPlan parse_measures(std::string_view text, const std::string& file) {
  const json root = io::parse_json(text, file);
  JsonFields f(file);
  f.only_fields(root, "",
                {"format", "fiscal_year", "notes", "improvement_methods", "measures", "signature"});
  check_format(f, root, kPlanFormat);
  MeasuresPlan plan;
  plan.fiscal_year = FiscalYear{f.integer(f.member(root, "", "fiscal_year"), "/fiscal_year")};
  if (plan.fiscal_year.be < 2500 || plan.fiscal_year.be > 2700) {
    f.fail("/fiscal_year", "expected a Buddhist Era year such as 2567");
  }
  f.string_or(root, "", "notes", "");
  plan.methods = methods(f, root);
  const json& list = f.array(f.member(root, "", "measures"), "/measures");
  for (std::size_t k = 0; k < list.size(); ++k)
    plan.measures.push_back(measure(f, list[k], at("/measures", k)));
  if (const json* sig = f.optional(root, "signature")) plan.signature = signature(f, *sig);
  return plan;
}

MeasuresPlan load_measures(const std::string& path) {
  return parse_measures(io::read_file(path), path);
}

nlohmann::ordered_json measures_json(const MeasuresPlan& plan) {
  using ojson = nlohmann::ordered_json;
  ojson methods_j = ojson::array();
  for (const auto& m : plan.methods) {
    ojson j = {{"indicator", m.indicator}};
    if (m.item) j["item"] = *m.item;
    j["text_th"] = m.text_th;
    methods_j.push_back(std::move(j));
  }
  ojson measures_j = ojson::array();
  for (const auto& m : plan.measures) measures_j.push_back(measure_json(m));
  ojson out = {{"format", kPlanFormat},
               {"fiscal_year", plan.fiscal_year.be},
               {"improvement_methods", std::move(methods_j)},
               {"measures", std::move(measures_j)}};
  if (plan.signature != PlanSignature{}) {
    ojson sig = {{"name_th", plan.signature.name_th}, {"position_th", plan.signature.position_th}};
    if (plan.signature.date) sig["date"] = format_iso_date(*plan.signature.date);
    out["signature"] = std::move(sig);
  }
  return out;
}

MeasuresLibrary parse_measures_library(std::string_view text, const std::string& file) {
  const json root = io::parse_json(text, file);
  JsonFields f(file);
  f.only_fields(root, "", {"format", "provenance", "improvement_methods", "measures"});
  check_format(f, root, kLibraryFormat);
  MeasuresLibrary lib;
  lib.methods = methods(f, root);
  const json& list = f.array(f.member(root, "", "measures"), "/measures");
  for (std::size_t k = 0; k < list.size(); ++k) {
    lib.measures.push_back(library_measure(f, list[k], at("/measures", k)));
  }
  return lib;
}

const MeasuresLibrary& builtin_measures_library() {
  static const MeasuresLibrary lib =
      parse_measures_library(resource("measures-library.json"), "data/measures-library.json");
  return lib;
}

}  // namespace ita::report
