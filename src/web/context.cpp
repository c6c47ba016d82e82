#include "web/context.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <set>

#include "core/error.hpp"
#include "core/thai.hpp"
#include "service/calendar.hpp"
#include "service/errors.hpp"
#include "web/app.hpp"
#include "web/auth.hpp"
#include "web/views.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

std::string bearer(const Request& r) {
  const std::string h = r.header("authorization");
  return h.starts_with("Bearer ") ? h.substr(7) : "";
}

// A request of the JSON API that may change something (not GET, HEAD or OPTIONS).
bool changes_state_through_api(const Request& r) {
  return r.path.starts_with("/api/") && r.method != "GET" && r.method != "HEAD" &&
         r.method != "OPTIONS";
}

}  // namespace

std::int64_t path_id(const Request& r, const char* name, const std::string& what_th) {
  const std::string& s = r.params.at(name);
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0)
    throw HttpError(404, "ไม่พบ" + what_th + " \"" + s + "\"");
  return v;
}

nlohmann::json json_body(const Request& r) {
  return json_body(r.body);
}

nlohmann::json json_body(const std::string& body) {
  std::vector<std::set<std::string>> keys;  // per open object
  const json::parser_callback_t no_duplicates = [&keys](int, json::parse_event_t event,
                                                        json& parsed) {
    if (event == json::parse_event_t::object_start) keys.emplace_back();
    if (event == json::parse_event_t::object_end) keys.pop_back();
    if (event == json::parse_event_t::key &&
        !keys.back().insert(parsed.get<std::string>()).second) {
      throw HttpError(400, "malformed JSON: the key \"" + parsed.get<std::string>() +
                               "\" is given twice in one object");
    }
    return true;
  };
  json j;
  try {
    j = json::parse(body, no_duplicates);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number overflow
    throw HttpError(400, std::string("malformed JSON: ") + e.what());
  }
  if (!j.is_object()) throw HttpError(400, "the request body must be a JSON object");
  return j;
}

bool blank(const std::string& s) {
  // Besides ASCII white space, the invisible characters a pasted Thai name may carry: no-break
  // and typographic spaces (U+00A0, U+2000-200A, U+202F, U+205F, U+3000), zero-width space and
  // joiners (U+200B-200D), word joiner (U+2060) and the byte order mark (U+FEFF).
  static constexpr std::string_view kInvisible[] = {
      "\u00a0", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005",
      "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u200b", "\u200c",
      "\u200d", "\u202f", "\u205f", "\u2060", "\u3000", "\ufeff"};
  std::string_view rest = s;
  while (!rest.empty()) {
    if (rest.front() == ' ' || rest.front() == '\t' || rest.front() == '\r' ||
        rest.front() == '\n') {
      rest.remove_prefix(1);
      continue;
    }
    const auto* hit =
        std::ranges::find_if(kInvisible, [&](std::string_view c) { return rest.starts_with(c); });
    if (hit == std::end(kInvisible)) return false;
    rest.remove_prefix(hit->size());
  }
  return true;
}

std::string field(const std::map<std::string, std::string>& form, const char* key) {
  auto it = form.find(key);
  return it == form.end() ? "" : it->second;
}

json agency_json(const store::Agency& a) {
  return {
      {"id", a.id},     {"name", a.name},      {"district", a.district}, {"province", a.province},
      {"type", a.type}, {"website", a.website}};
}

Response reply_after_commit(store::SubmissionWriter& writer, store::NewResponse response,
                            Response stored, OutcomeReply refused, OutcomeReply failed) {
  auto pending = std::make_shared<PendingResponse>();
  writer.submit(std::move(response),
                [pending, stored = std::move(stored), refused = std::move(refused),
                 failed = std::move(failed)](const store::SubmitOutcome& o) mutable {
                  switch (o.status) {
                    case store::SubmitOutcome::Status::Stored:
                      return pending->complete(std::move(stored));
                    case store::SubmitOutcome::Status::Refused:
                      return pending->complete(refused(o));
                    case store::SubmitOutcome::Status::Failed:
                      break;
                  }
                  Response reply = failed(o);
                  reply.headers.emplace_back("Retry-After", "1");
                  pending->complete(std::move(reply));
                });
  return Response::later(std::move(pending));
}

Context::Context(store::Store& s, service::EditionCatalog& e, const AppOptions& o)
    : store(s),
      editions(e),
      options(o),
      survey_limiter_(o.survey_rate_per_minute, o.survey_burst) {}

