// Server-rendered pages for officers, assessors, viewers and administrators.
#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>

#include "core/analysis.hpp"
#include "core/error.hpp"
#include "core/rounding.hpp"
#include "core/survey.hpp"
#include "core/whatif.hpp"
#include "report/chart.hpp"
#include "web/app.hpp"
#include "web/views.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

constexpr int kSessionSeconds = 8 * 3600;

std::int64_t id_param(const Request& r) { return path_id(r, "id", ""); }

int int_field(const std::map<std::string, std::string>& f, const char* key, const char* label) {
  auto it = f.find(key);
  int v = 0;
  if (it == f.end() || it->second.empty()) throw HttpError(422, std::string("กรุณากรอก") + label);
  const auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || p != it->second.data() + it->second.size()) throw HttpError(422, std::string(label) + "ต้องเป็นจำนวนเต็ม");
  return v;
}

std::string field(const std::map<std::string, std::string>& f, const char* key) {
  auto it = f.find(key);
  return it == f.end() ? "" : it->second;
}

std::string cookie(const std::string& name, const std::string& value, int max_age, bool secure) {
  return name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age) + (secure ? "; Secure" : "");
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json agency_json(const store::Agency& a) {
  return {{"id", a.id}, {"name", a.name}, {"district", a.district}, {"province", a.province}, {"type", a.type}};
}

std::string stage_th(OitStage s) {
  switch (s) {
    case OitStage::Draft: return "ยังไม่ส่ง";
    case OitStage::Submitted: return "รอพิจารณา";
    case OitStage::Reviewed: return "พิจารณาแล้ว";
    case OitStage::Appealed: return "ชี้แจงเพิ่มเติมแล้ว รอยืนยัน";
    case OitStage::Confirmed: return "ยืนยันผลแล้ว";
  }
  return "";
}

}  // namespace

