// Editions for administrators (docs/editions.md, "Publishing an edition"): the editions in force,
// uploading a spreadsheet or JSON file, a review page (problems by sheet/row/column, the survey as
// respondents will see it, the differences from the previous year's edition), and publishing.
#include <chrono>

#include "core/edition_diff.hpp"
#include "core/survey.hpp"
#include "core/thai.hpp"
#include "io/edition_json.hpp"
#include "io/edition_sheet.hpp"
#include "io/json_error.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"
#include "web/multipart.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

constexpr const char* kAdminsOnly = "เฉพาะผู้ดูแลระบบเท่านั้น";

std::string thai_day(std::int64_t unix_seconds) {
  const auto local = std::chrono::sys_seconds(std::chrono::seconds(unix_seconds + 7 * 3600));
  return format_thai_date(
      std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(local)));
}

json provenance_json(const Edition& e) {
  return {{"edition", provenance_label_th(e.provenance.status)},
          {"iit", provenance_label_th(e.iit.provenance.status)},
          {"eit", provenance_label_th(e.eit.provenance.status)},
          {"oit", provenance_label_th(e.oit.provenance.status)},
          {"grading", provenance_label_th(e.grading.provenance.status)}};
}

json summary_json(const Edition& e) {
  json j = {{"id", e.id},
            {"fiscal_year", e.fiscal_year},
            {"title", e.title_th},
            {"iit_items", e.iit.items.size()},
            {"eit_items", e.eit.items.size()},
            {"oit_items", e.oit.items.size()},
            {"provenance", provenance_json(e)},
            {"notes", e.provenance.notes},
            {"incomplete", !incomplete_surveys(e).empty()}};
  return j;
}

// The questionnaire of one survey as its respondents will see it (inputs disabled).
json preview_json(const Edition& e, ToolId tool) {
  json questions = json::array();
  std::size_t n = 0;
  for (const auto& item : e.questionnaire(tool).items) {
    json subs = json::array();
    for (const auto& sub : item.sub_items) {
      json options = json::array();
      for (const auto& o : e.scales.at(sub.scale).options) options.push_back(o.label_th);
      subs.push_back(
          {{"text", item.sub_items.size() > 1 ? sub.text_th : ""}, {"options", options}});
    }
    questions.push_back({{"number", ++n}, {"text", item.text_th}, {"subs", subs}});
  }
  return {{"tool", tool_code(tool)}, {"count", n}, {"questions", questions}};
}

std::string change_label_th(ChangeKind k) {
  switch (k) {
    case ChangeKind::Added:
      return "เพิ่มใหม่";
    case ChangeKind::Removed:
      return "ตัดออก";
    case ChangeKind::Reworded:
      return "ปรับถ้อยคำ";
    case ChangeKind::Renumbered:
      return "เปลี่ยนรหัสข้อ";
    case ChangeKind::Moved:
      return "ย้ายตำแหน่ง";
    case ChangeKind::ScaleChanged:
      return "เปลี่ยนมาตราส่วนคำตอบ";
    case ChangeKind::PolarityChanged:
      return "กลับทิศการให้คะแนน";
    case ChangeKind::WeightChanged:
      return "เปลี่ยนน้ำหนัก";
    case ChangeKind::RuleChanged:
      return "เปลี่ยนเกณฑ์";
    case ChangeKind::CriteriaChanged:
      return "ปรับรายละเอียดที่ต้องเปิดเผย";
  }
  return "";
}

json diff_json(const Edition& before, const Edition& after) {
  json rows = json::array();
  for (const EditionChange& c : diff_editions(before, after)) {
    rows.push_back({{"kind", change_label_th(c.kind)},
                    {"tool", c.tool ? std::string(tool_code(*c.tool)) : ""},
                    {"old_code", c.old_code},
                    {"new_code", c.new_code},
                    {"old_text", c.old_value.empty() ? c.old_text : c.old_value},
                    {"new_text", c.new_value.empty() ? c.new_text : c.new_value}});
  }
  return {{"previous", before.id},
          {"previous_year", before.fiscal_year},
          {"rows", rows},
          {"count", rows.size()}};
}

}  // namespace

void EditionAdmin::add_routes(Router& router) {
  route(router, "GET", "/admin/editions", this, &EditionAdmin::list);
  route(router, "GET", "/admin/editions/{file}", this, &EditionAdmin::download);
  route(router, "POST", "/admin/editions/upload", this, &EditionAdmin::upload);
  route(router, "GET", "/admin/editions/drafts/{token}", this, &EditionAdmin::review);
  route(router, "POST", "/admin/editions/drafts/{token}/publish", this, &EditionAdmin::publish);
}

// Who may manage editions: administrators only; anyone else gets 403 (or the login page).
Caller EditionAdmin::admin(const Request& r) {
  Caller c = web_.signed_in(r);
  if (c.user->role != store::Role::Admin) throw HttpError(403, kAdminsOnly);
  return c;
}

// The draft `token` of the caller, parsed again (it was checked when it was uploaded).
Edition EditionAdmin::draft(const Request& r, const Caller& c) {
  const std::string& token = r.params.at("token");
  const auto text = web_.store.edition_draft(token, c.user->id);
  if (!text) throw HttpError(404, "ไม่พบชุดเกณฑ์ที่อัปโหลดไว้ (เก็บไว้ ๑ วัน) กรุณาอัปโหลดใหม่");
  return io::parse_edition(*text, "draft " + token);
}

