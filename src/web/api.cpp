// The JSON API (docs/api.md). Writes need a bearer token (`ita token create`), except the
// public survey submission by the survey link's token (POST /api/v1/s/{token}/responses).
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>

#include "core/privacy.hpp"
#include "core/thai.hpp"
#include "io/result_json.hpp"
#include "service/agencies.hpp"
#include "service/calendar.hpp"
#include "service/listing.hpp"
#include "service/release.hpp"
#include "service/responses.hpp"
#include "service/rounds.hpp"
#include "service/scoring.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"
#include "web/submission_body.hpp"
#include "web/views.hpp"

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
  // An unsigned number above 2^63 - 1 is not one: read as int64 it would wrap to a negative
  // value that nobody sent.
  if (it == j.end() || !it->is_number_integer() ||
      (it->is_number_unsigned() &&
       it->get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()}))
    throw HttpError(422, std::string("field \"") + key + "\" must be an integer");
  return it->get<std::int64_t>();
}

// The "urls" of a PUT …/oit/{item} body (`it`, in `j`) as the service takes them, one a line.
// Throws HttpError 422 for a "urls" that is not an array of non-empty one-line strings, or a
// "url" given with it that is not its first.
std::string evidence_url_lines(const json& j, json::const_iterator it) {
  if (!it->is_array()) throw HttpError(422, "field \"urls\" must be an array of strings");
  std::string lines;
  for (const auto& u : *it) {
    if (!u.is_string() || u.get<std::string>().empty() ||
        u.get<std::string>().find_first_of("\r\n") != std::string::npos)
      throw HttpError(422, "field \"urls\" must hold one URL per string");
    lines += (lines.empty() ? "" : "\n") + u.get<std::string>();
  }
  if (const auto url = j.find("url");
      url != j.end() && !url->is_null() && (it->empty() || *url != it->front()))
    throw HttpError(422, "field \"url\" must be the first of \"urls\" when both are given");
  return lines;
}

void only_fields(const json& j, std::initializer_list<const char*> allowed) {
  for (const auto& [k, _] : j.items()) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || k == a;
    if (!ok) throw HttpError(422, "unknown field \"" + k + "\"");
  }
}

// The field "closes_at" of `j`: a date "YYYY-MM-DD" (Common Era), or none when null or absent.
std::optional<std::chrono::year_month_day> closes_at_field(const json& j) {
  auto it = j.find("closes_at");
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) {
    if (auto d = parse_iso_date(it->get<std::string>())) return d;
  }
  throw HttpError(422, "field \"closes_at\" must be a date \"YYYY-MM-DD\" (Common Era) or null");
}

// The round of {id} that `c` may change: 404 when `c` may not see it, 403 when `c` may see it but
// is not an officer of its agency or an administrator.
store::Round managed_round(Context& web, const Request& r, const Caller& c) {
  store::Round round = web.authorized_round(r, c, kVisible);
  if (!web.can_manage_agency(c, round.agency_id))
    throw HttpError(403,
                    "only an officer of the round's agency or an administrator can change it "
                    "(เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานหรือผู้ดูแลระบบเท่านั้น)");
  return round;
}

// The one agency `c` is limited to in lists: nothing for administrators and assessors (every
// agency), the user's own for officers and viewers (0, which no agency has, for one without).
std::optional<std::int64_t> only_agency(const Caller& c) {
  if (c.user->role == store::Role::Admin || c.user->role == store::Role::Assessor)
    return std::nullopt;
  return c.user->agency_id.value_or(0);
}

// A page of a list as the API answers it: {"items": [...], "next": cursor or null, "total": N}.
template <typename T, typename ToJson>
json page_json(const service::Page<T>& page, ToJson to_json) {
  json items = json::array();
  for (const auto& item : page.items) items.push_back(to_json(item));
  return {{"items", std::move(items)},
          {"next", page.next ? json(*page.next) : json(nullptr)},
          {"total", page.total}};
}

