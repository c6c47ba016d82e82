// Server-rendered pages for officers, assessors, viewers and administrators: agencies, their
// rounds, access-code slips, results, the audit log.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "core/analysis.hpp"
#include "core/privacy.hpp"
#include "core/rounding.hpp"
#include "core/survey.hpp"
#include "core/thai.hpp"
#include "core/whatif.hpp"
#include "io/thai_provinces.hpp"
#include "report/chart.hpp"
#include "service/agencies.hpp"
#include "service/calendar.hpp"
#include "service/release.hpp"
#include "service/responses.hpp"
#include "service/rounds.hpp"
#include "service/scoring.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"
#include "web/audit_view.hpp"
#include "web/views.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

std::int64_t id_param(const Request& r) {
  return path_id(r, "id", "");
}

int int_field(const std::map<std::string, std::string>& f, const char* key, const char* label) {
  auto it = f.find(key);
  int v = 0;
  if (it == f.end() || it->second.empty()) throw HttpError(422, std::string("กรุณากรอก") + label);
  const auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || p != it->second.data() + it->second.size())
    throw HttpError(422, std::string(label) + "ต้องเป็นจำนวนเต็ม");
  return v;
}

constexpr RoundAccess kMayView{RoundAccess::Need::View, "ไม่มีสิทธิ์ดูรอบการประเมินนี้"};
constexpr RoundAccess kMayManage{RoundAccess::Need::Manage,
                                 "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานหรือผู้ดูแลระบบเท่านั้น"};

// A round's state on `today` as its page and its agency's list say it.
std::string round_state_th(const store::Round& round, std::chrono::year_month_day today) {
  const bool open = store::effective_status(round, today) == store::RoundStatus::Open;
  if (!round.closes_at) return open ? "เปิดรับคำตอบ" : "ปิดแล้ว";
  const std::string until = "รับคำตอบถึงวันที่ " + format_thai_date(*round.closes_at);
  if (open) return "เปิด" + until;
  return round.status == store::RoundStatus::Closed ? "ปิดแล้ว" : "ปิดแล้ว (" + until + ")";
}

// The round page's state and the lifecycle forms `c` may use: officers of the agency and
// administrators close an open round and set its closing date; only administrators reopen.
json lifecycle_json(const Context& web, const Caller& c, const store::Round& round) {
  const auto today = service::thai_today();
  const bool open = store::effective_status(round, today) == store::RoundStatus::Open;
  const bool manage = web.can_manage_agency(c, round.agency_id);
  return {{"state", round_state_th(round, today)},
          {"open", open},
          {"can_close", manage && open},
          {"can_reopen", !open && c.user && c.user->role == store::Role::Admin},
          {"can_set_closing_date", manage && open},
          {"closes_at_be", round.closes_at ? format_be_date(*round.closes_at) : ""}};
}

// A sample rule in Thai: "อย่างน้อย 25 คน (หรือทุกคนหากมีไม่ถึง)", "ร้อยละ 10 … อย่างน้อย 30 คน
// ไม่เกิน 400 คน".
std::string sample_rule_th(const SampleRule& rule, const std::string& of_whom) {
  std::string out;
  if (rule.fraction > 0) {
    char percent[32];
    std::snprintf(percent, sizeof percent, "%g", rule.fraction * 100);
    out = "ร้อยละ " + std::string(percent) + " ของ" + of_whom + " ";
  }
  out += "อย่างน้อย " + std::to_string(rule.min) + " คน";
  if (rule.max) out += " ไม่เกิน " + std::to_string(*rule.max) + " คน";
  return out + " (หรือทุกคนหากมีไม่ถึง)";
}

// The round page's note on its sample targets, in Thai: the rules, and for targets that are not
// the official tables (the editions' English provenance notes say why) that they only measure
// progress.
std::string sampling_note_th(const Edition& e) {
  if (!e.sampling) return "";
  std::string note = "เป้าหมายขั้นต่ำ: IIT " + sample_rule_th(e.sampling->iit, "บุคลากร") + "; EIT " +
                     sample_rule_th(e.sampling->eit, "ผู้รับบริการ");
  if (e.sampling->provenance.status != ProvenanceStatus::Official) {
    note +=
        " — ยังไม่พบตารางขนาดตัวอย่างขั้นต่ำอย่างเป็นทางการของสำนักงาน ป.ป.ช. "
        "เป้าหมายนี้ใช้ติดตามความคืบหน้าการเก็บข้อมูลเท่านั้น ไม่มีผลต่อคะแนน";
  }
  return note;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The page model's "form": what the person typed into `keys` of `form`.
json typed(const std::map<std::string, std::string>& form,
           std::initializer_list<const char*> keys) {
  json out = json::object();
  for (const char* k : keys) out[k] = field(form, k);
  return out;
}

}  // namespace