Caller Context::caller(const Request& r) {
  Caller c;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  if (const std::string token = bearer(r); !token.empty()) {
    c.user = store.user_by_api_token(sha256_hex(token), now);
    if (!c.user) throw HttpError(401, "invalid, expired or revoked API token");
    c.via_token = true;
    return c;
  }
  if (auto cookie = r.cookie(kSessionCookie)) {
    c.session = store.session(sha256_hex(*cookie), now);
    if (c.session) c.user = store.user(c.session->user_id);
    // Disabling a user deletes their sessions; this covers one made in the same instant.
    if (!c.user || c.user->disabled_at) return Caller{};
    // Another site can make a browser send the cookie with any request, but not a header of our
    // choosing: a change through the API by cookie needs the session's CSRF token in one.
    if (changes_state_through_api(r) &&
        !same_secret(r.header(kCsrfHeader), c.session->csrf_token)) {
      throw HttpError(403,
                      "the JSON API needs the X-CSRF-Token header (the session's CSRF token) when "
                      "signed in with a cookie; or use a bearer token (ส่ง X-CSRF-Token ด้วย)");
    }
  }
  return c;
}

Caller Context::signed_in(const Request& r) {
  Caller c = caller(r);
  if (!c.user) throw NeedLogin();
  return c;
}

bool Context::csrf_ok(const Request& r, const Caller& c,
                      const std::map<std::string, std::string>& form) const {
  auto it = form.find("csrf");
  if (it == form.end()) return false;
  if (c.session) return same_secret(it->second, c.session->csrf_token);
  const auto cookie = r.cookie(kCsrfCookie);
  return cookie && !cookie->empty() && same_secret(it->second, *cookie);
}

void Context::require_csrf(const Request& r, const Caller& c,
                           const std::map<std::string, std::string>& form) const {
  if (!csrf_ok(r, c, form)) throw HttpError(403, "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่");
}

bool Context::can_view_agency(const Caller& c, std::int64_t agency_id) const {
  if (!c.user) return false;
  if (c.user->role == store::Role::Admin || c.user->role == store::Role::Assessor) return true;
  return c.user->agency_id == agency_id;
}

bool Context::can_manage_agency(const Caller& c, std::int64_t agency_id) const {
  if (!c.user) return false;
  return c.user->role == store::Role::Admin ||
         (c.user->role == store::Role::Officer && c.user->agency_id == agency_id);
}

bool Context::is_assessor(const Caller& c) const {
  return c.user && (c.user->role == store::Role::Assessor || c.user->role == store::Role::Admin);
}

bool Context::can_view_dashboard(const Caller& c) const {
  return c.user && c.user->role != store::Role::Officer;
}

std::int64_t Context::round_id(const Request& r, bool english) const {
  if (!english) return path_id(r, "id", "รอบการประเมิน");
  const std::string& s = r.params.at("id");
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0)
    throw HttpError(404, "unknown round \"" + s + "\"");
  return v;
}

store::Round Context::authorized_round(const Request& r, const Caller& c, RoundAccess access) {
  const char* missing = access.english ? "unknown round" : "ไม่พบรอบการประเมิน";
  auto round = store.round(round_id(r, access.english));
  if (!round) throw HttpError(404, missing);
  const bool allowed =
      access.need == RoundAccess::Need::Any ||
      (access.need == RoundAccess::Need::View ? can_view_agency(c, round->agency_id)
                                              : can_manage_agency(c, round->agency_id));
  if (!allowed) {
    if (access.refused == nullptr) throw HttpError(404, missing);
    throw HttpError(403, access.refused);
  }
  return std::move(*round);
}

const Edition& Context::edition_of(const store::Round& round) {
  const Edition* e = editions.find(round.edition_id);
  if (e == nullptr)
    throw HttpError(500, "edition " + round.edition_id + " of round " + std::to_string(round.id) +
                             " is not loaded");
  return *e;
}

std::string Context::survey_url(const std::string& token) const {
  return options.base_url + "/s/" + token;
}

