// The OIT readiness check as pages and API (service/oit_check.hpp): the agency's officers start
// a check from the round's OIT page (or the API); it runs on the runner's thread, and its
// report lists each item's verdict with the reason in Thai and the predicted scores.
#include "report/render.hpp"
#include "report/report.hpp"
#include "service/calendar.hpp"
#include "web/areas.hpp"
#include "web/oit_check_view.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

constexpr RoundAccess kManage{RoundAccess::Need::Manage,
                              "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานเท่านั้นที่สั่งตรวจหลักฐานได้"};
constexpr RoundAccess kView{RoundAccess::Need::View, "ไม่มีสิทธิ์ดูรอบการประเมินนี้"};
// The API answers 404 for a round the caller may not see, as for one that does not exist.
constexpr RoundAccess kApiManage{RoundAccess::Need::Manage, nullptr};
constexpr RoundAccess kApiView{RoundAccess::Need::View, nullptr};

json optional_score(std::optional<double> v) {
  return v ? json(*v) : json(nullptr);
}

// A check as the API returns it: codes, unix seconds, English keys; results when it has them.
json check_json(const store::OitCheck& c) {
  json results = json::array();
  for (const store::OitCheckResult& r : c.results) {
    results.push_back({{"item", r.item},
                       {"verdict", readiness_code(r.verdict)},
                       {"reason_th", r.reason_th},
                       {"url", r.url.empty() ? json(nullptr) : json(r.url)},
                       {"http_status", r.http_status == 0 ? json(nullptr) : json(r.http_status)}});
  }
  json j = {{"id", c.id},
            {"round_id", c.round_id},
            {"started_at", c.started_at},
            {"finished_at", c.finished_at ? json(*c.finished_at) : json(nullptr)},
            {"state", check_state_code(c, service::unix_now())},
            {"predicted_oit", optional_score(c.predicted_oit)},
            {"predicted_total", optional_score(c.predicted_total)}};
  if (c.finished_at) j["results"] = std::move(results);
  return j;
}

}  // namespace

void OitChecks::add_routes(Router& router) {
  route(router, "POST", "/rounds/{id}/oit-checks", this, &OitChecks::start);
  route(router, "GET", "/rounds/{id}/oit-checks/{check}", this, &OitChecks::report);
  route(router, "GET", "/rounds/{id}/oit-checks/{check}/{file}", this, &OitChecks::document);
  route(router, "POST", "/api/v1/rounds/{id}/oit/check", this, &OitChecks::api_start);
  route(router, "GET", "/api/v1/rounds/{id}/oit/checks", this, &OitChecks::api_list);
  route(router, "GET", "/api/v1/rounds/{id}/oit/checks/{check}", this, &OitChecks::api_check);
}

Response OitChecks::start(Request& r) {
  Caller c = web_.signed_in(r);
  web_.require_csrf(r, c, r.form());
  const store::Round round = web_.authorized_round(r, c, kManage);
  runner_.enqueue(round.id, c.user->id);
  return Response::redirect("/rounds/" + std::to_string(round.id) +
                            "/oit?done=check_started#readiness");
}

store::OitCheck OitChecks::find(Request& r, const Caller& c) {
  const bool api = r.path.starts_with("/api/");
  const store::Round round = web_.authorized_round(r, c, api ? kApiView : kView);
  const std::int64_t id = path_id(r, "check", "การตรวจหลักฐาน");
  if (auto check = web_.store.oit_check(round.id, id)) return std::move(*check);
  throw HttpError(404, api ? "unknown check " + std::to_string(id)
                           : "ไม่พบการตรวจหลักฐานครั้งที่ " + std::to_string(id));
}

Response OitChecks::report(Request& r) {
  Caller c = web_.signed_in(r);
  const store::OitCheck check = find(r, c);
  const store::Round round = *web_.store.round(check.round_id);
  const Edition& e = web_.edition_of(round);
  json m = web_.page_model(r, c, "รายงานความพร้อมของหลักฐาน OIT");
  m["round"] = web_.round_json(round);
  m["agency"] = agency_json(*web_.store.agency(round.agency_id));
  m["check"] = check_view(check, e, service::unix_now());
  return web_.page("oit_check", m);
}

Response OitChecks::document(Request& r) {
  Caller c = web_.signed_in(r);
  const store::OitCheck check = find(r, c);
  const std::string& file = r.params.at("file");
  const auto dot = file.rfind('.');
  const auto format = report::parse_format(dot == std::string::npos ? "" : file.substr(dot + 1));
  if (!format || file.substr(0, dot) != "report" || !check.finished_at)
    throw HttpError(
        404, "ไม่พบไฟล์ " + file + " (report.pdf, report.html หรือ report.docx ของการตรวจที่เสร็จแล้ว)");
  const store::Round round = *web_.store.round(check.round_id);
  // As the measures documents: Thai digits unless ?thai_digits=0.
  const bool thai_digits =
      r.query.contains("thai_digits") ? r.query.at("thai_digits") != "0" : true;
  const report::Document doc = report::build_readiness_document(
      readiness_report(check, web_.edition_of(round), web_.store.agency(round.agency_id)->name),
      report::DocumentOptions{thai_digits, true});
  Response res = Response::text(report::render(*format, doc, report::RenderOptions{}));
  res.content_type = std::string(report::content_type(*format));
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"ita-oit-check-" +
                                                      std::to_string(check.id) + "." +
                                                      file.substr(dot + 1) + "\"");
  return res;
}

Response OitChecks::api_start(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, kApiManage);
  const std::int64_t id = runner_.enqueue(round.id, c.user->id);
  for (const store::OitCheck& check : web_.store.oit_checks(round.id, 1, false)) {
    if (check.id == id) return Response::json(check_json(check), 202);
  }
  return Response::json({{"id", id}, {"round_id", round.id}}, 202);
}

Response OitChecks::api_list(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, kApiView);
  json checks = json::array();
  for (const store::OitCheck& check : web_.store.oit_checks(round.id, kOitCheckHistory, false))
    checks.push_back(check_json(check));
  return Response::json({{"round_id", round.id}, {"checks", std::move(checks)}});
}

Response OitChecks::api_check(Request& r) {
  Caller c = web_.signed_in(r);
  return Response::json(check_json(find(r, c)));
}

}  // namespace ita::web