Response EditionAdmin::list(Request& r) {
  const Caller c = admin(r);
  json m = list_model(c);
  if (auto it = r.query.find("published"); it != r.query.end()) {
    if (const Edition* e = web_.editions.find(it->second)) {
      m["flash"] = "เผยแพร่ชุดเกณฑ์ " + e->id + " ฉบับที่ " +
                   std::to_string(web_.editions.origin(e->id).version) + " แล้ว";
    }
  }
  return web_.page("editions", m);
}

Response EditionAdmin::download(Request& r) {
  admin(r);
  const std::string& file = r.params.at("file");
  const auto dot = file.rfind('.');
  const Edition* e = dot == std::string::npos ? nullptr : web_.editions.find(file.substr(0, dot));
  const std::string ext = dot == std::string::npos ? "" : file.substr(dot);
  if (e == nullptr || (ext != ".xlsx" && ext != ".json")) {
    throw HttpError(404, "ไม่พบไฟล์ชุดเกณฑ์ \"" + file + "\"");
  }
  Response res;
  if (ext == ".json") {
    res.content_type = "application/json; charset=utf-8";
    res.body = io::edition_to_json(*e);
  } else {
    res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res.body = io::write_edition_xlsx(*e);
  }
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"edition-" + file + "\"");
  return res;
}

Response EditionAdmin::upload(Request& r) {
  const Caller c = admin(r);
  const auto parts = parse_multipart(r);
  std::map<std::string, std::string> fields;
  if (auto it = parts.find("csrf"); it != parts.end()) fields["csrf"] = it->second.data;
  web_.require_csrf(r, c, fields);
  const auto file = parts.find("file");
  if (file == parts.end() || file->second.data.empty()) {
    json m = list_model(c);
    m["errors"].push_back("กรุณาเลือกไฟล์ชุดเกณฑ์ (.xlsx หรือ .json)");
    return web_.page("editions", m, 422);
  }
  const std::string name = file->second.filename.empty() ? "upload" : file->second.filename;
  try {
    const Edition e = io::read_edition_upload(file->second.data, name);
    const std::string token = random_token(16);
    web_.store.save_edition_draft(token, io::edition_to_json(e), c.user->id);
    return Response::redirect("/admin/editions/drafts/" + token);
  } catch (const io::SheetError& err) {
    json m = list_model(c);
    m["upload_name"] = name;
    m["errors"].push_back("ไฟล์ " + name + " มีข้อผิดพลาด " + std::to_string(err.problems().size()) +
                          " รายการ ยังไม่ได้บันทึกหรือเผยแพร่สิ่งใด");
    m["problems"] = json::array();
    for (const auto& p : err.problems()) {
      m["problems"].push_back(
          {{"sheet", p.sheet},
           {"row", p.row == 0 ? "" : std::to_string(p.row)},
           {"column", p.column_name.empty() ? p.column : p.column + " (" + p.column_name + ")"},
           {"message", p.message_th}});
    }
    m["has_problems"] = true;
    return web_.page("editions", m, 422);
  } catch (const io::FileError& err) {
    json m = list_model(c);
    m["upload_name"] = name;
    m["errors"].push_back("ไฟล์ " + name + " อ่านไม่ได้: " + std::string(err.what()) +
                          " ยังไม่ได้บันทึกหรือเผยแพร่สิ่งใด");
    return web_.page("editions", m, 422);
  }
}

Response EditionAdmin::review(Request& r) {
  const Caller c = admin(r);
  json m = review_model(c, draft(r, c));
  m["token"] = r.params.at("token");
  return web_.page("edition_review", m);
}

Response EditionAdmin::publish(Request& r) {
  const Caller c = admin(r);
  web_.require_csrf(r, c, r.form());
  const Edition e = draft(r, c);
  try {
    web_.editions.publish(e, c.user->id);
  } catch (const store::Conflict&) {  // a round was opened on it since the review page
    throw HttpError(409,
                    "ชุดเกณฑ์รหัส " + e.id + " ถูกใช้ในรอบการประเมินแล้ว จึงแก้ไขไม่ได้ ให้ใช้รหัสชุดเกณฑ์ใหม่");
  }
  return Response::redirect("/admin/editions?published=" + url_encode(e.id));
}

nlohmann::json EditionAdmin::list_model(const Caller& c) {
  json m = web_.page_model(c, "ชุดเกณฑ์การประเมิน");
  m["editions"] = json::array();
  for (const Edition* e : web_.editions.all()) {
    json row = summary_json(*e);
    const service::EditionOrigin origin = web_.editions.origin(e->id);
    row["origin"] = origin.published ? "เผยแพร่ฉบับที่ " + std::to_string(origin.version) + " เมื่อ " +
                                           thai_day(origin.published_at)
                                     : "ติดตั้งมากับระบบ";
    row["rounds"] = web_.store.rounds_using_edition(e->id);
    m["editions"].push_back(row);
  }
  m["problems"] = json::array();
  return m;
}

nlohmann::json EditionAdmin::review_model(const Caller& c, const Edition& e) {
  json m = web_.page_model(c, "ตรวจทานชุดเกณฑ์ " + e.id);
  m["edition"] = summary_json(e);
  const int used = web_.store.rounds_using_edition(e.id);
  m["locked"] = used > 0;
  m["used_rounds"] = used;
  m["replaces"] = web_.editions.find(e.id) != nullptr && used == 0;
  if (const Edition* before = web_.editions.previous_year(e)) m["diff"] = diff_json(*before, e);
  m["previews"] = json::array({preview_json(e, ToolId::IIT), preview_json(e, ToolId::EIT)});
  return m;
}

}  // namespace ita::web
