// A round's OIT items as a page: evidence by the agency, review by an assessor, one appeal,
// confirmation (core/oit_workflow.hpp, service/oit.hpp).
#include "core/error.hpp"
#include "service/errors.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"

namespace ita::web {

namespace {

using nlohmann::json;
using service::OitStep;

std::string stage_th(OitStage s) {
  switch (s) {
    case OitStage::Draft:
      return "ยังไม่ส่ง";
    case OitStage::Submitted:
      return "รอพิจารณา";
    case OitStage::Reviewed:
      return "พิจารณาแล้ว";
    case OitStage::Appealed:
      return "ชี้แจงเพิ่มเติมแล้ว รอยืนยัน";
    case OitStage::Confirmed:
      return "ยืนยันผลแล้ว";
  }
  return "";
}

// A refusal of the core's OIT workflow (English, for the API) as the page says it, by the field
// it names.
std::string workflow_refusal_th(const InputError& e) {
  if (e.field() == "url")
    return "ลิงก์หลักฐานต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https:// บนเว็บไซต์ของหน่วยงาน "
           "เช่น https://www.example.go.th/ita/o1";
  if (e.field() == "explanation") return "กรุณากรอกคำชี้แจงเพิ่มเติม";
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
    case OitStep::Confirm:
      return "confirm";
  }
  return "";
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
  route(router, "GET", "/rounds/{id}/oit", this, &OitPages::page);
  route(router, "POST", "/rounds/{id}/oit/{item}", this, &OitPages::step, OitStep::Evidence);
  route(router, "POST", "/rounds/{id}/oit/{item}/review", this, &OitPages::step, OitStep::Review);
  route(router, "POST", "/rounds/{id}/oit/{item}/appeal", this, &OitPages::step, OitStep::Appeal);
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
  m["items"] = json::array();
  for (const auto& item : e.oit.items) {
    OitEntry entry;
    entry.item = item.code;
    if (auto it = entries.find(item.code); it != entries.end()) entry = it->second;
    const auto verdict = entry.effective_verdict();
    const bool reviewable = entry.stage == OitStage::Submitted;
    const bool confirmable = entry.stage == OitStage::Reviewed || entry.stage == OitStage::Appealed;
    m["items"].push_back(
        {{"code", item.code},
         {"name", item.name_th},
         {"sub_indicator", item.sub_indicator},
         {"url", entry.url},
         {"note", entry.note},
         {"form_url", entry.url},
         {"form_note", entry.note},
         {"stage_th", stage_th(entry.stage)},
         {"verdict_th", verdict ? (*verdict ? "ผ่าน" : "ไม่ผ่าน") : ""},
         {"review_comment", entry.review_comment},
         {"final_comment", entry.final_comment},
         {"appeal_explanation", entry.appeal_explanation},
         {"can_submit",
          manage && (entry.stage == OitStage::Draft || entry.stage == OitStage::Submitted)},
         {"can_appeal", manage && entry.stage == OitStage::Reviewed && entry.verdict == false},
         {"can_review", assess && (reviewable || confirmable)},
         {"review_action", reviewable ? "review" : "confirm"},
         {"review_label", reviewable ? "บันทึกผล" : "ยืนยันผล"},
         {"round_id", round.id},
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
          row["form_url"] = field(form, "url");
          row["form_note"] = field(form, "note");
          row["typed_explanation"] = field(form, "explanation");
          row["typed_comment"] = field(form, "comment");
          row["typed_fail"] = field(form, "verdict") == "fail";
          row["typed_pass"] = field(form, "verdict") == "pass";
        }
        return web_.page("oit", m, status);
      });
}

}  // namespace ita::web
