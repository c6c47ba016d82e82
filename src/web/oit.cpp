// A round's OIT items as a page: evidence (1 to 10 URLs) by the agency, review by an assessor,
// one appeal and its confirmation, or the appeal declined (core/oit_workflow.hpp,
// service/oit.hpp).
#include <set>

#include "core/error.hpp"
#include "service/calendar.hpp"
#include "service/errors.hpp"
#include "service/oit_check.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"
#include "web/oit_check_view.hpp"

namespace ita::web {

namespace {

using nlohmann::json;
using service::OitStep;

// The stages, in the order the page's legend lists them.
constexpr OitStage kStages[] = {OitStage::Draft, OitStage::Submitted, OitStage::Reviewed,
                                OitStage::Appealed, OitStage::Confirmed};

// Who acts next at stage `s`, for the legend.
std::string stage_help_th(OitStage s) {
  switch (s) {
    case OitStage::Draft:
      return "หน่วยงานยังไม่ได้ส่งลิงก์หลักฐาน";
    case OitStage::Submitted:
      return "ผู้ประเมินพิจารณาผ่านหรือไม่ผ่าน (หน่วยงานยังแก้ลิงก์ได้)";
    case OitStage::Reviewed:
      return "ข้อที่ไม่ผ่าน หน่วยงานชี้แจงเพิ่มเติมได้หนึ่งครั้ง หรือแจ้งไม่ขออุทธรณ์ "
             "หากไม่ชี้แจง ผลนี้เป็นผลสุดท้าย";
    case OitStage::Appealed:
      return "ผู้ประเมินพิจารณาคำชี้แจงและยืนยันผล";
    case OitStage::Confirmed:
      return "ผลสุดท้าย (ผู้ประเมินยืนยันผลหลังชี้แจง หรือหน่วยงานไม่ขออุทธรณ์)";
  }
  return "";
}

// `text`, or null when it is empty: the templates' {{#section}} shows an empty string too.
json or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

// Every evidence URL of `e` as the templates list them: [{"href": …}], empty in a draft.
json url_links(const OitEntry& e) {
  json out = json::array();
  for (const auto& u : e.urls()) out.push_back({{"href", u}});
  return out;
}

// The evidence form's textarea: one URL a line.
std::string url_lines(const OitEntry& e) {
  std::string text;
  for (const auto& u : e.urls()) text += (text.empty() ? "" : "\n") + u;
  return text;
}

json stage_legend() {
  json out = json::array();
  for (OitStage s : kStages)
    out.push_back({{"code", oit_stage_code(s)},
                   {"name", std::string(oit_stage_th(s))},
                   {"help", stage_help_th(s)}});
  return out;
}

// A refusal of the core's OIT workflow (English, for the API) as the page says it, by the field
// it names.
std::string workflow_refusal_th(const InputError& e) {
  if (e.field() == "url")
    return "ลิงก์หลักฐานต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https:// บนเว็บไซต์ของหน่วยงาน "
           "เช่น https://www.example.go.th/ita/o1";
  if (e.field() == "explanation") return "กรุณากรอกคำชี้แจงเพิ่มเติม";
  if (e.field() == "comment") return "ผลไม่ผ่านต้องระบุเหตุผลในช่องความเห็น เพื่อให้หน่วยงานชี้แจงได้";
  return "ข้อนี้อยู่ในขั้นตอนที่ทำรายการนี้ไม่ได้แล้ว (อาจมีผู้อื่นดำเนินการไปก่อน) กรุณาดูสถานะล่าสุดด้านล่าง";
}

// The ?done= code of a step's notice (Context's done_notice).
const char* done_code(OitStep step) {
  switch (step) {
    case OitStep::Evidence:
      return "evidence";
    case OitStep::Review:
      return "review";
    case OitStep::Appeal:
      return "appeal";
    case OitStep::Decline:
      return "declined";
    case OitStep::Confirm:
      return "confirm";
  }
  return "";
}

// The readiness check part of the OIT page: the newest check (running, finished or abandoned)
// and the history in m["checks"], whether the caller may start one, and the newest finished
// check's result per item code, which the function returns.
std::map<std::string, json> readiness_model(store::Store& store, const store::Round& round,
                                            const Edition& e, bool manage, json& m) {
  const std::int64_t now = service::unix_now();
  // The history without results (its dates and states); the newest finished one with them.
  const auto history = store.oit_checks(round.id, kOitCheckHistory, false);
  const auto latest = service::latest_oit_check(store, round.id);
  const json latest_view = latest ? check_view(*latest, e, now) : json(nullptr);
  json checks = json::array();
  for (const auto& c : history) {
    checks.push_back(latest && c.id == latest->id ? latest_view : check_view(c, e, now));
  }
  m["checks"] = {{"can_start", manage},
                 {"latest", history.empty() ? json(nullptr) : checks.front()},
                 {"has_history", history.size() > 1},
                 {"history", checks}};
  std::map<std::string, json> by_item;
  if (!latest) return by_item;
  for (const json& r : latest_view["results"]) by_item[r["code"].get<std::string>()] = r;
  return by_item;
}

}  // namespace

void take_oit_step(Context& web, const Caller& c, const store::Round& round,
                   const std::string& item, OitStep step,
                   const std::map<std::string, std::string>& fields) {
  const Edition& e = web.edition_of(round);
  service::oit_item(e, item);
  if (service::agency_step(step)) {
    if (!web.can_manage_agency(c, round.agency_id))
      throw HttpError(403, "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานเท่านั้น");
  } else if (!web.is_assessor(c)) {
    throw HttpError(403, "เฉพาะผู้ประเมินเท่านั้น");
  }
  service::take_oit_step(web.store, e, round, item, step, fields, c.user->id);
}

void OitPages::add_routes(Router& router) {
  route(router, "GET", "/oit/queue", this, &OitPages::queue);
  route(router, "GET", "/rounds/{id}/oit", this, &OitPages::page);
  route(router, "POST", "/rounds/{id}/oit/{item}", this, &OitPages::step, OitStep::Evidence);
  route(router, "POST", "/rounds/{id}/oit/{item}/review", this, &OitPages::step, OitStep::Review);
  route(router, "POST", "/rounds/{id}/oit/{item}/appeal", this, &OitPages::step, OitStep::Appeal);
  route(router, "POST", "/rounds/{id}/oit/{item}/decline", this, &OitPages::step, OitStep::Decline);
  route(router, "POST", "/rounds/{id}/oit/{item}/confirm", this, &OitPages::step, OitStep::Confirm);
}

Response OitPages::page(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round =
      web_.authorized_round(r, c, {RoundAccess::Need::View, "ไม่มีสิทธิ์ดูรอบการประเมินนี้"});
  return web_.page("oit", model(r, c, round));
}

json OitPages::model(const Request& r, const Caller& c, const store::Round& round) {
  const Edition& e = web_.edition_of(round);
  std::map<std::string, OitEntry> entries;
  for (auto& entry : web_.store.oit_entries(round.id)) entries[entry.item] = entry;
  const bool manage = web_.can_manage_agency(c, round.agency_id), assess = web_.is_assessor(c);
  json m = web_.page_model(r, c, "OIT");
  m["round"] = web_.round_json(round);
  m["agency"] = agency_json(*web_.store.agency(round.agency_id));
  m["stages"] = stage_legend();
  const std::map<std::string, json> readiness = readiness_model(web_.store, round, e, manage, m);
  m["items"] = json::array();
  for (const auto& item : e.oit.items) {
    OitEntry entry;
    entry.item = item.code;
    if (auto it = entries.find(item.code); it != entries.end()) entry = it->second;
    const auto verdict = entry.effective_verdict();
    const bool reviewable = entry.stage == OitStage::Submitted;
    const bool confirmable = awaits_confirmation(entry);
    m["items"].push_back(
        {{"code", item.code},
         {"name", item.name_th},
         {"criteria", or_null(item.criteria_th)},
         {"sub_indicator", item.sub_indicator},
         {"urls", url_links(entry)},
         {"note", or_null(entry.note)},
         {"form_urls", url_lines(entry)},
         {"form_note", entry.note},
         {"stage_th", std::string(oit_stage_th(entry.stage))},
         {"stage", oit_stage_code(entry.stage)},
         {"verdict_th", verdict ? json(*verdict ? "ผ่าน" : "ไม่ผ่าน") : json(nullptr)},
         {"failed", verdict == false},
         {"review_comment", or_null(entry.review_comment)},
         {"final_comment", or_null(entry.final_comment)},
         {"appeal_explanation", or_null(entry.appeal_explanation)},
         {"can_submit",
          manage && (entry.stage == OitStage::Draft || entry.stage == OitStage::Submitted)},
         {"can_appeal", manage && entry.stage == OitStage::Reviewed && entry.verdict == false},
         {"can_decline", manage && entry.stage == OitStage::Reviewed && entry.verdict == false},
         {"can_review", assess && (reviewable || confirmable)},
         {"review_action", reviewable ? "review" : "confirm"},
         {"review_label", reviewable ? "บันทึกผล" : "ยืนยันผล"},
         {"round_id", round.id},
         {"readiness", readiness.contains(item.code) ? readiness.at(item.code) : json(nullptr)},
         {"csrf", m["csrf"]}});
  }
  return m;
}

Response OitPages::step(Request& r, OitStep step) {
  Caller c = web_.signed_in(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  const store::Round round = web_.authorized_round(r, c, {RoundAccess::Need::Any});
  const std::string& item = r.params.at("item");
  return Context::on_refusal(
      r,
      [&] {
        // A verdict is chosen by the assessor, never assumed: the form has no default.
        if (!service::agency_step(step) && !service::parse_verdict(field(form, "verdict")))
          throw service::Invalid("กรุณาเลือกผลการพิจารณา: ผ่าน หรือ ไม่ผ่าน");
        // Declining makes the fail final: never by a stray click.
        if (step == OitStep::Decline && field(form, "confirm") != "1")
          throw service::Invalid("กรุณาทำเครื่องหมายยืนยันว่าไม่ขออุทธรณ์ก่อนกดปุ่ม");
        try {
          take_oit_step(web_, c, round, item, step, form);
        } catch (const InputError& e) {
          throw service::Invalid(workflow_refusal_th(e));
        }
        return Response::redirect(
            with_done("/rounds/" + std::to_string(round.id) + "/oit", done_code(step)) + "#" +
            url_encode(item));
      },
      [&](int status, const std::string& message) {
        json m = model(r, c, round);
        m["errors"].push_back("ข้อ " + item + ": " + message);
        // The item's forms keep what was typed.
        for (auto& row : m["items"]) {
          if (row["code"] != item) continue;
          row["form_urls"] = form.contains("urls") ? field(form, "urls") : field(form, "url");
          row["form_note"] = field(form, "note");
          row["typed_explanation"] = field(form, "explanation");
          row["typed_comment"] = field(form, "comment");
          row["typed_fail"] = field(form, "verdict") == "fail";
          row["typed_pass"] = field(form, "verdict") == "pass";
        }
        return web_.page("oit", m, status);
      });
}

Response OitPages::queue(Request& r) {
  Caller c = web_.signed_in(r);
  if (!web_.is_assessor(c)) throw HttpError(403, "เฉพาะผู้ประเมินเท่านั้น");
  return Context::on_refusal(
      r,
      [&] { return web_.page("oit_queue", queue_model(r, c, service::oit_queue_filter(r.query))); },
      [&](int status, const std::string& message) {
        json m = queue_model(r, c, {});
        m["errors"].push_back(message);
        return web_.page("oit_queue", m, status);
      });
}

json OitPages::queue_model(const Request& r, const Caller& c, const service::OitQueueFilter& f) {
  json m = web_.page_model(r, c, "งานรอพิจารณา OIT");
  m["stages"] = stage_legend();
  m["rows"] = json::array();
  for (const auto& q : service::oit_queue(web_.store, web_.editions, f)) {
    m["rows"].push_back(
        {{"round_id", q.round.id},
         {"agency", q.agency.name},
         {"province", q.agency.province},
         {"edition", q.round.edition_id},
         {"code", q.item->code},
         {"name", q.item->name_th},
         {"criteria", or_null(q.item->criteria_th)},
         {"stage", oit_stage_code(q.entry.stage)},
         {"stage_th", std::string(oit_stage_th(q.entry.stage))},
         {"appeal", q.entry.stage == OitStage::Appealed},
         {"urls", url_links(q.entry)},
         {"href", "/rounds/" + std::to_string(q.round.id) + "/oit#" + url_encode(q.item->code)}});
  }
  m["count"] = m["rows"].size();
  // The filter form's choices, with what was chosen selected.
  std::set<std::string> provinces;
  m["agencies"] = json::array();
  for (const auto& a : web_.store.agencies()) {
    if (!a.province.empty()) provinces.insert(a.province);
    m["agencies"].push_back({{"id", a.id}, {"name", a.name}, {"selected", f.agency_id == a.id}});
  }
  m["provinces"] = json::array();
  for (const auto& p : provinces)
    m["provinces"].push_back({{"name", p}, {"selected", f.province == p}});
  m["editions"] = json::array();
  for (const Edition* e : web_.editions.all())
    m["editions"].push_back({{"id", e->id}, {"selected", f.edition_id == e->id}});
  m["filtered"] = f.province || f.agency_id || f.edition_id;
  return m;
}

}  // namespace ita::web
