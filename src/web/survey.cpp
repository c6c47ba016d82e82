// The public IIT/EIT questionnaires: no login, nothing that identifies the respondent stored.
// A submission is validated once (service::accept_response) and stored by the group-commit
// writer; the reply goes out only after its batch has committed (reply_after_commit). Each form
// shown carries a one-time value (service::issue_form_token) that the store consumes with the
// response, so a form is stored once however often it is sent; a stored form is answered with a
// redirect to its thank-you page (POST-redirect-GET), which stores nothing when reloaded. Every
// client address has an allowance of forms shown and of answers sent
// (Context::survey_rate_limited). The pages run one script of their own (templates/survey.js:
// answers kept on the device until sent, progress, Thai validation; see kSurveyPolicy); without
// it the form works the same, and the server's list of problems names the questions.
#include "core/survey.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "core/thai.hpp"
#include "service/calendar.hpp"
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
    case Refusal::CapReached:
      return "แบบวัดนี้ได้รับคำตอบครบตามจำนวนบุคลากรที่หน่วยงานแจ้งไว้แล้ว จึงไม่รับคำตอบเพิ่ม";
    case Refusal::FormAlreadySent:
      return "แบบฟอร์มนี้ถูกส่งไปแล้ว";
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

// The page "แบบสำรวจนี้ปิดรับคำตอบแล้ว" (409, no form) when the target's round does not accept
// responses today (store::effective_status), for the form and a submission (`submitted`) alike;
// nothing while it is open.
std::optional<Response> closed_survey(Context& web, const SurveyTarget& target, bool submitted) {
  if (store::effective_status(target.round, service::thai_today()) == store::RoundStatus::Open)
    return std::nullopt;
  json m = web.page_model(Caller{}, "แบบสำรวจนี้ปิดรับคำตอบแล้ว");
  m["public"] = true;  // as the questionnaire: no link to the login
  m["survey"] = "แบบวัด " + std::string(tool_code(target.tool));
  const auto agency = web.store.agency(target.round.agency_id);
  m["agency"] = {{"name", agency ? agency->name : ""}};
  m["fiscal_year"] = web.edition_of(target.round).fiscal_year;
  if (target.round.closes_at && target.round.status == store::RoundStatus::Open)
    m["closes_at"] = format_thai_date(*target.round.closes_at);
  m["submitted"] = submitted;
  Response res = web.page("survey_closed", m, 409);
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A 303 to `location` that no cache keeps.
Response see_other(const std::string& location) {
  Response res = Response::redirect(location);
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

// The questionnaire page's model without its questions and tokens: the survey of `target`
// (reached by `link`, its link token), of edition `e`, for the agency named `agency_name`.
json survey_model(Context& web, const SurveyTarget& target, const Edition& e,
                  const std::string& link, const std::string& agency_name) {
  json m = web.page_model(Caller{}, "แบบวัด " + std::string(tool_code(target.tool)));
  m["title"] = target.tool == ToolId::IIT ? "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)"
                                          : "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)";
  m["public"] = true;  // the layout links nowhere a respondent has no business (the login)
  m["token"] = link;
  m["round"] = {{"fiscal_year", e.fiscal_year}};
  m["agency"] = {{"name", agency_name}};
  m["needs_code"] = target.tool == ToolId::IIT && target.round.access_codes_required;
  m["incomplete"] = std::ranges::count(incomplete_surveys(e), target.tool) > 0;
  return m;
}

// The anchor of question `number` on the page ("q12"): the summary of problems links to it.
std::string question_anchor(std::size_t number) {
  return "q" + std::to_string(number);
}

// Question `number` of `total` (`item`) as the page shows it: one labelled group of options per
// answer unit (its own text when the question has several, else the question's), with the options
// in `given` chosen, marked missing when a unit is among `problems`.
json question_json(const Edition& e, const Item& item, std::size_t number, std::size_t total,
                   const std::map<std::string, std::string>& given,
                   const std::vector<AnswerProblem>& problems) {
  const std::string id = question_anchor(number);
  const bool several = item.sub_items.size() > 1;
  json subs = json::array();
  bool missing = false;
  for (std::size_t k = 0; k < item.sub_items.size(); ++k) {
    const SubItem& sub = item.sub_items[k];
    const auto chosen = given.find(sub.code);
    json options = json::array();
    for (const auto& o : e.scales.at(sub.scale).options) {
      options.push_back({{"code", o.code},
                         {"label", o.label_th},
                         {"unit", sub.code},
                         {"checked", chosen != given.end() && chosen->second == o.code}});
    }
    missing = missing || std::ranges::any_of(
                             problems, [&](const AnswerProblem& p) { return p.unit == sub.code; });
    const std::string sub_id = id + "-" + std::to_string(k + 1);
    subs.push_back({{"text", several ? json(sub.text_th) : json(false)},  // ("" counts as true)
                    {"label_id", several ? sub_id + "-label" : id + "-legend"},
                    {"id", sub_id},
                    {"options", options}});
  }
  return {{"number", number},     {"total", total}, {"id", id},
          {"text", item.text_th}, {"subs", subs},   {"missing", missing}};
}

// The questionnaire of `tool` in `e` in sections, one per indicator in the order of its items
// ("ส่วนที่ 2 จาก 5"), each with its questions numbered through the whole form ("ข้อ 12 จาก 30").
json sections_json(const Edition& e, ToolId tool, const std::map<std::string, std::string>& given,
                   const std::vector<AnswerProblem>& problems) {
  const auto& items = e.questionnaire(tool).items;
  json sections = json::array();
  std::size_t n = 0;
  for (const auto& item : items) {
    if (sections.empty() || sections.back()["indicator"] != item.indicator) {
      const Indicator* indicator = e.find_indicator(item.indicator);
      sections.push_back({{"indicator", item.indicator},
                          {"number", sections.size() + 1},
                          {"name", indicator ? indicator->name_th : ""},
                          {"questions", json::array()}});
    }
    sections.back()["questions"].push_back(
        question_json(e, item, ++n, items.size(), given, problems));
  }
  for (auto& s : sections) s["of"] = sections.size();
  return sections;
}

// The summary of what kept the answers from being stored: the numbers of the questions not
// answered and of those answered with an option not offered, each linking to its question (see
// question_anchor), and the other problems' messages. Empty arrays when there is none.
json check_json(const Edition& e, ToolId tool, const std::map<std::string, std::string>& given,
                const std::vector<AnswerProblem>& problems) {
  json check = {
      {"unanswered", json::array()}, {"invalid", json::array()}, {"messages", json::array()}};
  std::set<std::string> placed;  // the problems' units that belong to a question of the form
  std::size_t n = 0;
  for (const auto& item : e.questionnaire(tool).items) {
    ++n;
    bool unanswered = false, invalid = false;
    for (const auto& sub : item.sub_items) {
      if (std::ranges::none_of(problems,
                               [&](const AnswerProblem& p) { return p.unit == sub.code; }))
        continue;
      placed.insert(sub.code);
      const auto it = given.find(sub.code);
      if (it == given.end() || it->second.empty())
        unanswered = true;
      else
        invalid = true;
    }
    const json link = {{"number", n}, {"anchor", question_anchor(n)}, {"last", false}};
    if (unanswered) check["unanswered"].push_back(link);
    if (invalid) check["invalid"].push_back(link);
  }
  for (const char* list : {"unanswered", "invalid"}) {
    check[std::string("has_") + list] = !check[list].empty();  // (the template's condition)
    if (!check[list].empty()) check[list].back()["last"] = true;
  }
  for (const auto& p : problems) {
    if (!placed.contains(p.unit)) check["messages"].push_back(p.message);
  }
  return check;
}

// Whether the summary made by check_json has anything to say.
bool has_problems(const json& check) {
  return !check["unanswered"].empty() || !check["invalid"].empty() || !check["messages"].empty();
}

// The policy of the survey pages. Every other page gets script-src 'none' (server.cpp); these
// run one script of their own, /static/survey.js, which keeps the answers on this device, shows
// the progress and lists the unanswered questions in Thai. 'self' rather than a URL with a path:
// the host name behind a proxy is not known here, and the origin serves no other script (the only
// embedded .js file is survey.js; nothing a user uploads is served, and with nosniff a browser
// runs nothing served as another type). Still no inline script, no other origin.
constexpr const char* kSurveyPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' "
    "data:; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'";

// A survey page (`name` with model `m`, answered with `status`) that no cache keeps and that may
// run the survey's script.
Response survey_page(Context& web, const std::string& name, const json& m, int status = 200) {
  Response res = web.page(name, m, status);
  res.headers.emplace_back("Cache-Control", "no-store");
  res.headers.emplace_back("Content-Security-Policy", kSurveyPolicy);
  return res;
}

}  // namespace

void Survey::add_routes(Router& router) {
  route(router, "GET", "/s/{token}", this, &Survey::form);
  route(router, "POST", "/s/{token}", this, &Survey::submit);
  route(router, "GET", "/s/{token}/thanks", this, &Survey::thanks);
}

Response Survey::form(Request& r) {
  if (auto busy = web_.survey_rate_limited(r, Context::SurveyStep::ShowForm))
    return std::move(*busy);
  const auto target = find_survey(rounds_, r.params.at("token"));
  if (auto closed = closed_survey(web_, target, false)) return std::move(*closed);
  const Edition& e = web_.edition_of(target.round);
  std::string token = r.cookie(kCsrfCookie).value_or("");
  std::string set_cookie;
  if (token.empty()) {
    token = random_token(16);
    set_cookie = std::string(kCsrfCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
  }
  const auto agency = web_.store.agency(target.round.agency_id);
  json m = survey_model(web_, target, e, r.params.at("token"), agency ? agency->name : "");
  m["csrf"] = token;
  m["form_token"] = service::issue_form_token(web_.store, target.round.id, now_seconds());
  m["sections"] = sections_json(e, target.tool, {}, {});
  Response res = survey_page(web_, "survey", m);
  if (!set_cookie.empty()) res.headers.emplace_back("Set-Cookie", set_cookie);
  return res;
}

Response Survey::submit(Request& r) {
  using Refusal = store::SubmitOutcome::Refusal;
  const auto wait = web_.survey_wait(r, Context::SurveyStep::Send);
  const std::string link = r.params.at("token");
  const auto target = find_survey(rounds_, link);
  if (auto closed = closed_survey(web_, target, true)) return std::move(*closed);
  const Edition& e = web_.edition_of(target.round);
  auto form = r.form();
  if (!web_.csrf_ok(r, Caller{}, form))
    throw HttpError(403, "แบบฟอร์มหมดอายุ กรุณาเปิดลิงก์แบบวัดใหม่ (คำตอบยังไม่ถูกบันทึก)");
  std::optional<std::string> code;
  if (auto it = form.find("access_code"); it != form.end()) code = it->second;
  // The form's one-time value; a form without a usable one comes back with a fresh one.
  std::string form_token = field(form, "form_token");
  const auto form_hash = service::form_token_hash(form_token, now_seconds());
  // (Not while the client must wait: a flood would write one value per request.)
  if (!form_hash && wait.count() == 0)
    form_token = service::issue_form_token(web_.store, target.round.id, now_seconds());
  const auto agency = web_.store.agency(target.round.agency_id);
  json model = survey_model(web_, target, e, link, agency ? agency->name : "");
  model["csrf"] = form.at("csrf");
  model["form_token"] = form_token;
  model["access_code"] = code.value_or("");
  for (const char* key : {"csrf", "access_code", "form_token"}) form.erase(key);
  // The questionnaire again, with what was given and what is wrong (also after the writer).
  auto form_page = [this, &e, tool = target.tool, model, form](
                       int status, const std::vector<AnswerProblem>& problems,
                       const std::string& error) {
    json m = model;
    m["sections"] = sections_json(e, tool, form, problems);
    json check = check_json(e, tool, form, problems);
    if (!error.empty()) check["messages"].push_back(error);
    if (has_problems(check)) m["check"] = check;
    return survey_page(web_, "survey", m, status);
  };
  if (wait.count() > 0) {
    // The answers come back with the form, so waiting costs the respondent nothing but time.
    Response res = form_page(429, {},
                             "มีการส่งแบบวัดจากเครือข่ายของท่านถี่เกินกว่าที่ระบบรับได้ในขณะนี้ "
                             "คำตอบยังไม่ถูกบันทึก กรุณารอประมาณ " +
                                 std::to_string(wait.count()) + " วินาทีแล้วกดส่งอีกครั้ง");
    res.headers.emplace_back("Retry-After", std::to_string(wait.count()));
    return res;
  }
  if (!form_hash)
    return form_page(409, {}, "แบบฟอร์มนี้เปิดค้างไว้นานเกินไป คำตอบยังไม่ถูกบันทึก กรุณาตรวจคำตอบแล้วกดส่งอีกครั้ง");
  std::optional<store::NewResponse> response;
  try {
    response = service::accept_response(e, target.round, target.tool, form, code);
  } catch (const service::BadAnswers& err) {
    return form_page(422, err.problems(), "");
  } catch (const service::Error& err) {  // a closed round, a missing access code
    return form_page(422, {}, err.what());
  }
  response->form_token_hash = *form_hash;
  // Stored, or stored before (a second click, a resent form): the thank-you page by its own URL,
  // sent only once the writer has committed the response.
  const std::string thanks = "/s/" + link + "/thanks";
  return reply_after_commit(
      writer_, std::move(*response), see_other(thanks),
      [form_page, thanks](const store::SubmitOutcome& o) {
        if (o.refusal == Refusal::FormAlreadySent) return see_other(thanks);
        return form_page(o.refusal == Refusal::CapReached ? 409 : 422, {}, refusal_th(o.refusal));
      },
      [form_page](const store::SubmitOutcome&) {
        return form_page(503, {}, "ระบบบันทึกคำตอบไม่สำเร็จ คำตอบยังไม่ถูกบันทึก กรุณากดส่งอีกครั้ง");
      });
}

Response Survey::thanks(Request& r) {
  const auto target = find_survey(rounds_, r.params.at("token"));
  json m = web_.page_model(Caller{}, "ขอบคุณที่ตอบแบบสำรวจ");
  m["public"] = true;
  m["tool"] = tool_code(target.tool);
  const auto agency = web_.store.agency(target.round.agency_id);
  m["agency"] = {{"name", agency ? agency->name : ""}};
  m["fiscal_year"] = web_.edition_of(target.round).fiscal_year;
  m["date"] = format_thai_date(service::thai_today());
  m["token"] = r.params.at("token");  // the script forgets the answers it kept for this link
  return survey_page(web_, "receipt", m);
}

}  // namespace ita::web