nlohmann::json Context::round_json(const store::Round& round) {
  const Edition& e = edition_of(round);
  const auto counts = store.response_counts(round.id);
  json j = {
      {"id", round.id},
      {"agency_id", round.agency_id},
      {"edition", round.edition_id},
      {"fiscal_year", e.fiscal_year},
      {"status", store::round_status_code(store::effective_status(round, service::thai_today()))},
      {"closes_at", round.closes_at ? json(format_iso_date(*round.closes_at)) : json(nullptr)},
      {"codes_required", round.access_codes_required},
      {"practice", round.practice},
      {"links", {{"iit", survey_url(round.iit_token)}, {"eit", survey_url(round.eit_token)}}},
      {"api",
       {{"iit", "/api/v1/s/" + round.iit_token + "/responses"},
        {"eit", "/api/v1/s/" + round.eit_token + "/responses"}}},
      {"response_cap_percent",
       round.response_cap_percent ? json(*round.response_cap_percent) : json(nullptr)}};
  json progress = json::array();
  for (const auto& [tool, population] :
       {std::pair{ToolId::IIT, round.staff_count}, std::pair{ToolId::EIT, round.service_users}}) {
    const int count = counts.contains(tool) ? counts.at(tool) : 0;
    int target = 0;
    if (e.sampling)
      target = sample_target(tool == ToolId::IIT ? e.sampling->iit : e.sampling->eit, population);
    const int percent = target == 0 ? 100 : std::min(100, count * 100 / target);
    const auto cap = store::response_cap(round, tool);
    progress.push_back({{"tool", tool_code(tool)},
                        {"count", count},
                        {"population", population},
                        {"target", target},
                        {"percent", percent},
                        {"cap", cap ? json(*cap) : json(nullptr)}});
  }
  j["progress"] = progress;
  return j;
}

std::string_view role_th(store::Role r) {
  switch (r) {
    case store::Role::Admin:
      return "ผู้ดูแลระบบ";
    case store::Role::Officer:
      return "เจ้าหน้าที่ ITA";
    case store::Role::Assessor:
      return "ผู้ประเมิน";
    case store::Role::Viewer:
      return "ผู้ดูผล";
  }
  return "";
}

nlohmann::json Context::page_model(const Caller& c, const std::string& title) const {
  json m;
  m["title"] = title;
  if (c.user) {
    m["user"] = {{"email", c.user->email},
                 {"role_th", role_th(c.user->role)},
                 {"csrf", c.session ? c.session->csrf_token : ""}};
    m["user"]["dashboard"] = can_view_dashboard(c);  // the header's link to /dashboard
    m["user"]["assessor"] = is_assessor(c);          // the header's link to the OIT work queue
    m["csrf"] = c.session ? c.session->csrf_token : "";
  }
  m["errors"] = nlohmann::json::array();
  return m;
}

Response Context::page(const std::string& name, const nlohmann::json& model, int status) const {
  return Response::html(render_page(name, model), status);
}

nlohmann::json Context::page_model(const Request& r, const Caller& c,
                                   const std::string& title) const {
  json m = page_model(c, title);
  if (const auto it = r.query.find("done"); it != r.query.end()) {
    if (std::string notice = done_notice(it->second); !notice.empty()) m["flash"] = notice;
  }
  return m;
}

Response Context::error_page(const Request& r, int status, const std::string& message) {
  static const std::map<int, std::string> headings = {
      {400, "คำขอไม่ถูกต้อง"},         {403, "ไม่มีสิทธิ์ทำรายการนี้"},     {404, "ไม่พบสิ่งที่ต้องการ"},
      {405, "ทำรายการนี้ด้วยวิธีนี้ไม่ได้"}, {409, "ทำรายการนี้ไม่ได้ในขณะนี้"}, {413, "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป"},
      {422, "ข้อมูลไม่ถูกต้อง"},         {429, "ส่งคำขอถี่เกินไป"}};
  Caller c;
  try {
    c = caller(r);
  } catch (const std::exception&) {  // an unknown token: the page without the user's header
  }
  const auto it = headings.find(status);
  json m = page_model(c, it == headings.end() ? "เกิดข้อผิดพลาด" : it->second);
  m["public"] = !c.user;
  m["errors"].push_back(message);
  m["errors_heading"] = "รายละเอียด:";
  // Back to the page the form was on when the browser says so and it is ours, else home.
  std::string back = r.header("referer");
  if (back.starts_with(options.base_url + "/")) back.erase(0, options.base_url.size());
  m["back"] = back.starts_with("/") && !back.starts_with("//") ? back : "/";
  return page("error", m, status);
}