json oit_entry_json(const OitEntry& e, const OitItem& item) {
  auto verdict = [](std::optional<bool> v) {
    return v ? json(*v ? "pass" : "fail") : json(nullptr);
  };
  auto text = [](const std::string& t) { return t.empty() ? json(nullptr) : json(t); };
  return {{"item", e.item},
          {"name_th", item.name_th},
          {"criteria_th", text(item.criteria_th)},  // what the page must show; null: not known
          {"stage", oit_stage_code(e.stage)},
          {"url", e.url},
          {"urls", e.urls()},
          {"note", e.note},
          {"verdict", verdict(e.effective_verdict())},
          {"review_verdict", verdict(e.verdict)},
          {"review_comment", text(e.review_comment)},
          {"appeal_explanation", text(e.appeal_explanation)},
          {"final_verdict", verdict(e.final_verdict)},
          {"final_comment", text(e.final_comment)}};
}

}  // namespace

void Api::add_routes(Router& router) {
  route(router, "GET", "/api/v1/openapi.json", this, &Api::openapi);
  route(router, "GET", "/api/v1/agencies", this, &Api::agencies);
  route(router, "GET", "/api/v1/agencies/{id}", this, &Api::agency);
  route(router, "POST", "/api/v1/agencies", this, &Api::create_agency);
  route(router, "PUT", "/api/v1/agencies/{id}/website", this, &Api::set_agency_website);
  route(router, "GET", "/api/v1/rounds", this, &Api::rounds);
  route(router, "POST", "/api/v1/rounds", this, &Api::create_round);
  route(router, "GET", "/api/v1/rounds/{id}", this, &Api::round);
  route(router, "GET", "/api/v1/rounds/{id}/oit", this, &Api::oit_state);
  route(router, "POST", "/api/v1/rounds/{id}/close", this, &Api::close_round);
  route(router, "POST", "/api/v1/rounds/{id}/reopen", this, &Api::reopen_round);
  route(router, "PUT", "/api/v1/rounds/{id}/closing-date", this, &Api::closing_date);
  route(router, "POST", "/api/v1/rounds/{id}/responses/{tool}", this, &Api::submit);
  route(router, "POST", "/api/v1/s/{token}/responses", this, &Api::submit_by_link);
  route(router, "PUT", "/api/v1/rounds/{id}/oit/{item}", this, &Api::oit, OitStep::Evidence);
  route(router, "POST", "/api/v1/rounds/{id}/oit/{item}/review", this, &Api::oit, OitStep::Review);
  route(router, "POST", "/api/v1/rounds/{id}/oit/{item}/appeal", this, &Api::oit, OitStep::Appeal);
  route(router, "POST", "/api/v1/rounds/{id}/oit/{item}/decline", this, &Api::oit,
        OitStep::Decline);
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

Response Api::openapi(Request&) {
  const std::string* document = static_file("openapi.json");
  if (document == nullptr) throw HttpError(500, "the OpenAPI document is not built in");
  Response res = Response::text(*document);
  res.content_type = "application/json";
  return res;
}

Response Api::agencies(Request& r) {
  Caller c = web_.signed_in(r);
  service::AgencyFilter filter = service::agency_filter(r.query);
  filter.only = only_agency(c);
  const auto page = service::list_agencies(web_.store, filter, service::page_request(r.query));
  return Response::json(page_json(page, agency_json));
}

Response Api::agency(Request& r) {
  Caller c = web_.signed_in(r);
  service::only_parameters(r.query, {});
  const std::string& s = r.params.at("id");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  std::optional<store::Agency> a;
  if (ec == std::errc() && end == s.data() + s.size() && id > 0 && web_.can_view_agency(c, id))
    a = web_.store.agency(id);
  // An agency the caller may not see is answered as one that does not exist.
  if (!a) throw HttpError(404, "unknown agency \"" + s + "\" (ไม่พบหน่วยงาน)");
  return Response::json(agency_json(*a));
}

Response Api::rounds(Request& r) {
  Caller c = web_.signed_in(r);
  service::RoundFilter filter = service::round_filter(r.query);
  filter.only = only_agency(c);
  const auto page = service::list_rounds(web_.store, web_.editions, filter,
                                         service::page_request(r.query), service::thai_today());
  return Response::json(page_json(page, [&](const store::Round& x) { return web_.round_json(x); }));
}

Response Api::oit_state(Request& r) {
  Caller c = web_.signed_in(r);
  service::only_parameters(r.query, {});
  const store::Round round = web_.authorized_round(r, c, kVisible);
  const Edition& e = web_.edition_of(round);
  json items = json::array();
  for (const OitEntry& entry : service::oit_state(web_.store, e, round.id))
    items.push_back(oit_entry_json(entry, service::oit_item(e, entry.item)));
  return Response::json({{"round_id", round.id}, {"edition", e.id}, {"items", std::move(items)}});
}

Response Api::create_agency(Request& r) {
  Caller c = web_.signed_in(r);
  if (c.user->role != store::Role::Admin)
    throw HttpError(403, "only an administrator can create agencies");
  const json j = json_body(r);
  only_fields(j, {"name", "district", "province", "type", "website"});
  store::Agency a{0,
                  str(j, "name", true),
                  str(j, "district", false),
                  str(j, "province", false),
                  str(j, "type", false),
                  str(j, "website", false)};
  if (blank(a.name)) throw HttpError(422, "field \"name\" must not be empty");
  const auto created = service::create_agency(web_.store, a, c.user->id);
  return Response::json(agency_json(created), 201);
}

// The agency's officers and administrators; an agency the caller may not see is 404, as on GET.
Response Api::set_agency_website(Request& r) {
  Caller c = web_.signed_in(r);
  const std::int64_t id = path_id(r, "id", "หน่วยงาน");
  if (!web_.store.agency(id) || !web_.can_view_agency(c, id))
    throw HttpError(404, "unknown agency \"" + r.params.at("id") + "\" (ไม่พบหน่วยงาน)");
  if (!web_.can_manage_agency(c, id))
    throw HttpError(403, "only the agency's ITA officers or an administrator can set its website");
  const json j = json_body(r);
  only_fields(j, {"website"});
  if (!j.contains("website")) throw HttpError(422, "missing field \"website\"");
  const std::string website = str(j, "website", false);
  return Response::json(
      agency_json(service::set_agency_website(web_.store, id, website, c.user->id)));
}

Response Api::create_round(Request& r) {
  Caller c = web_.signed_in(r);
  const json j = json_body(r);
  only_fields(j, {"agency_id", "edition", "staff_count", "service_users", "access_codes",
                  "practice", "closes_at", "response_cap_percent"});
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
  request.closes_at = closes_at_field(j);
  if (auto it = j.find("response_cap_percent"); it != j.end()) {  // absent: the default, 100
    if (!it->is_null() && !it->is_number_integer())
      throw HttpError(422, "field \"response_cap_percent\" must be an integer or null");
    request.response_cap_percent = std::nullopt;
    if (it->is_number_integer())
      request.response_cap_percent =
          static_cast<int>(std::clamp<std::int64_t>(it->get<std::int64_t>(), 0, 100000));
  }
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

Response Api::close_round(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = managed_round(web_, r, c);
  const auto closed = service::close_round(web_.store, round.id, c.user->id, service::thai_today());
  rounds_.forget(round.id);
  return Response::json(web_.round_json(closed));
}

Response Api::reopen_round(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, kVisible);
  if (c.user->role != store::Role::Admin)
    throw HttpError(403, "only an administrator can reopen a round (เฉพาะผู้ดูแลระบบเท่านั้น)");
  const auto open = service::reopen_round(web_.store, round.id, c.user->id, service::thai_today());
  rounds_.forget(round.id);
  return Response::json(web_.round_json(open));
}

Response Api::closing_date(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = managed_round(web_, r, c);
  const json j = json_body(r);
  only_fields(j, {"closes_at"});
  if (!j.contains("closes_at")) throw HttpError(422, "missing field \"closes_at\"");
  const auto changed = service::set_closing_date(web_.store, round.id, closes_at_field(j),
                                                 c.user->id, service::thai_today());
  rounds_.forget(round.id);
  return Response::json(web_.round_json(changed));
}

// By round id: for imports and tests, signed in as an officer of the round's agency or an
// administrator. Respondents use the survey link's route (submit_by_link).
Response Api::submit(Request& r) {
  const Caller c = web_.signed_in(r);
  const std::string& t = r.params.at("tool");
  if (t != "iit" && t != "eit")
    throw HttpError(404, "unknown survey \"" + t + "\"; expected iit or eit");
  const store::Round round = managed_round(web_, r, c);
  return store_response(r, round, t == "iit" ? ToolId::IIT : ToolId::EIT);
}

// By the survey link's token, which names the round and the tool: no login, so rate-limited per
// client address (and capped per round by the store).
Response Api::submit_by_link(Request& r) {
  if (auto busy = web_.survey_rate_limited(r, Context::SurveyStep::Send)) return std::move(*busy);
  const std::string& token = r.params.at("token");
  const auto round = rounds_.by_token(token);
  if (!round) throw HttpError(404, "unknown survey link (ไม่พบแบบวัดนี้ ลิงก์อาจไม่ถูกต้อง)");
  return store_response(r, *round, round->iit_token == token ? ToolId::IIT : ToolId::EIT);
}

Response Api::store_response(Request& r, const store::Round& round, ToolId tool) {
  using Refusal = store::SubmitOutcome::Refusal;
  if (store::effective_status(round, service::thai_today()) != store::RoundStatus::Open)
    throw HttpError(409,
                    "รอบการประเมินนี้ปิดรับคำตอบแล้ว (the round is closed: it accepts no more "
                    "responses)");
  SubmissionBody body = parse_submission_body(r.body);
  store::NewResponse response = service::accept_response(web_.edition_of(round), round, tool,
                                                         std::move(body.answers), body.access_code);
  // Validated: the writer stores it with its batch; the 201 goes out only after the commit.
  Response stored = Response::json({{"status", "stored"}, {"day", response.day}}, 201);
  return reply_after_commit(
      writer_, std::move(response), std::move(stored),
      [](const store::SubmitOutcome& o) {
        if (o.refusal == Refusal::CapReached)
          return Response::error(
              409, "แบบวัดนี้ได้รับคำตอบครบตามจำนวนบุคลากรที่หน่วยงานแจ้งไว้แล้ว (" + o.message + ")", true);
        return Response::error(409, o.message, true);
      },
      [](const store::SubmitOutcome& o) {
        return Response::error(
            503, "the response was not stored (" + o.message + "); send it again", true);
      });
}

Response Api::oit(Request& r, OitStep step) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, kVisible);
  // Declining has nothing to say: an empty body is {}.
  const json j = step == OitStep::Decline && r.body.empty() ? json::object() : json_body(r);
  std::map<std::string, std::string> fields;
  if (step == OitStep::Evidence) {
    only_fields(j, {"url", "urls", "note"});
    fields = {{"note", str(j, "note", false)}};
    if (const auto urls = j.find("urls"); urls != j.end() && !urls->is_null())
      fields["urls"] = evidence_url_lines(j, urls);
    else
      fields["url"] = str(j, "url", true);
  } else if (step == OitStep::Appeal) {
    only_fields(j, {"explanation"});
    fields = {{"explanation", str(j, "explanation", true)}};
  } else if (step == OitStep::Decline) {
    only_fields(j, {});
  } else {
    only_fields(j, {"verdict", "comment"});
    fields = {{"verdict", str(j, "verdict", true)}, {"comment", str(j, "comment", false)}};
  }
  const std::string& item = r.params.at("item");
  take_oit_step(web_, c, round, item, step, fields);
  for (const auto& e : web_.store.oit_entries(round.id)) {
    if (e.item != item) continue;
    json out = {{"item", e.item},
                {"url", e.url},
                {"urls", e.urls()},
                {"note", e.note},
                {"stage", oit_stage_code(e.stage)}};
    if (auto v = e.effective_verdict()) out["verdict"] = *v ? "pass" : "fail";
    return Response::json(out);
  }
  return Response::json({{"item", item}});
}

Response Api::result(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, kVisible);
  const Edition& e = web_.edition_of(round);
  const std::size_t min = web_.options.min_respondents;
  const service::ReleasedResult s =
      service::released_result(web_.store, e, round, min, service::thai_today());
  if (!s.result)
    return Response::json({{"error",
                            {{"status", 409},
                             {"message", "the result cannot be computed yet"},
                             {"missing", s.missing}}}},
                          409);
  const auto agency = web_.store.agency(round.agency_id);
  const io::AgencyInfo info{agency->name, agency->district, agency->province, agency->type};
  json out = io::result_json(e, without_small_group_items(*s.result, min), info);
  out["items_withheld"] = json::array();
  for (const ToolId t : small_groups(s.result->respondents, min))
    out["items_withheld"].push_back(tool_code(t));
  // An open round's figures are its last release (service/release.hpp): say so, and what they
  // cover.
  out["provisional"] = s.provisional;
  if (s.release) {
    out["released_respondents"] = json::object();
    for (const auto& [tool, n] : s.release->respondents)
      out["released_respondents"][std::string(tool_code(tool))] = n;
    out["released_on"] = format_iso_date(s.release->released_on);
  }
  return Response::json(out);
}

}  // namespace ita::web
