#include "io/result_input.hpp"

#include <charconv>
#include <filesystem>

#include "core/error.hpp"
#include "io/answers_csv.hpp"
#include "io/json_error.hpp"

namespace ita::io {

namespace {

using nlohmann::json;

// "indicators.11" (a core field) → "/indicators/11" (a JSON path).
std::string json_path(const std::string& field) {
  std::string p = "/" + field;
  for (char& c : p) {
    if (c == '.') c = '/';
  }
  return p;
}

int indicator_key(const JsonFields& f, const std::string& key, const std::string& path) {
  int v = 0;
  const auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), v);
  if (ec != std::errc() || ptr != key.data() + key.size() || v <= 0) {
    f.fail(path + "/" + key, "expected an indicator number such as \"1\" as the key");
  }
  return v;
}

AgencyInfo agency(const JsonFields& f, const json& root) {
  AgencyInfo a;
  if (const auto* j = f.optional(root, "agency")) {
    f.object(*j, "/agency");
    a.name = f.string_or(*j, "/agency", "name", "");
    a.district = f.string_or(*j, "/agency", "district", "");
    a.province = f.string_or(*j, "/agency", "province", "");
    a.type = f.string_or(*j, "/agency", "type", "");
  }
  return a;
}

bool has_ext(const std::string& path, std::string_view ext) {
  return std::filesystem::path(path).extension() == ext;
}

}  // namespace

ResultInput parse_result_input(std::string_view text, const std::string& file) {
  const json root = parse_json(text, file);
  JsonFields f(file);
  f.object(root, "");
  if (f.string(root, "", "format") != "ita-result-input/1")
    f.fail("/format", "expected \"ita-result-input/1\"");
  ResultInput in;
  in.edition = f.string(root, "", "edition");
  in.agency = agency(f, root);
  if (const auto* inds = f.optional(root, "indicators")) {
    f.object(*inds, "/indicators");
    for (const auto& [key, value] : inds->items()) {
      in.given.indicators[indicator_key(f, key, "/indicators")] =
          f.number(value, "/indicators/" + key);
    }
  }
  if (const auto* items = f.optional(root, "items")) {
    f.object(*items, "/items");
    for (const auto& [key, value] : items->items())
      in.given.items[key] = f.number(value, "/items/" + key);
  }
  if (const auto* a = f.optional(root, "answers_file")) {
    if (!a->is_string()) f.fail("/answers_file", "expected a file path");
    const std::filesystem::path p = a->get<std::string>();
    in.answers_file =
        (p.is_absolute() ? p : std::filesystem::path(file).parent_path() / p).string();
  }
  if (const auto* oit = f.optional(root, "oit")) {
    f.object(*oit, "/oit");
    for (const auto& [key, value] : oit->items()) {
      const std::string p = "/oit/" + key;
      std::optional<bool> v;
      if (value.is_boolean()) v = value.get<bool>();
      if (value.is_string()) v = parse_verdict(value.get<std::string>());
      if (!v) f.fail(p, "expected an OIT verdict \"pass\" or \"fail\"");
      in.oit_verdicts[key] = *v;
    }
  }
  if (in.given.indicators.empty() && in.given.items.empty() && !in.answers_file &&
      in.oit_verdicts.empty()) {
    f.fail("", "expected \"indicators\", \"items\" or \"answers_file\" with the scores to use");
  }
  return in;
}

namespace {

Result score_input(const ResultInput& in, const Edition& e, const std::string& file) {
  try {
    if (!in.answers_file && in.oit_verdicts.empty()) return score(e, in.given);
    AnswerTally tally(e);
    if (in.answers_file) read_answers_csv_file(*in.answers_file, tally);
    for (const auto& [code, pass] : in.oit_verdicts) {
      try {
        tally.add_oit(code, pass);
      } catch (const InputError& err) {
        throw FileError(file, "/oit/" + code, err.what());
      }
    }
    return score(e, tally, in.given);
  } catch (const InputError& err) {
    throw FileError(file, json_path(err.field()), err.what());
  }
}

}  // namespace

ScoredInput score_file(const std::string& path, const EditionSet& editions,
                       const ScoreOptions& options) {
  if (has_ext(path, ".csv")) {
    if (!options.edition)
      throw FileError(path, "", "a CSV of raw answers needs --edition (e.g. --edition 2564)");
    const Edition& e = editions.get(*options.edition);
    AnswerTally tally(e);
    read_answers_csv_file(path, tally);
    try {
      return ScoredInput{&e, {}, score(e, tally)};
    } catch (const InputError& err) {
      throw FileError(path, err.field(), err.what());
    }
  }
  const ResultInput in = parse_result_input(read_file(path), path);
  const Edition& e = editions.get(options.edition.value_or(in.edition));
  return ScoredInput{&e, in.agency, score_input(in, e, path)};
}

namespace {

std::vector<StatedValue> stated(const JsonFields& f, const json& j, const std::string& path) {
  std::vector<StatedValue> out;
  if (j.is_number()) return {StatedValue{j.get<double>(), ""}};
  f.array(j, path);
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string p = path + "/" + std::to_string(i);
    if (j[i].is_number()) {
      out.push_back({j[i].get<double>(), ""});
    } else {
      out.push_back(
          {f.number(f.member(j[i], p, "value"), p + "/value"), f.string_or(j[i], p, "where", "")});
    }
  }
  return out;
}

std::optional<std::vector<int>> id_list(const JsonFields& f, const json& root, const char* key) {
  const auto* j = f.optional(root, key);
  if (j == nullptr) return std::nullopt;
  const std::string p = std::string("/") + key;
  f.array(*j, p);
  std::vector<int> out;
  for (std::size_t i = 0; i < j->size(); ++i)
    out.push_back(f.integer((*j)[i], p + "/" + std::to_string(i)));
  return out;
}

}  // namespace

ClaimsInput parse_claims(std::string_view text, const std::string& file) {
  const json root = parse_json(text, file);
  JsonFields f(file);
  f.object(root, "");
  if (f.string(root, "", "format") != "ita-published-claims/1")
    f.fail("/format", "expected \"ita-published-claims/1\"");
  ClaimsInput c;
  c.edition = f.string(root, "", "edition");
  c.agency = agency(f, root);
  if (const auto* inds = f.optional(root, "indicators")) {
    f.object(*inds, "/indicators");
    for (const auto& [key, value] : inds->items()) {
      c.claims.indicators[indicator_key(f, key, "/indicators")] =
          stated(f, value, "/indicators/" + key);
    }
  }
  if (const auto* tools = f.optional(root, "tools")) {
    f.object(*tools, "/tools");
    for (const auto& [key, value] : tools->items()) {
      auto t = parse_tool(key);
      if (!t) f.fail("/tools/" + key, "expected IIT, EIT or OIT as the key");
      c.claims.tools[*t] = stated(f, value, "/tools/" + key);
    }
  }
  if (const auto* total = f.optional(root, "total")) c.claims.totals = stated(f, *total, "/total");
  if (f.optional(root, "level_th") != nullptr)
    c.claims.level_label_th = f.string(root, "", "level_th");
  c.claims.ranking = id_list(f, root, "ranking");
  c.claims.strengths = id_list(f, root, "strengths");
  c.claims.weaknesses = id_list(f, root, "weaknesses");
  return c;
}

}  // namespace ita::io