void AgencyPages::add_routes(Router& router) {
  route(router, "GET", "/", this, &AgencyPages::home);
  route(router, "POST", "/agencies", this, &AgencyPages::create_agency);
  route(router, "GET", "/agencies/{id}", this, &AgencyPages::agency);
  route(router, "POST", "/agencies/{id}/website", this, &AgencyPages::set_website);
  route(router, "POST", "/agencies/{id}/rounds", this, &AgencyPages::create_round);
  route(router, "GET", "/rounds/{id}", this, &AgencyPages::round);
  route(router, "POST", "/rounds/{id}/close", this, &AgencyPages::close_round);
  route(router, "POST", "/rounds/{id}/reopen", this, &AgencyPages::reopen_round);
  route(router, "POST", "/rounds/{id}/closing-date", this, &AgencyPages::closing_date);
  route(router, "GET", "/rounds/{id}/qr/{file}", this, &AgencyPages::qr);
  route(router, "POST", "/rounds/{id}/codes", this, &AgencyPages::issue_codes);
  route(router, "GET", "/rounds/{id}/result", this, &AgencyPages::result);
  route(router, "GET", "/audit", this, &AgencyPages::audit);
  route(router, "GET", "/static/{file}", this, &AgencyPages::static_asset);
}

Response AgencyPages::static_asset(Request& r) {
  const std::string& name = r.params.at("file");
  if (name == "Laksaman.woff" || name == "Laksaman-Bold.woff") {
    std::ifstream in(web_.options.font_dir + "/" + name, std::ios::binary);
    if (!in) return Response::error(404, "font not installed (fonts-thai-tlwg-web)", false);
    std::ostringstream s;
    s << in.rdbuf();
    Response res = Response::text(s.str());
    res.content_type = "font/woff";
    res.headers.emplace_back("Cache-Control", "public, max-age=86400");
    return res;
  }
  const std::string* file = static_file(name);
  if (file == nullptr) return Response::error(404, "ไม่พบไฟล์ " + name, false);
  Response res = Response::text(*file);
  if (name.ends_with(".css")) res.content_type = "text/css; charset=utf-8";
  // (A script must be served as one: with nosniff a browser runs nothing else; see survey.cpp.)
  if (name.ends_with(".js")) res.content_type = "text/javascript; charset=utf-8";
  res.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return res;
}

Response AgencyPages::home(Request& r) {
  Caller c = web_.caller(r);
  if (!c.user) return Response::redirect("/login");  // also for JSON: the home page is a page
  return web_.page("home", home_model(r, c));
}

json AgencyPages::home_model(const Request& r, const Caller& c) {
  json m = web_.page_model(r, c, "หน่วยงาน");
  m["agencies"] = json::array();
  for (const auto& a : web_.store.agencies()) {
    if (web_.can_view_agency(c, a.id)) m["agencies"].push_back(agency_json(a));
  }
  m["can_create_agency"] = c.user->role == store::Role::Admin;
  m["provinces"] = json::array();
  for (const auto& p : io::thai_provinces())
    m["provinces"].push_back({{"name", p.name_th}, {"selected", false}});
  m["is_admin"] = c.user->role == store::Role::Admin;
  m["form"] = typed({}, {"name", "type", "district", "province", "website"});
  return m;
}

