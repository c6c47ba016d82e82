// The public IIT/EIT questionnaires: no login, nothing that identifies the respondent stored.
// A submission is validated once (service::accept_response) and stored by the group-commit
// writer; the receipt goes out only after its batch has committed (reply_after_commit).
#include "core/survey.hpp"

#include <algorithm>

#include "service/responses.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"
#include "web/views.hpp"

namespace ita::web {

namespace {

using nlohmann::json;

struct SurveyTarget {
  store::Round round;
  ToolId tool;
};

// What a respondent reads when the store refused the response (SubmitOutcome::Refusal).
std::string refusal_th(store::SubmitOutcome::Refusal why) {
  using Refusal = store::SubmitOutcome::Refusal;
  switch (why) {
    case Refusal::AccessCodeMissing:
    case Refusal::AccessCodeUnknownOrUsed:
      return "รหัสเข้าตอบไม่ถูกต้องหรือถูกใช้ไปแล้ว";
    case Refusal::None:
    case Refusal::RoundUnknown:
    case Refusal::RoundClosed:
    case Refusal::Malformed:
      break;
  }
  return "รอบการประเมินนี้ปิดรับคำตอบแล้ว";
}

SurveyTarget find_survey(RoundCache& rounds, const std::string& token) {
  const auto round = rounds.by_token(token);
  if (!round) throw HttpError(404, "ไม่พบแบบวัดนี้ ลิงก์อาจไม่ถูกต้อง");
  return {*round, round->iit_token == token ? ToolId::IIT : ToolId::EIT};
}

json questions_json(const Edition& e, ToolId tool, const std::map<std::string, std::string>& given,
                    const std::vector<AnswerProblem>& problems) {
  json out = json::array();
  std::size_t n = 0;
  for (const auto& item : e.questionnaire(tool).items) {
    json subs = json::array();
    bool missing = false;
    for (const auto& sub : item.sub_items) {
      json options = json::array();
      auto chosen = given.find(sub.code);
      for (const auto& o : e.scales.at(sub.scale).options) {
        options.push_back({{"code", o.code},
                           {"label", o.label_th},
                           {"unit", sub.code},
                           {"checked", chosen != given.end() && chosen->second == o.code}});
      }
      for (const auto& p : problems) missing = missing || p.unit == sub.code;
      subs.push_back(
          {{"text", item.sub_items.size() > 1 ? sub.text_th : ""}, {"options", options}});
    }
    out.push_back({{"number", std::to_string(++n)},
                   {"text", item.text_th},
                   {"subs", subs},
                   {"missing", missing}});
  }
  return out;
}

}  // namespace

void Survey::add_routes(Router& router) {
  route(router, "GET", "/s/{token}", this, &Survey::form);
  route(router, "POST", "/s/{token}", this, &Survey::submit);
}

Response Survey::form(Request& r) {
  const auto target = find_survey(rounds_, r.params.at("token"));
  const Edition& e = web_.edition_of(target.round);
  std::string token = r.cookie(kCsrfCookie).value_or("");
  std::string set_cookie;
  if (token.empty()) {
    token = random_token(16);
    set_cookie = std::string(kCsrfCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
  }
  json m = web_.page_model(Caller{}, "แบบวัด " + std::string(tool_code(target.tool)));
  m["title"] = target.tool == ToolId::IIT ? "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)"
                                          : "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)";
  m["csrf"] = token;
  m["token"] = r.params.at("token");
  m["round"] = {{"fiscal_year", e.fiscal_year}};
  const auto agency = web_.store.agency(target.round.agency_id);
  m["agency"] = {{"name", agency ? agency->name : ""}};
  m["needs_code"] = target.tool == ToolId::IIT && target.round.access_codes_required;
  m["incomplete"] = std::ranges::count(incomplete_surveys(e), target.tool) > 0;
  m["questions"] = questions_json(e, target.tool, {}, {});
  Response res = web_.page("survey", m);
  if (!set_cookie.empty()) res.headers.emplace_back("Set-Cookie", set_cookie);
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

Response Survey::submit(Request& r) {
  const auto target = find_survey(rounds_, r.params.at("token"));
  const Edition& e = web_.edition_of(target.round);
  auto form = r.form();
  if (!web_.csrf_ok(r, Caller{}, form))
    throw HttpError(403, "แบบฟอร์มหมดอายุ กรุณาเปิดลิงก์แบบวัดใหม่ (คำตอบยังไม่ถูกบันทึก)");
  const std::string csrf = form.at("csrf");
  std::optional<std::string> code;
  if (auto it = form.find("access_code"); it != form.end()) code = it->second;
  form.erase("csrf");
  form.erase("access_code");
  const auto agency = web_.store.agency(target.round.agency_id);
  const std::string agency_name = agency ? agency->name : "";
  // The questionnaire again, with what was given and what is wrong (also after the writer).
  auto form_page = [this, &e, target, csrf, token = r.params.at("token"), agency_name, code, form](
                       int status, const std::vector<AnswerProblem>& problems,
                       const std::string& error) {
    json m = web_.page_model(Caller{}, "แบบวัด " + std::string(tool_code(target.tool)));
    m["title"] = "แบบวัด " + std::string(tool_code(target.tool));
    m["csrf"] = csrf;
    m["token"] = token;
    m["round"] = {{"fiscal_year", e.fiscal_year}};
    m["agency"] = {{"name", agency_name}};
    m["needs_code"] = target.tool == ToolId::IIT && target.round.access_codes_required;
    m["access_code"] = code.value_or("");
    m["incomplete"] = std::ranges::count(incomplete_surveys(e), target.tool) > 0;
    m["questions"] = questions_json(e, target.tool, form, problems);
    if (!error.empty()) m["errors"].push_back(error);
    if (!problems.empty())
      m["errors"].push_back("ยังตอบไม่ครบหรือไม่ถูกต้อง " + std::to_string(problems.size()) +
                            " ข้อ (ข้อที่มีกรอบสีแดง)");
    Response res = web_.page("survey", m, status);
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  };
  std::optional<store::NewResponse> response;
  try {
    response = service::accept_response(e, target.round, target.tool, form, code);
  } catch (const service::BadAnswers& err) {
    return form_page(422, err.problems(), "");
  } catch (const service::Error& err) {  // a closed round, a missing access code
    return form_page(422, {}, err.what());
  }
  // The receipt is ready now; it is sent only once the writer has committed the response.
  json m = web_.page_model(Caller{}, "ได้รับคำตอบแล้ว");
  m["tool"] = tool_code(target.tool);
  m["agency"] = {{"name", agency_name}};
  m["fiscal_year"] = e.fiscal_year;
  m["day"] = response->day;
  Response receipt = web_.page("receipt", m, 201);
  receipt.headers.emplace_back("Cache-Control", "no-store");
  return reply_after_commit(
      writer_, std::move(*response), std::move(receipt),
      [form_page](const store::SubmitOutcome& o) {
        return form_page(422, {}, refusal_th(o.refusal));
      },
      [form_page](const store::SubmitOutcome&) {
        return form_page(503, {}, "ระบบบันทึกคำตอบไม่สำเร็จ คำตอบยังไม่ถูกบันทึก กรุณากดส่งอีกครั้ง");
      });
}

}  // namespace ita::web