Response Context::on_refusal(const Request& r, const std::function<Response()>& act,
                             const std::function<Response(int, const std::string&)>& again) {
  if (r.wants_json()) return act();
  try {
    return act();
  } catch (const service::Invalid& e) {
    return again(422, e.what());
  } catch (const service::NotFound& e) {
    return again(404, e.what());
  } catch (const service::Refused& e) {
    return again(409, e.what());
  } catch (const InputError& e) {
    return again(422, e.what());
  } catch (const store::Conflict& e) {
    return again(409, e.what());
  } catch (const HttpError& e) {
    if (e.status() != 400 && e.status() != 409 && e.status() != 422) throw;
    return again(e.status(), e.what());
  }
}

std::string done_notice(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> notices = {
      {"agency_created", "เพิ่มหน่วยงานแล้ว"},
      {"website_saved", "บันทึกเว็บไซต์ของหน่วยงานแล้ว"},
      {"round_created", "สร้างรอบการประเมินแล้ว ส่งลิงก์หรือคิวอาร์โค้ดด้านล่างให้ผู้ตอบได้เลย"},
      {"closed", "ปิดรับคำตอบแล้ว แบบวัดจะไม่รับคำตอบใหม่"},
      {"reopened", "เปิดรับคำตอบอีกครั้งแล้ว"},
      {"closing_date", "บันทึกวันปิดรับคำตอบแล้ว"},
      {"evidence", "บันทึกหลักฐาน OIT แล้ว รอผู้ประเมินพิจารณา"},
      {"review", "บันทึกผลการพิจารณาแล้ว"},
      {"appeal", "ส่งคำชี้แจงเพิ่มเติมแล้ว รอผู้ประเมินยืนยันผล"},
      {"declined", "บันทึกแล้วว่าหน่วยงานไม่ขออุทธรณ์ ผลการพิจารณาเป็นผลสุดท้าย"},
      {"confirm", "ยืนยันผลแล้ว"},
      {"check_started", "เริ่มตรวจความพร้อมของหลักฐานแล้ว ผลจะแสดงด้านล่างเมื่อตรวจเสร็จ"},
      {"plan_started", "จัดทำแผนมาตรการจากผลการประเมินแล้ว"},
      {"measure_saved", "บันทึกการแก้ไขมาตรการแล้ว"},
      {"measure_added", "เพิ่มมาตรการแล้ว"},
      {"measure_removed", "ลบมาตรการออกจากแผนแล้ว"},
      {"signature", "บันทึกผู้ลงนามและวันที่ประกาศแล้ว"},
      {"report", "บันทึกรายงานความก้าวหน้าแล้ว"}};
  const auto it = notices.find(code);
  return it == notices.end() ? "" : it->second;
}

std::string with_done(const std::string& path, std::string_view code) {
  const auto hash = path.find('#');
  const std::string base = path.substr(0, hash);
  const std::string fragment = hash == std::string::npos ? "" : path.substr(hash);
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "done=" + std::string(code) +
         fragment;
}

std::string Context::client_address(const Request& r) const {
  const auto& proxies = options.trusted_proxies;
  if (std::find(proxies.begin(), proxies.end(), r.remote_ip) == proxies.end()) return r.remote_ip;
  // nginx's $proxy_add_x_forwarded_for appends the address it saw last: the one it vouches for.
  const std::string forwarded = r.header("x-forwarded-for");
  const auto comma = forwarded.rfind(',');
  std::string last = comma == std::string::npos ? forwarded : forwarded.substr(comma + 1);
  last.erase(0, last.find_first_not_of(' '));
  last.erase(last.find_last_not_of(' ') + 1);
  return last.empty() ? r.remote_ip : last;
}

std::chrono::seconds Context::survey_wait(const Request& r, SurveyStep step) {
  if (survey_limiter_.unlimited()) return std::chrono::seconds(0);
  return survey_limiter_.take((step == SurveyStep::ShowForm ? "form " : "send ") +
                              client_address(r));
}

std::optional<Response> Context::survey_rate_limited(const Request& r, SurveyStep step) {
  const auto wait = survey_wait(r, step);
  if (wait.count() == 0) return std::nullopt;
  const std::string seconds = std::to_string(wait.count());
  Response res;
  if (r.wants_json()) {
    res = Response::error(429,
                          "too many survey requests from this address; try again in " + seconds +
                              " s (ส่งคำขอถี่เกินไป กรุณารอ " + seconds + " วินาทีแล้วลองใหม่)",
                          true);
  } else {
    json m = page_model(Caller{}, "กรุณารอสักครู่");
    m["public"] = true;
    m["seconds"] = seconds;
    m["sending"] = step == SurveyStep::Send;
    res = page("survey_busy", m, 429);
  }
  res.headers.emplace_back("Retry-After", seconds);
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

}  // namespace ita::web