Response AgencyPages::create_agency(Request& r) {
  Caller c = web_.signed_in(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  if (c.user->role != store::Role::Admin) throw HttpError(403, "เฉพาะผู้ดูแลระบบเท่านั้น");
  store::Agency a{0,
                  field(form, "name"),
                  field(form, "district"),
                  field(form, "province"),
                  field(form, "type"),
                  field(form, "website")};
  return Context::on_refusal(
      r,
      [&] {
        if (blank(a.name)) throw HttpError(422, "กรุณากรอกชื่อหน่วยงาน");
        const auto created = service::create_agency(web_.store, a, c.user->id);
        return Response::redirect(
            with_done("/agencies/" + std::to_string(created.id), "agency_created"));
      },
      [&](int status, const std::string& message) {
        json m = home_model(r, c);
        m["errors"].push_back(message);
        m["form"] = typed(form, {"name", "type", "district", "province", "website"});
        for (auto& p : m["provinces"]) p["selected"] = p["name"] == a.province;
        return web_.page("home", m, status);
      });
}

Response AgencyPages::agency(Request& r) {
  Caller c = web_.signed_in(r);
  return web_.page("agency", agency_model(r, c, id_param(r)));
}

json AgencyPages::agency_model(const Request& r, const Caller& c, std::int64_t id) {
  const auto agency = web_.store.agency(id);
  if (!agency) throw HttpError(404, "ไม่พบหน่วยงาน");
  if (!web_.can_view_agency(c, id)) throw HttpError(403, "ไม่มีสิทธิ์ดูหน่วยงานนี้");
  json m = web_.page_model(r, c, agency->name);
  m["agency"] = agency_json(*agency);
  // null, not "": a template section shows an empty text as if it were one.
  m["website"] = agency->website.empty() ? json(nullptr) : json(agency->website);
  m["rounds"] = json::array();
  const auto today = service::thai_today();
  const bool manage = web_.can_manage_agency(c, id);
  for (const auto& round : web_.store.rounds_of_agency(id)) {
    const auto counts = web_.store.response_counts(round.id);
    const Edition* e = web_.editions.find(round.edition_id);
    const bool open = store::effective_status(round, today) == store::RoundStatus::Open;
    m["rounds"].push_back({{"id", round.id},
                           {"fiscal_year", e ? e->fiscal_year : 0},
                           {"iit", counts.contains(ToolId::IIT) ? counts.at(ToolId::IIT) : 0},
                           {"eit", counts.contains(ToolId::EIT) ? counts.at(ToolId::EIT) : 0},
                           {"status", round_state_th(round, today)},
                           {"can_close", manage && open},
                           {"can_reopen", !open && c.user->role == store::Role::Admin},
                           {"practice", round.practice}});
  }
  m["can_create_round"] = manage;
  m["can_set_website"] = manage;
  m["editions"] = edition_choices();
  m["form"] = typed({}, {"staff_count", "service_users", "closes_at"});
  m["form"]["website"] = agency->website;
  return m;
}

Response AgencyPages::set_website(Request& r) {
  Caller c = web_.signed_in(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  const std::int64_t id = id_param(r);
  service::find_agency(web_.store, id);
  if (!web_.can_manage_agency(c, id))
    throw HttpError(403, "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานหรือผู้ดูแลระบบเท่านั้น");
  return Context::on_refusal(
      r,
      [&] {
        service::set_agency_website(web_.store, id, field(form, "website"), c.user->id);
        return Response::redirect(with_done("/agencies/" + std::to_string(id), "website_saved"));
      },
      [&](int status, const std::string& message) {
        json m = agency_model(r, c, id);
        m["errors"].push_back(message);
        m["form"]["website"] = field(form, "website");
        return web_.page("agency", m, status);
      });
}

Response AgencyPages::create_round(Request& r) {
  Caller c = web_.signed_in(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  service::NewRound request;
  request.agency_id = id_param(r);
  service::find_agency(web_.store, request.agency_id);
  if (!web_.can_manage_agency(c, request.agency_id))
    throw HttpError(403, "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานหรือผู้ดูแลระบบเท่านั้น");
  return Context::on_refusal(
      r,
      [&] {
        request.edition = field(form, "edition");
        request.staff_count = int_field(form, "staff_count", "จำนวนบุคลากร");
        request.service_users = int_field(form, "service_users", "จำนวนผู้รับบริการ");
        request.access_codes = field(form, "access_codes") == "1";
        request.practice = field(form, "practice") == "1";
        request.closes_at = service::parse_closing_date(field(form, "closes_at"));
        const auto round = service::create_round(web_.store, web_.editions, request, c.user->id);
        return Response::redirect(
            with_done("/rounds/" + std::to_string(round.id), "round_created"));
      },
      [&](int status, const std::string& message) {
        json m = agency_model(r, c, request.agency_id);
        m["errors"].push_back(message);
        m["editions"] = edition_choices(field(form, "edition"));
        m["form"] = typed(form, {"staff_count", "service_users", "closes_at"});
        m["form"]["access_codes"] = field(form, "access_codes") == "1";
        m["form"]["practice"] = field(form, "practice") == "1";
        return web_.page("agency", m, status);
      });
}

Response AgencyPages::round(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, kMayView);
  return web_.page("round", round_model(r, c, round));
}

json AgencyPages::round_model(const Request& r, const Caller& c, const store::Round& round) {
  const Edition& e = web_.edition_of(round);
  json m = web_.page_model(r, c, "รอบการประเมิน");
  const json rj = web_.round_json(round);
  m["round"] = rj;
  m["agency"] = agency_json(*web_.store.agency(round.agency_id));
  m["edition_provenance"] = provenance_label_th(e.provenance.status);
  m["partial"] = !incomplete_surveys(e).empty();
  m["practice"] = round.practice;
  m["progress"] = rj["progress"];
  m["sampling_note"] = sampling_note_th(e);
  m["links"] = json::array();
  for (const auto& [tool, token] :
       {std::pair{"IIT", round.iit_token}, std::pair{"EIT", round.eit_token}}) {
    const std::string t = tool;
    m["links"].push_back({{"tool", t},
                          {"tool_lower", t == "IIT" ? "iit" : "eit"},
                          {"url", web_.survey_url(token)},
                          {"qr_svg", qr_svg(web_.survey_url(token))},
                          {"round_id", round.id}});
  }
  const auto [issued, used] = web_.store.access_code_counts(round.id);
  m["codes"] = {{"issued", issued}, {"used", used}};
  m["suggested_codes"] = std::max(1, round.staff_count);
  m["can_manage"] = web_.can_manage_agency(c, round.agency_id);
  m["lifecycle"] = lifecycle_json(web_, c, round);
  // The slips' form carries a one-time value: a reload of its answer cannot issue a new batch.
  if (m["lifecycle"]["can_close"].get<bool>())
    m["codes_token"] = service::issue_form_token(web_.store, round.id, now_seconds());
  if (store::effective_status(round, service::thai_today()) == store::RoundStatus::Open) {
    m["provisional"] = service::provisional_notice(
        service::last_release(web_.store, round, service::thai_today()));
  }
  int done = 0;
  for (const auto& entry : web_.store.oit_entries(round.id))
    done += entry.effective_verdict() ? 1 : 0;
  m["oit_done"] = done;
  m["oit_total"] = e.oit.items.size();
  return m;
}

Response AgencyPages::round_again(const Request& r, const Caller& c, const store::Round& round,
                                  int status, const std::string& message, const json& fields) {
  // The round as it is now (a refused change may follow another one).
  const auto now = web_.store.round(round.id);
  json m = round_model(r, c, now ? *now : round);
  m.erase("flash");
  m["errors"].push_back(message);
  if (fields.contains("count")) m["suggested_codes"] = fields["count"];
  if (fields.contains("closes_at")) m["lifecycle"]["closes_at_be"] = fields["closes_at"];
  return web_.page("round", m, status);
}

// A change of a round's lifecycle from its page: the form's CSRF token, the caller's access,
// `change`, then back to the round's page with the notice `done`. The survey paths cache the
// round's state, so they forget it.
Response AgencyPages::change_round(Request& r, const RoundAccess& may, std::string_view done,
                                   const RoundChange& change) {
  Caller c = web_.signed_in(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  const store::Round round = web_.authorized_round(r, c, may);
  return Context::on_refusal(
      r,
      [&] {
        change(c, round, form);
        rounds_.forget(round.id);
        return Response::redirect(with_done("/rounds/" + std::to_string(round.id), done));
      },
      [&](int status, const std::string& message) {
        return round_again(r, c, round, status, message, typed(form, {"closes_at"}));
      });
}

Response AgencyPages::close_round(Request& r) {
  return change_round(
      r, kMayManage, "closed",
      [&](const Caller& c, const store::Round& round, const std::map<std::string, std::string>&) {
        service::close_round(web_.store, round.id, c.user->id, service::thai_today());
      });
}

Response AgencyPages::reopen_round(Request& r) {
  return change_round(
      r, kMayView, "reopened",
      [&](const Caller& c, const store::Round& round, const std::map<std::string, std::string>&) {
        if (c.user->role != store::Role::Admin)
          throw HttpError(403, "เฉพาะผู้ดูแลระบบเท่านั้นที่เปิดรับคำตอบอีกครั้งได้");
        service::reopen_round(web_.store, round.id, c.user->id, service::thai_today());
      });
}

Response AgencyPages::closing_date(Request& r) {
  return change_round(r, kMayManage, "closing_date",
                      [&](const Caller& c, const store::Round& round,
                          const std::map<std::string, std::string>& form) {
                        const auto closes_at =
                            service::parse_closing_date(field(form, "closes_at"));
                        service::set_closing_date(web_.store, round.id, closes_at, c.user->id,
                                                  service::thai_today());
                      });
}

Response AgencyPages::qr(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, {RoundAccess::Need::View});
  const std::string& file = r.params.at("file");
  const std::string tool = file.substr(0, file.find('.'));
  const std::string ext = file.substr(file.find('.') + 1);
  if ((tool != "iit" && tool != "eit") || (ext != "svg" && ext != "png"))
    throw HttpError(404, "ไม่พบไฟล์ " + file);
  const std::string url = web_.survey_url(tool == "iit" ? round.iit_token : round.eit_token);
  Response res = Response::text(ext == "svg" ? qr_svg(url) : qr_png(url));
  res.content_type = ext == "svg" ? "image/svg+xml" : "image/png";
  res.headers.emplace_back("Content-Disposition", "inline; filename=\"qr-" + tool + "-round-" +
                                                      std::to_string(round.id) + "." + ext + "\"");
  return res;
}

Response AgencyPages::issue_codes(Request& r) {
  Caller c = web_.signed_in(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  const store::Round round =
      web_.authorized_round(r, c, {RoundAccess::Need::Manage, "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานเท่านั้น"});
  return Context::on_refusal(
      r,
      [&] {
        const int count = int_field(form, "count", "จำนวนรหัส");
        const auto codes = service::issue_access_codes_once(
            web_.store, round.id, count, field(form, "codes_token"), c.user->id, now_seconds());
        return code_slips(c, round, codes);
      },
      [&](int status, const std::string& message) {
        return round_again(r, c, round, status, message, typed(form, {"count"}));
      });
}

// The printable slips of a batch just issued, shown this once: each with the survey's URL, its
// code and the URL's QR code (drawn once, used by every slip).
Response AgencyPages::code_slips(const Caller& c, const store::Round& round,
                                 const std::vector<std::string>& codes) {
  json m = web_.page_model(c, "ใบรหัสเข้าตอบ IIT");
  const auto agency = web_.store.agency(round.agency_id);
  const std::string url = web_.survey_url(round.iit_token);
  m["count"] = codes.size();
  m["round_id"] = round.id;
  m["flash"] = "ออกรหัสเข้าตอบ " + std::to_string(codes.size()) + " รหัสแล้ว";
  m["qr_symbol"] = qr_svg_symbol(url, "slip-qr");
  m["codes"] = json::array();
  for (const auto& code : codes) {
    m["codes"].push_back({{"code", code},
                          {"agency", agency->name},
                          {"fiscal_year", web_.edition_of(round).fiscal_year},
                          {"url", url}});
  }
  Response res = web_.page("codes", m);
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

Response AgencyPages::result(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round =
      web_.authorized_round(r, c, {RoundAccess::Need::View, "ไม่มีสิทธิ์ดูผลของรอบนี้"});
  const Edition& e = web_.edition_of(round);
  json m = web_.page_model(c, "ผลการประเมิน");
  m["round"] = web_.round_json(round);
  m["agency"] = agency_json(*web_.store.agency(round.agency_id));
  const std::size_t min = web_.options.min_respondents;
  const service::ReleasedResult s =
      service::released_result(web_.store, e, round, min, service::thai_today());
  m["missing"] = s.missing;
  if (s.provisional) m["provisional"] = service::provisional_notice(s.release);
  m["answers_released"] = !s.provisional;
  if (!s.result) return web_.page("result", m);
  const Result res = without_small_group_items(*s.result, min);
  m["withheld"] = small_group_notes(res.respondents, min);
  const Analysis a = analyze(e, res);
  auto name = [&](int id) { return e.find_indicator(id)->name_th; };
  json rj;
  rj["total"] = format2(round2(res.total));
  rj["level"] = res.level.label_th;
  rj["threshold"] = format2(a.strength_min);
  for (const auto& t : res.tools) {
    rj["tools"].push_back({{"id", tool_code(t.id)},
                           {"name", e.find_tool(t.id)->name_th},
                           {"score", format2(round2(t.score))},
                           {"weight", std::lround(t.weight * 100)}});
  }
  report::BarChart chart;
  chart.threshold = e.analysis.strength_min;
  chart.threshold_label = "เกณฑ์ " + format2(a.strength_min);
  chart.x_label = "ตัวชี้วัด";
  chart.y_label = "คะแนน";
  for (int t = 0; t <= 100; t += 20) chart.y_tick_labels.push_back(std::to_string(t));
  for (const auto& i : res.indicators) {
    chart.bars.push_back({std::to_string(i.id), i.score, format2(round2(i.score)),
                          round2(i.score) >= a.strength_min});
  }
  rj["chart_svg"] = report::bar_chart_svg(chart);
  for (const auto& ri : a.ranking)
    rj["ranking"].push_back(
        {{"rank", ri.rank}, {"id", ri.id}, {"name", name(ri.id)}, {"score", format2(ri.shown)}});
  rj["strengths"] = json::array();
  rj["weaknesses"] = json::array();
  for (int id : a.strengths)
    rj["strengths"].push_back(
        {{"id", id}, {"name", name(id)}, {"score", format2(round2(res.indicator(id)->score))}});
  for (int id : a.weaknesses)
    rj["weaknesses"].push_back(
        {{"id", id}, {"name", name(id)}, {"score", format2(round2(res.indicator(id)->score))}});
  rj["items_below"] = json::array();
  for (const auto& [ind, items] : a.items_below) {
    for (const auto& f : items)
      rj["items_below"].push_back(
          {{"indicator", ind}, {"code", f.code}, {"text", f.text_th}, {"score", format2(f.shown)}});
  }
  for (const auto& f : a.oit_zero)
    rj["items_below"].push_back({{"indicator", f.indicator},
                                 {"code", f.code},
                                 {"text", f.text_th},
                                 {"score", format2(f.shown)}});
  const WhatIf w = what_if_next(e, res);
  if (w.target && w.reachable && !w.indicators.empty()) {
    json steps = json::array();
    for (const auto& t : w.indicators) {
      steps.push_back("ตัวชี้วัดที่ " + std::to_string(t.id) + " " + name(t.id) + ": " +
                      format2(round2(t.from)) + " → " + format2(round2(t.to)));
    }
    rj["whatif"] = {{"target", w.target->label_th}, {"steps", steps}};
  }
  m["result"] = rj;
  return web_.page("result", m);
}

Response AgencyPages::audit(Request& r) {
  Caller c = web_.signed_in(r);
  if (c.user->role != store::Role::Admin) throw HttpError(403, "เฉพาะผู้ดูแลระบบเท่านั้น");
  json m = web_.page_model(c, "บันทึกการเปลี่ยนแปลง");
  m["entries"] = json::array();
  for (const auto& e : web_.store.audit_log(500)) {
    m["entries"].push_back({{"at", format_thai_datetime(e.at)},
                            {"user", e.user_id ? std::to_string(*e.user_id) : "-"},
                            {"action", audit_action_th(e.action)},
                            {"target", audit_target_th(e.target)},
                            {"detail", audit_detail_th(e.detail)}});
  }
  return web_.page("audit", m);
}

// The editions an officer may open a round on, newest first; the newest whose questionnaires are
// complete is preselected, and an incomplete one says so (it can only be a practice round).
nlohmann::json AgencyPages::edition_choices(const std::string& chosen) {
  std::vector<const Edition*> all = web_.editions.all();
  std::ranges::sort(all, [](const Edition* a, const Edition* b) {
    return a->fiscal_year != b->fiscal_year ? a->fiscal_year > b->fiscal_year : a->id > b->id;
  });
  json out = json::array();
  bool preselected = false;
  for (const Edition* e : all) {
    const bool incomplete = !incomplete_surveys(*e).empty();
    std::string title = "พ.ศ. " + std::to_string(e->fiscal_year);
    if (e->id != std::to_string(e->fiscal_year)) title += " (" + e->id + ")";
    title += " — " + std::string(provenance_label_th(e->provenance.status));
    if (incomplete) title += " · ข้อคำถามไม่ครบ ใช้ได้เฉพาะรอบทดลอง";
    const bool first = !incomplete && !preselected;
    out.push_back(
        {{"id", e->id}, {"title", title}, {"selected", chosen.empty() ? first : e->id == chosen}});
    preselected = preselected || !incomplete;
  }
  return out;
}

}  // namespace ita::web