Response App::static_asset(Request& r) {
  const std::string& name = r.params.at("file");
  if (name == "Laksaman.woff" || name == "Laksaman-Bold.woff") {
    std::ifstream in(options_.font_dir + "/" + name, std::ios::binary);
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
  res.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return res;
}

Response App::login_form(Request& r) {
  Caller c = caller(r);
  if (c.user) return Response::redirect("/");
  std::string token = r.cookie("ita_csrf").value_or("");
  json m = page_model(c, "เข้าสู่ระบบ");
  Response res;
  if (token.empty()) {
    token = random_token(16);
    res.headers.emplace_back("Set-Cookie", "ita_csrf=" + token + "; Path=/; HttpOnly; SameSite=Strict");
  }
  m["csrf"] = token;
  const int status = r.query.contains("failed") ? 401 : 200;
  if (status == 401) m["errors"].push_back("อีเมลหรือรหัสผ่านไม่ถูกต้อง");
  Response page_res = page("login", m, status);
  page_res.headers = res.headers;
  return page_res;
}

Response App::login(Request& r) {
  const auto form = r.form();
  Caller none;
  if (!csrf_ok(r, none, form)) throw HttpError(403, "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าเข้าสู่ระบบใหม่");
  const std::string email = field(form, "email");
  const std::string client = client_address(r);
  if (!ip_limiter_.allowed(client) || !limiter_.allowed(email)) {
    return Response::error(429, "พยายามเข้าสู่ระบบผิดหลายครั้ง กรุณารอ 15 นาที", false);
  }
  const auto user = store_.user_by_email(email);
  if (!user || !verify_password(user->password_hash, field(form, "password"))) {
    ip_limiter_.failed(client);
    limiter_.failed(email);
    return Response::redirect("/login?failed=1");
  }
  limiter_.succeeded(email);
  const std::string token = random_token(32);
  store_.create_session({sha256_hex(token), user->id, random_token(16), now_seconds() + kSessionSeconds});
  Response res = Response::redirect("/");
  res.headers.emplace_back("Set-Cookie", cookie("ita_session", token, kSessionSeconds, options_.secure_cookies));
  return res;
}

Response App::logout(Request& r) {
  Caller c = caller(r);
  if (c.session && csrf_ok(r, c, r.form())) {
    if (auto token = r.cookie("ita_session")) store_.delete_session(sha256_hex(*token));
  }
  Response res = Response::redirect("/login");
  res.headers.emplace_back("Set-Cookie", cookie("ita_session", "", 0, options_.secure_cookies));
  return res;
}

Response App::home(Request& r) {
  Caller c = caller(r);
  if (!c.user) return Response::redirect("/login");
  json m = page_model(c, "หน่วยงาน");
  m["agencies"] = json::array();
  for (const auto& a : store_.agencies()) {
    if (can_view_agency(c, a.id)) m["agencies"].push_back(agency_json(a));
  }
  m["can_create_agency"] = c.user->role == store::Role::Admin;
  m["is_admin"] = c.user->role == store::Role::Admin;
  return page("home", m);
}

Response App::create_agency_form(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto form = r.form();
  if (!csrf_ok(r, c, form)) throw HttpError(403, "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่");
  if (c.user->role != store::Role::Admin) throw HttpError(403, "เฉพาะผู้ดูแลระบบเท่านั้น");
  store::Agency a{0, field(form, "name"), field(form, "district"), field(form, "province"), field(form, "type")};
  if (blank(a.name)) throw HttpError(422, "กรุณากรอกชื่อหน่วยงาน");
  const auto created = store_.create_agency(a, c.user->id);
  return Response::redirect("/agencies/" + std::to_string(created.id));
}

Response App::agency_page(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto id = id_param(r);
  const auto agency = store_.agency(id);
  if (!agency) throw HttpError(404, "ไม่พบหน่วยงาน");
  if (!can_view_agency(c, id)) throw HttpError(403, "ไม่มีสิทธิ์ดูหน่วยงานนี้");
  json m = page_model(c, agency->name);
  m["agency"] = agency_json(*agency);
  m["rounds"] = json::array();
  for (const auto& round : store_.rounds_of_agency(id)) {
    const auto counts = store_.response_counts(round.id);
    const Edition* e = editions_.find(round.edition_id);
    m["rounds"].push_back(
        {{"id", round.id},
         {"fiscal_year", e ? e->fiscal_year : 0},
         {"iit", counts.contains(ToolId::IIT) ? counts.at(ToolId::IIT) : 0},
         {"eit", counts.contains(ToolId::EIT) ? counts.at(ToolId::EIT) : 0},
         {"status", round.status == store::RoundStatus::Open ? "เปิดรับคำตอบ" : "ปิดแล้ว"},
         {"practice", round.practice}});
  }
  m["can_create_round"] = can_manage_agency(c, id);
  m["editions"] = edition_choices();
  return page("agency", m);
}

Response App::create_round_form(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto form = r.form();
  if (!csrf_ok(r, c, form)) throw HttpError(403, "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่");
  const auto round = create_round(c, id_param(r), field(form, "edition"), int_field(form, "staff_count", "จำนวนบุคลากร"),
                                  int_field(form, "service_users", "จำนวนผู้รับบริการ"), field(form, "access_codes") == "1",
                                  field(form, "practice") == "1");
  return Response::redirect("/rounds/" + std::to_string(round.id));
}

nlohmann::json App::round_json(const store::Round& round) {
  const Edition& e = edition_of(round);
  const auto counts = store_.response_counts(round.id);
  json j = {{"id", round.id},
            {"agency_id", round.agency_id},
            {"edition", round.edition_id},
            {"fiscal_year", e.fiscal_year},
            {"status", store::round_status_code(round.status)},
            {"codes_required", round.access_codes_required},
            {"practice", round.practice},
            {"links", {{"iit", survey_url(round.iit_token)}, {"eit", survey_url(round.eit_token)}}},
            {"api",
             {{"iit", "/api/v1/rounds/" + std::to_string(round.id) + "/responses/iit"},
              {"eit", "/api/v1/rounds/" + std::to_string(round.id) + "/responses/eit"}}}};
  json progress = json::array();
  for (const auto& [tool, population] :
       {std::pair{ToolId::IIT, round.staff_count}, std::pair{ToolId::EIT, round.service_users}}) {
    const int count = counts.contains(tool) ? counts.at(tool) : 0;
    int target = 0;
    if (e.sampling)
      target = sample_target(tool == ToolId::IIT ? e.sampling->iit : e.sampling->eit, population);
    const int percent = target == 0 ? 100 : std::min(100, count * 100 / target);
    progress.push_back({{"tool", tool_code(tool)},
                        {"count", count},
                        {"population", population},
                        {"target", target},
                        {"percent", percent}});
  }
  j["progress"] = progress;
  return j;
}

Response App::round_page(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto round = store_.round(id_param(r));
  if (!round) throw HttpError(404, "ไม่พบรอบการประเมิน");
  if (!can_view_agency(c, round->agency_id)) throw HttpError(403, "ไม่มีสิทธิ์ดูรอบการประเมินนี้");
  const Edition& e = edition_of(*round);
  json m = page_model(c, "รอบการประเมิน");
  const json rj = round_json(*round);
  m["round"] = rj;
  m["agency"] = agency_json(*store_.agency(round->agency_id));
  m["edition_provenance"] = provenance_label_th(e.provenance.status);
  m["partial"] = !incomplete_surveys(e).empty();
  m["practice"] = round->practice;
  m["progress"] = rj["progress"];
  m["sampling_note"] = e.sampling ? "เป้าหมายขั้นต่ำ: " + e.sampling->provenance.notes : "";
  m["links"] = json::array();
  for (const auto& [tool, token] : {std::pair{"IIT", round->iit_token}, std::pair{"EIT", round->eit_token}}) {
    const std::string t = tool;
    m["links"].push_back({{"tool", t}, {"tool_lower", t == "IIT" ? "iit" : "eit"}, {"url", survey_url(token)},
                          {"qr_svg", qr_svg(survey_url(token))}, {"round_id", round->id}});
  }
  const auto [issued, used] = store_.access_code_counts(round->id);
  m["codes"] = {{"issued", issued}, {"used", used}};
  m["suggested_codes"] = std::max(1, round->staff_count);
  m["can_manage"] = can_manage_agency(c, round->agency_id);
  int done = 0;
  for (const auto& entry : store_.oit_entries(round->id)) done += entry.effective_verdict() ? 1 : 0;
  m["oit_done"] = done;
  m["oit_total"] = e.oit.items.size();
  return page("round", m);
}

Response App::qr(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto round = store_.round(id_param(r));
  if (!round || !can_view_agency(c, round->agency_id)) throw HttpError(404, "ไม่พบรอบการประเมิน");
  const std::string& file = r.params.at("file");
  const std::string tool = file.substr(0, file.find('.'));
  const std::string ext = file.substr(file.find('.') + 1);
  if ((tool != "iit" && tool != "eit") || (ext != "svg" && ext != "png")) throw HttpError(404, "ไม่พบไฟล์ " + file);
  const std::string url = survey_url(tool == "iit" ? round->iit_token : round->eit_token);
  Response res = Response::text(ext == "svg" ? qr_svg(url) : qr_png(url));
  res.content_type = ext == "svg" ? "image/svg+xml" : "image/png";
  res.headers.emplace_back("Content-Disposition", "inline; filename=\"qr-" + tool + "-round-" + std::to_string(round->id) + "." + ext + "\"");
  return res;
}

Response App::issue_codes(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto form = r.form();
  if (!csrf_ok(r, c, form)) throw HttpError(403, "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่");
  const auto round = store_.round(id_param(r));
  if (!round) throw HttpError(404, "ไม่พบรอบการประเมิน");
  if (!can_manage_agency(c, round->agency_id)) throw HttpError(403, "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานเท่านั้น");
  const int count = int_field(form, "count", "จำนวนรหัส");
  if (count < 1 || count > 2000) throw HttpError(422, "จำนวนรหัสต้องอยู่ระหว่าง 1 ถึง 2000");
  std::vector<std::string> codes, hashes;
  for (int i = 0; i < count; ++i) {
    std::string code = random_token(5);  // 10 hex digits, printed on a slip
    hashes.push_back(sha256_hex(code));
    codes.push_back(std::move(code));
  }
  store_.add_access_codes(round->id, hashes, c.user->id);
  json m = page_model(c, "ใบรหัสเข้าตอบ IIT");
  const auto agency = store_.agency(round->agency_id);
  m["count"] = count;
  m["codes"] = json::array();
  for (const auto& code : codes) {
    m["codes"].push_back({{"code", code}, {"agency", agency->name}, {"fiscal_year", edition_of(*round).fiscal_year},
                          {"url", survey_url(round->iit_token)}});
  }
  Response res = page("codes", m);
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

Response App::oit_page(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto round = store_.round(id_param(r));
  if (!round) throw HttpError(404, "ไม่พบรอบการประเมิน");
  if (!can_view_agency(c, round->agency_id)) throw HttpError(403, "ไม่มีสิทธิ์ดูรอบการประเมินนี้");
  const Edition& e = edition_of(*round);
  std::map<std::string, OitEntry> entries;
  for (auto& entry : store_.oit_entries(round->id)) entries[entry.item] = entry;
  const bool manage = can_manage_agency(c, round->agency_id), assess = is_assessor(c);
  json m = page_model(c, "OIT");
  m["round"] = round_json(*round);
  m["agency"] = agency_json(*store_.agency(round->agency_id));
  m["items"] = json::array();
  for (const auto& item : e.oit.items) {
    OitEntry entry;
    entry.item = item.code;
    if (auto it = entries.find(item.code); it != entries.end()) entry = it->second;
    const auto verdict = entry.effective_verdict();
    const bool reviewable = entry.stage == OitStage::Submitted;
    const bool confirmable = entry.stage == OitStage::Reviewed || entry.stage == OitStage::Appealed;
    m["items"].push_back({{"code", item.code},
                          {"name", item.name_th},
                          {"sub_indicator", item.sub_indicator},
                          {"url", entry.url},
                          {"note", entry.note},
                          {"stage_th", stage_th(entry.stage)},
                          {"verdict_th", verdict ? (*verdict ? "ผ่าน" : "ไม่ผ่าน") : ""},
                          {"review_comment", entry.review_comment},
                          {"final_comment", entry.final_comment},
                          {"appeal_explanation", entry.appeal_explanation},
                          {"can_submit", manage && (entry.stage == OitStage::Draft || entry.stage == OitStage::Submitted)},
                          {"can_appeal", manage && entry.stage == OitStage::Reviewed && entry.verdict == false},
                          {"can_review", assess && (reviewable || confirmable)},
                          {"review_action", reviewable ? "review" : "confirm"},
                          {"review_label", reviewable ? "บันทึกผล" : "ยืนยันผล"},
                          {"round_id", round->id},
                          {"csrf", m["csrf"]}});
  }
  return page("oit", m);
}

Response App::oit_action(Request& r, const std::string& action) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto form = r.form();
  if (!csrf_ok(r, c, form)) throw HttpError(403, "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่");
  const auto round = store_.round(id_param(r));
  if (!round) throw HttpError(404, "ไม่พบรอบการประเมิน");
  const std::string& item = r.params.at("item");
  oit_step(c, *round, item, action, form);
  return Response::redirect("/rounds/" + std::to_string(round->id) + "/oit#" + item);
}

Response App::result_page(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  const auto round = store_.round(id_param(r));
  if (!round) throw HttpError(404, "ไม่พบรอบการประเมิน");
  if (!can_view_agency(c, round->agency_id)) throw HttpError(403, "ไม่มีสิทธิ์ดูผลของรอบนี้");
  const Edition& e = edition_of(*round);
  json m = page_model(c, "ผลการประเมิน");
  m["round"] = round_json(*round);
  m["agency"] = agency_json(*store_.agency(round->agency_id));
  const RoundScore s = score_round(store_, e, *round);
  m["missing"] = s.missing;
  if (!s.result) return page("result", m);
  const Result res = without_small_group_items(*s.result, options_.min_respondents);
  m["withheld"] = small_group_notes(res.respondents, options_.min_respondents);
  const Analysis a = analyze(e, res);
  auto name = [&](int id) { return e.find_indicator(id)->name_th; };
  json rj;
  rj["total"] = format2(round2(res.total));
  rj["level"] = res.level.label_th;
  rj["threshold"] = format2(a.strength_min);
  for (const auto& t : res.tools) {
    rj["tools"].push_back({{"id", tool_code(t.id)}, {"name", e.find_tool(t.id)->name_th}, {"score", format2(round2(t.score))},
                           {"weight", std::lround(t.weight * 100)}});
  }
  report::BarChart chart;
  chart.threshold = e.analysis.strength_min;
  chart.threshold_label = "เกณฑ์ " + format2(a.strength_min);
  chart.x_label = "ตัวชี้วัด";
  chart.y_label = "คะแนน";
  for (int t = 0; t <= 100; t += 20) chart.y_tick_labels.push_back(std::to_string(t));
  for (const auto& i : res.indicators) {
    chart.bars.push_back({std::to_string(i.id), i.score, format2(round2(i.score)), round2(i.score) >= a.strength_min});
  }
  rj["chart_svg"] = report::bar_chart_svg(chart);
  for (const auto& ri : a.ranking) rj["ranking"].push_back({{"rank", ri.rank}, {"id", ri.id}, {"name", name(ri.id)}, {"score", format2(ri.shown)}});
  rj["strengths"] = json::array();
  rj["weaknesses"] = json::array();
  for (int id : a.strengths) rj["strengths"].push_back({{"id", id}, {"name", name(id)}, {"score", format2(round2(res.indicator(id)->score))}});
  for (int id : a.weaknesses) rj["weaknesses"].push_back({{"id", id}, {"name", name(id)}, {"score", format2(round2(res.indicator(id)->score))}});
  rj["items_below"] = json::array();
  for (const auto& [ind, items] : a.items_below) {
    for (const auto& f : items) rj["items_below"].push_back({{"indicator", ind}, {"code", f.code}, {"text", f.text_th}, {"score", format2(f.shown)}});
  }
  for (const auto& f : a.oit_zero) rj["items_below"].push_back({{"indicator", f.indicator}, {"code", f.code}, {"text", f.text_th}, {"score", format2(f.shown)}});
  const WhatIf w = what_if_next(e, res);
  if (w.target && w.reachable && !w.indicators.empty()) {
    json steps = json::array();
    for (const auto& t : w.indicators) {
      steps.push_back("ตัวชี้วัดที่ " + std::to_string(t.id) + " " + name(t.id) + ": " + format2(round2(t.from)) + " → " + format2(round2(t.to)));
    }
    rj["whatif"] = {{"target", w.target->label_th}, {"steps", steps}};
  }
  m["result"] = rj;
  return page("result", m);
}

Response App::audit_page(Request& r) {
  Caller c = caller(r);
  if (!c.user) return need_login(r);
  if (c.user->role != store::Role::Admin) throw HttpError(403, "เฉพาะผู้ดูแลระบบเท่านั้น");
  json m = page_model(c, "บันทึกการเปลี่ยนแปลง");
  m["entries"] = json::array();
  for (const auto& e : store_.audit_log(500)) {
    const std::time_t t = e.at;
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&t));
    m["entries"].push_back({{"at", buf}, {"user", e.user_id ? std::to_string(*e.user_id) : "-"}, {"action", e.action},
                            {"target", e.target}, {"detail", e.detail}});
  }
  return page("audit", m);
}

// The editions an officer may open a round on, newest first; the newest whose questionnaires are
// complete is preselected, and an incomplete one says so (it can only be a practice round).
nlohmann::json App::edition_choices() {
  std::vector<const Edition*> all = editions_.all();
  std::ranges::sort(all, [](const Edition* a, const Edition* b) {
    return a->fiscal_year != b->fiscal_year ? a->fiscal_year > b->fiscal_year : a->id > b->id;
  });
  json out = json::array();
  bool chosen = false;
  for (const Edition* e : all) {
    const bool incomplete = !incomplete_surveys(*e).empty();
    std::string title = "พ.ศ. " + std::to_string(e->fiscal_year);
    if (e->id != std::to_string(e->fiscal_year)) title += " (" + e->id + ")";
    title += " — " + std::string(provenance_label_th(e->provenance.status));
    if (incomplete) title += " · ข้อคำถามไม่ครบ ใช้ได้เฉพาะรอบทดลอง";
    out.push_back({{"id", e->id}, {"title", title}, {"selected", !incomplete && !chosen}});
    chosen = chosen || !incomplete;
  }
  return out;
}

}  // namespace ita::web
