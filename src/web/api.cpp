// The JSON API (docs/api.md). Writes need a bearer token (`ita token create`), except the
// public survey submission.
#include "core/privacy.hpp"
#include "io/result_json.hpp"
#include "service/responses.hpp"
#include "service/rounds.hpp"
#include "service/scoring.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"
#include "web/submission_body.hpp"

namespace ita::web {

namespace {

using nlohmann::json;
using service::OitStep;

// The API's rounds: a caller who may not see one gets 404, as for a round that does not exist.
constexpr RoundAccess kVisible{RoundAccess::Need::View, nullptr, true};

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
  if (it == j.end() || !it->is_number_integer())
    throw HttpError(422, std::string("field \"") + key + "\" must be an integer");
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

void Api::add_routes(Router& router) {
  route(router, "POST", "/api/v1/agencies", this, &Api::create_agency);
  route(router, "POST", "/api/v1/rounds", this, &Api::create_round);
  route(router, "GET", "/api/v1/rounds/{id}", this, &Api::round);
  route(router, "POST", "/api/v1/rounds/{id}/responses/{tool}", this, &Api::submit);
  route(router, "PUT", "/api/v1/rounds/{id}/oit/{item}", this, &Api::oit, OitStep::Evidence);
  route(router, "POST", "/api/v1/rounds/{id}/oit/{item}/review", this, &Api::oit, OitStep::Review);
  route(router, "POST", "/api/v1/rounds/{id}/oit/{item}/appeal", this, &Api::oit, OitStep::Appeal);
  route(router, "POST", "/api/v1/rounds/{id}/oit/{item}/confirm", this, &Api::oit,
        OitStep::Confirm);
  route(router, "GET", "/api/v1/rounds/{id}/result", this, &Api::result);
  route(router, "GET", "/api/v1/editions", this, &Api::editions);
}

Response Api::editions(Request&) {
  json out = json::array();
  for (const Edition* e : web_.editions.all()) out.push_back(io::edition_summary_json(*e));
  return Response::json(out);
}

Response Api::create_agency(Request& r) {
  Caller c = web_.signed_in(r);
  if (c.user->role != store::Role::Admin)
    throw HttpError(403, "only an administrator can create agencies");
  const json j = json_body(r);
  only_fields(j, {"name", "district", "province", "type"});
  store::Agency a{0, str(j, "name", true), str(j, "district", false), str(j, "province", false),
                  str(j, "type", false)};
  if (blank(a.name)) throw HttpError(422, "field \"name\" must not be empty");
  const auto created = web_.store.create_agency(a, c.user->id);
  return Response::json(agency_json(created), 201);
}

Response Api::create_round(Request& r) {
  Caller c = web_.signed_in(r);
  const json j = json_body(r);
  only_fields(j,
              {"agency_id", "edition", "staff_count", "service_users", "access_codes", "practice"});
  auto flag = [&j](const char* name) {
    if (!j.contains(name)) return false;
    if (!j[name].is_boolean())
      throw HttpError(422, "field \"" + std::string(name) + "\" must be true or false");
    return j[name].get<bool>();
  };
  service::NewRound request;
  request.access_codes = flag("access_codes");
  request.practice = flag("practice");
  const auto staff = integer(j, "staff_count"), users = integer(j, "service_users");
  if (staff > 1000000 || users > 100000000)
    throw HttpError(422, "staff_count or service_users is too large");
  request.staff_count = static_cast<int>(staff);
  request.service_users = static_cast<int>(users);
  request.agency_id = integer(j, "agency_id");
  request.edition = str(j, "edition", true);
  service::find_agency(web_.store, request.agency_id);
  if (!web_.can_manage_agency(c, request.agency_id))
    throw HttpError(403, "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานหรือผู้ดูแลระบบเท่านั้น");
  const auto round = service::create_round(web_.store, web_.editions, request, c.user->id);
  return Response::json(web_.round_json(round), 201);
}

Response Api::round(Request& r) {
  Caller c = web_.signed_in(r);
  return Response::json(web_.round_json(web_.authorized_round(r, c, kVisible)));
}

Response Api::submit(Request& r) {
  const auto round = rounds_.by_id(web_.round_id(r, true));
  if (!round) throw HttpError(404, "unknown round");
  const std::string& t = r.params.at("tool");
  if (t != "iit" && t != "eit")
    throw HttpError(404, "unknown survey \"" + t + "\"; expected iit or eit");
  SubmissionBody body = parse_submission_body(r.body);
  store::NewResponse response = service::accept_response(web_.edition_of(*round), *round,
                                                         t == "iit" ? ToolId::IIT : ToolId::EIT,
                                                         std::move(body.answers), body.access_code);
  // Validated: the writer stores it with its batch; the 201 goes out only after the commit.
  Response stored = Response::json({{"status", "stored"}, {"day", response.day}}, 201);
  return reply_after_commit(
      writer_, std::move(response), std::move(stored),
      [](const store::SubmitOutcome& o) { return Response::error(409, o.message, true); },
      [](const store::SubmitOutcome& o) {
        return Response::error(
            503, "the response was not stored (" + o.message + "); send it again", true);
      });
}

Response Api::oit(Request& r, OitStep step) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, kVisible);
  const json j = json_body(r);
  std::map<std::string, std::string> fields;
  if (step == OitStep::Evidence) {
    only_fields(j, {"url", "note"});
    fields = {{"url", str(j, "url", true)}, {"note", str(j, "note", false)}};
  } else if (step == OitStep::Appeal) {
    only_fields(j, {"explanation"});
    fields = {{"explanation", str(j, "explanation", true)}};
  } else {
    only_fields(j, {"verdict", "comment"});
    fields = {{"verdict", str(j, "verdict", true)}, {"comment", str(j, "comment", false)}};
  }
  const std::string& item = r.params.at("item");
  take_oit_step(web_, c, round, item, step, fields);
  for (const auto& e : web_.store.oit_entries(round.id)) {
    if (e.item != item) continue;
    json out = {
        {"item", e.item}, {"url", e.url}, {"note", e.note}, {"stage", oit_stage_code(e.stage)}};
    if (auto v = e.effective_verdict()) out["verdict"] = *v ? "pass" : "fail";
    return Response::json(out);
  }
  return Response::json({{"item", item}});
}

Response Api::result(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, kVisible);
  const Edition& e = web_.edition_of(round);
  const service::RoundScore s = service::score_round(web_.store, e, round);
  if (!s.result)
    return Response::json({{"error",
                            {{"status", 409},
                             {"message", "the result cannot be computed yet"},
                             {"missing", s.missing}}}},
                          409);
  const auto agency = web_.store.agency(round.agency_id);
  const io::AgencyInfo info{agency->name, agency->district, agency->province, agency->type};
  const std::size_t min = web_.options.min_respondents;
  json out = io::result_json(e, without_small_group_items(*s.result, min), info);
  out["items_withheld"] = json::array();
  for (const ToolId t : small_groups(s.result->respondents, min))
    out["items_withheld"].push_back(tool_code(t));
  return Response::json(out);
}

}  // namespace ita::web
