// The JSON API (docs/api.md). Writes need a bearer token (`ita token create`), except the
// public survey submission.
#include <charconv>

#include "core/error.hpp"
#include "io/result_json.hpp"
#include "web/app.hpp"
#include "web/submission_body.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

std::int64_t path_id(const Request& r) {
  const std::string& s = r.params.at("id");
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) throw HttpError(404, "unknown round \"" + s + "\"");
  return v;
}

std::string str(const json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) throw HttpError(422, std::string("missing field \"") + key + "\"");
    return "";
  }
  if (!it->is_string()) throw HttpError(422, std::string("field \"") + key + "\" must be a string");
  return it->get<std::string>();
}

std::int64_t integer(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) throw HttpError(422, std::string("field \"") + key + "\" must be an integer");
  return it->get<std::int64_t>();
}

void only_fields(const json& j, std::initializer_list<const char*> allowed) {
  for (const auto& [k, _] : j.items()) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || k == a;
    if (!ok) throw HttpError(422, "unknown field \"" + k + "\"");
  }
}

}  // namespace

Response App::api_editions(Request&) {
  json out = json::array();
  for (const Edition* e : editions_.all()) out.push_back(io::edition_summary_json(*e));
  return Response::json(out);
}

Response App::api_create_agency(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  if (c.user->role != store::Role::Admin) throw HttpError(403, "only an administrator can create agencies");
  const json j = json_body(r);
  only_fields(j, {"name", "district", "province", "type"});
  store::Agency a{0, str(j, "name", true), str(j, "district", false), str(j, "province", false), str(j, "type", false)};
  if (blank(a.name)) throw HttpError(422, "field \"name\" must not be empty");
  const auto created = store_.create_agency(a, c.user->id);
  return Response::json({{"id", created.id}, {"name", created.name}, {"district", created.district},
                         {"province", created.province}, {"type", created.type}},
                        201);
}

Response App::api_create_round(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const json j = json_body(r);
  only_fields(j, {"agency_id", "edition", "staff_count", "service_users", "access_codes", "practice"});
  auto flag = [&j](const char* name) {
    if (!j.contains(name)) return false;
    if (!j[name].is_boolean()) throw HttpError(422, "field \"" + std::string(name) + "\" must be true or false");
    return j[name].get<bool>();
  };
  const bool codes = flag("access_codes");
  const bool practice = flag("practice");
  const auto staff = integer(j, "staff_count"), users = integer(j, "service_users");
  if (staff > 1000000 || users > 100000000) throw HttpError(422, "staff_count or service_users is too large");
  const auto round = create_round(c, integer(j, "agency_id"), str(j, "edition", true), static_cast<int>(staff),
                                  static_cast<int>(users), codes, practice);
  return Response::json(round_json(round), 201);
}

Response App::api_round(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto round = store_.round(path_id(r));
  if (!round || !can_view_agency(c, round->agency_id)) throw HttpError(404, "unknown round");
  return Response::json(round_json(*round));
}

Response App::api_submit(Request& r) {
  const auto round = survey_rounds_.by_id(path_id(r));
  if (!round) throw HttpError(404, "unknown round");
  const std::string& t = r.params.at("tool");
  if (t != "iit" && t != "eit") throw HttpError(404, "unknown survey \"" + t + "\"; expected iit or eit");
  SubmissionBody body = parse_submission_body(r.body);
  store::NewResponse response = new_response(*round, t == "iit" ? ToolId::IIT : ToolId::EIT,
                                             std::move(body.answers), body.access_code);
  // Validated: the writer stores it with its batch; the 201 goes out only after the commit.
  Response stored = Response::json({{"status", "stored"}, {"day", response.day}}, 201);
  auto pending = std::make_shared<PendingResponse>();
  writer_->submit(std::move(response), [pending, stored = std::move(stored)](
                                           const store::SubmitOutcome& o) mutable {
    switch (o.status) {
      case store::SubmitOutcome::Status::Stored:
        return pending->complete(std::move(stored));
      case store::SubmitOutcome::Status::Refused:
        return pending->complete(Response::error(409, o.message, true));
      case store::SubmitOutcome::Status::Failed:
        break;
    }
    Response failed = Response::error(
        503, "the response was not stored (" + o.message + "); send it again", true);
    failed.headers.emplace_back("Retry-After", "1");
    pending->complete(std::move(failed));
  });
  return Response::later(std::move(pending));
}

Response App::api_oit(Request& r, const std::string& action) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto round = store_.round(path_id(r));
  if (!round || !can_view_agency(c, round->agency_id)) throw HttpError(404, "unknown round");
  const json j = json_body(r);
  std::map<std::string, std::string> fields;
  if (action == "evidence") {
    only_fields(j, {"url", "note"});
    fields = {{"url", str(j, "url", true)}, {"note", str(j, "note", false)}};
  } else if (action == "appeal") {
    only_fields(j, {"explanation"});
    fields = {{"explanation", str(j, "explanation", true)}};
  } else {
    only_fields(j, {"verdict", "comment"});
    fields = {{"verdict", str(j, "verdict", true)}, {"comment", str(j, "comment", false)}};
  }
  const std::string& item = r.params.at("item");
  oit_step(c, *round, item, action, fields);
  for (const auto& e : store_.oit_entries(round->id)) {
    if (e.item != item) continue;
    json out = {{"item", e.item}, {"url", e.url}, {"note", e.note}, {"stage", oit_stage_code(e.stage)}};
    if (auto v = e.effective_verdict()) out["verdict"] = *v ? "pass" : "fail";
    return Response::json(out);
  }
  return Response::json({{"item", item}});
}

Response App::api_result(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto round = store_.round(path_id(r));
  if (!round || !can_view_agency(c, round->agency_id)) throw HttpError(404, "unknown round");
  const Edition& e = edition_of(*round);
  const RoundScore s = score_round(store_, e, *round);
  if (!s.result) return Response::json({{"error", {{"status", 409}, {"message", "the result cannot be computed yet"}, {"missing", s.missing}}}}, 409);
  const auto agency = store_.agency(round->agency_id);
  const io::AgencyInfo info{agency->name, agency->district, agency->province, agency->type};
  json out =
      io::result_json(e, without_small_group_items(*s.result, options_.min_respondents), info);
  out["items_withheld"] = json::array();
  for (const ToolId t : small_groups(s.result->respondents, options_.min_respondents))
    out["items_withheld"].push_back(tool_code(t));
  return Response::json(out);
}

}  // namespace ita::web
