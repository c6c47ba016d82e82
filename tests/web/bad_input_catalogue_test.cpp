// The bad-input catalogue of the API: each row is a malformed request, the exact status and
// the message it must get, and afterwards nothing stored may have changed (row counts of
// agencies, rounds, responses, OIT work, plans, progress reports and the audit log).
#include <string>
#include <vector>

#include "support/synthetic.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using testing::AppFixture;
using testing::json;

enum class Who { Nobody, Admin, Officer, Assessor, Viewer };

struct BadRequest {
  const char* name;
  const char* method;
  std::string target;  // "{round}" is replaced by the round's id
  std::string body;
  Who who;
  int status;
  std::string message;  // the error message, exactly
  const char* content_type = "application/json";
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

// One complete, valid IIT response of edition 2564 as JSON text, with `change` applied.
std::string iit_body(const std::function<void(json&)>& change = [](json&) {}) {
  json answers;
  for (const auto& row : testing::make_agency(testing::edition_path("2564"), 11, 1, 0).rows) {
    if (row.tool == "IIT") answers[row.item] = row.answer;
  }
  json body = {{"answers", answers}};
  change(body);
  return body.dump();
}

std::vector<BadRequest> catalogue() {
  const std::string responses = "/api/v1/s/{iit}/responses";  // the survey link's route
  const std::string oit = "/api/v1/rounds/{round}/oit/O1";
  const std::string measures = "/api/v1/rounds/{round}/measures";
  const std::string good_plan =
      R"({"format":"ita-measures/1","fiscal_year":2565,"measures":[{"id":"m","title_th":"t"}]})";
  return {
      // Survey responses (public).
      {"empty body", "POST", responses, "", Who::Nobody, 400,
       "malformed JSON: [json.exception.parse_error.101] parse error at line 1, column 1: syntax "
       "error while parsing value - unexpected end of input; expected '[', '{', or a literal"},
      {"truncated JSON", "POST", responses, R"({"answers":{"I1.1":"4")", Who::Nobody, 400,
       "malformed JSON: [json.exception.parse_error.101] parse error at line 1, column 23: syntax "
       "error while parsing object - unexpected end of input; expected '}'"},
      {"not an object", "POST", responses, "[1,2,3]", Who::Nobody, 400,
       "the request body must be a JSON object"},
      {"answers not an object", "POST", responses, R"({"answers":"4444"})", Who::Nobody, 422,
       "field \"answers\" must be an object of answer codes"},
      {"answers missing", "POST", responses, "{}", Who::Nobody, 422,
       "field \"answers\" must be an object of answer codes"},
      {"one answer missing", "POST", responses,
       iit_body([](json& b) { b["answers"].erase("I1.1"); }), Who::Nobody, 422, "ยังไม่ได้ตอบข้อ I1.1"},
      {"answer not in the scale", "POST", responses,
       iit_body([](json& b) { b["answers"]["I1.1"] = "9"; }), Who::Nobody, 422,
       "คำตอบ \"9\" ของข้อ I1.1 ไม่อยู่ในตัวเลือก"},
      {"answer as a number", "POST", responses, iit_body([](json& b) { b["answers"]["I1.1"] = 4; }),
       Who::Nobody, 422, "answer \"I1.1\" must be a string option code"},
      {"answer null", "POST", responses, iit_body([](json& b) { b["answers"]["I1.1"] = nullptr; }),
       Who::Nobody, 422, "answer \"I1.1\" must be a string option code"},
      {"unknown item", "POST", responses, iit_body([](json& b) { b["answers"]["I99.1"] = "4"; }),
       Who::Nobody, 422, "ไม่มีข้อ I99.1 ในแบบสอบถาม IIT ชุดนี้"},
      {"an EIT item in the IIT", "POST", responses,
       iit_body([](json& b) { b["answers"]["E1.1"] = "4"; }), Who::Nobody, 422,
       "ไม่มีข้อ E1.1 ในแบบสอบถาม IIT ชุดนี้"},
      {"answers of edition 2566", "POST", responses, R"({"answers":{"I1":"5","I2":"5"}})",
       Who::Nobody, 422,
       "ยังไม่ได้ตอบข้อ I1.1; ยังไม่ได้ตอบข้อ I1.2; คำตอบ \"5\" ของข้อ I2 ไม่อยู่ในตัวเลือก; ยังไม่ได้ตอบข้อ I3.1; "
       "ยังไม่ได้ตอบข้อ I3.2; ยังไม่ได้ตอบข้อ I3.3; ยังไม่ได้ตอบข้อ I4.1; ยังไม่ได้ตอบข้อ I4.2; ยังไม่ได้ตอบข้อ I4.3; "
       "ยังไม่ได้ตอบข้อ I5.1; และอีก 42 ข้อ"},
      {"Thai digit answer", "POST", responses,
       iit_body([](json& b) { b["answers"]["I1.1"] = "๔"; }), Who::Nobody, 422,
       "คำตอบ \"๔\" ของข้อ I1.1 ไม่อยู่ในตัวเลือก"},
      {"answer with a zero-width space", "POST", responses,
       iit_body([](json& b) { b["answers"]["I1.1"] = "4\u200b"; }), Who::Nobody, 422,
       "คำตอบ \"4\u200b\" ของข้อ I1.1 ไม่อยู่ในตัวเลือก"},
      {"a Thai mark alone as item", "POST", responses,
       iit_body([](json& b) { b["answers"]["\u0e49"] = "4"; }), Who::Nobody, 422,
       "ไม่มีข้อ ้ ในแบบสอบถาม IIT ชุดนี้"},
      {"invalid UTF-8", "POST", responses, "{\"answers\":{\"I1.1\":\"\xff\xfe\"}}", Who::Nobody,
       400,
       "malformed JSON: [json.exception.parse_error.101] parse error at line 1, column 21: syntax "
       "error while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"\ufffd'"},
      {"number overflow", "POST", responses, R"({"answers":{"I1.1":1e99999}})", Who::Nobody, 400,
       "malformed JSON: [json.exception.out_of_range.406] number overflow parsing '1e99999'"},
      {"duplicate key, bad last", "POST", responses,
       replace_all(iit_body(), R"("I1.1":)", R"("I1.1":"9","I1.1":)"), Who::Nobody, 400,
       "malformed JSON: the key \"I1.1\" is given twice in one object"},
      {"oversized body", "POST", responses, std::string(70 * 1024, ' ') + "{}", Who::Nobody, 413,
       "request body too large"},
      {"access code where none is used", "POST", responses,
       iit_body([](json& b) { b["access_code"] = 12345; }), Who::Nobody, 422,
       "field \"access_code\" must be a string"},
      {"unknown survey link", "POST", "/api/v1/s/0123456789abcdef/responses", iit_body(),
       Who::Nobody, 404, "unknown survey link (ไม่พบแบบวัดนี้ ลิงก์อาจไม่ถูกต้อง)"},
      // Survey responses by round id: only for the round's officers and administrators.
      {"by round id without a token", "POST", "/api/v1/rounds/{round}/responses/iit", iit_body(),
       Who::Nobody, 401, "authentication required: send a bearer token"},
      {"unknown tool", "POST", "/api/v1/rounds/{round}/responses/oit", iit_body(), Who::Officer,
       404, "unknown survey \"oit\"; expected iit or eit"},
      {"unknown round", "POST", "/api/v1/rounds/999999/responses/iit", iit_body(), Who::Officer,
       404, "unknown round"},
      {"round id not a number", "POST", "/api/v1/rounds/abc/responses/iit", iit_body(),
       Who::Officer, 404, "unknown round \"abc\""},
      {"round id with SQL", "POST", "/api/v1/rounds/1%20OR%201=1/responses/iit", iit_body(),
       Who::Officer, 404, "unknown round \"1 OR 1=1\""},
      {"Thai digits as round id", "POST", "/api/v1/rounds/%E0%B9%91/responses/iit", iit_body(),
       Who::Officer, 404, "unknown round \"๑\""},
      {"form body to the JSON API", "POST", responses, "I1.1=4", Who::Nobody, 400,
       "malformed JSON: [json.exception.parse_error.101] parse error at line 1, column 1: syntax "
       "error while parsing value - invalid literal; last read: 'I'",
       "application/x-www-form-urlencoded"},
      // Agencies and rounds.
      {"agency without a token", "POST", "/api/v1/agencies", R"({"name":"x"})", Who::Nobody, 401,
       "authentication required: send a bearer token"},
      {"agency by an officer", "POST", "/api/v1/agencies", R"({"name":"x"})", Who::Officer, 403,
       "only an administrator can create agencies"},
      {"agency name missing", "POST", "/api/v1/agencies", R"({"province":"น่าน"})", Who::Admin, 422,
       "missing field \"name\""},
      {"agency name not a string", "POST", "/api/v1/agencies", R"({"name":42})", Who::Admin, 422,
       "field \"name\" must be a string"},
      {"agency name empty", "POST", "/api/v1/agencies", R"({"name":""})", Who::Admin, 422,
       "field \"name\" must not be empty"},
      {"agency name only spaces", "POST", "/api/v1/agencies", R"({"name":"   "})", Who::Admin, 422,
       "field \"name\" must not be empty"},
      {"round of an unknown edition", "POST", "/api/v1/rounds",
       R"({"agency_id":1,"edition":"2599","staff_count":3,"service_users":3})", Who::Admin, 422,
       "ไม่รู้จักชุดเกณฑ์ \"2599\""},
      {"round with negative staff", "POST", "/api/v1/rounds",
       R"({"agency_id":1,"edition":"2564","staff_count":-3,"service_users":3})", Who::Admin, 422,
       "จำนวนบุคลากรต้องเป็นจำนวนเต็มตั้งแต่ 1"},
      {"round with staff as text", "POST", "/api/v1/rounds",
       R"({"agency_id":1,"edition":"2564","staff_count":"สามสิบ","service_users":3})", Who::Admin,
       422, "field \"staff_count\" must be an integer"},
      {"round with a fractional count", "POST", "/api/v1/rounds",
       R"({"agency_id":1,"edition":"2564","staff_count":3.5,"service_users":3})", Who::Admin, 422,
       "field \"staff_count\" must be an integer"},
      {"round of an unknown agency", "POST", "/api/v1/rounds",
       R"({"agency_id":999999,"edition":"2564","staff_count":3,"service_users":3})", Who::Admin,
       404, "ไม่พบหน่วยงาน 999999"},
      {"round by a viewer", "POST", "/api/v1/rounds",
       R"({"agency_id":1,"edition":"2564","staff_count":3,"service_users":3})", Who::Viewer, 403,
       "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานหรือผู้ดูแลระบบเท่านั้น"},
      // OIT.
      {"OIT URL missing", "PUT", oit, R"({"note":"x"})", Who::Officer, 422,
       "missing field \"url\""},
      {"OIT javascript URL", "PUT", oit, R"j({"url":"javascript:alert(1)"})j", Who::Officer, 422,
       "expected an http:// or https:// address on the agency's website"},
      {"OIT URL without a host", "PUT", oit, R"({"url":"https://"})", Who::Officer, 422,
       "expected an http:// or https:// address on the agency's website"},
      {"OIT URL with spaces", "PUT", oit, R"({"url":"https://a.example/ x"})", Who::Officer, 422,
       "expected an http:// or https:// address on the agency's website"},
      {"OIT unknown item", "PUT", "/api/v1/rounds/{round}/oit/O99",
       R"({"url":"https://a.example/x"})", Who::Officer, 404, "ไม่มีข้อ OIT \"O99\" ในชุดเกณฑ์ 2564"},
      {"OIT by an assessor", "PUT", oit, R"({"url":"https://a.example/x"})", Who::Assessor, 403,
       "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานเท่านั้น"},
      {"OIT review before evidence", "POST", oit + "/review", R"({"verdict":"pass"})",
       Who::Assessor, 422, "OIT item O1 is draft: only submitted evidence can be reviewed"},
      {"OIT review with a Thai verdict", "POST", oit + "/review", R"({"verdict":"ผ่าน"})",
       Who::Assessor, 422, "verdict ต้องเป็น \"pass\" หรือ \"fail\""},
      {"OIT appeal before review", "POST", oit + "/appeal", R"({"explanation":"x"})", Who::Officer,
       422, "OIT item O1 is draft: an appeal follows a review, once"},
      {"OIT review by an officer", "POST", oit + "/review", R"({"verdict":"pass"})", Who::Officer,
       403, "เฉพาะผู้ประเมินเท่านั้น"},
      {"OIT urls not an array", "PUT", oit, R"({"urls":"https://a.example/1"})", Who::Officer, 422,
       "field \"urls\" must be an array of strings"},
      {"OIT urls repeated", "PUT", oit, R"({"urls":["https://a.example/1","https://a.example/1"]})",
       Who::Officer, 422, "ลิงก์หลักฐานบรรทัดที่ 2 ซ้ำกับบรรทัดที่ 1"},
      {"OIT decline before review", "POST", oit + "/decline", "", Who::Officer, 422,
       "OIT item O1 is draft: declining an appeal follows a review, once"},
      // Measures plans and progress.
      {"plan with a wrong format", "PUT", measures,
       R"({"format":"ita-measures/9","fiscal_year":2565,"measures":[]})", Who::Officer, 422,
       "body: /format: expected \"ita-measures/1\""},
      {"plan with an unknown field", "PUT", measures,
       replace_all(good_plan, R"("title_th":"t")", R"("title_th":"t","owner":"x")"), Who::Officer,
       422,
       "body: /measures/0/owner: unknown field \"owner\"; expected one of: id, title_th, steps_th, "
       "responsible_th, monitoring_th, indicators, due, status"},
      {"plan with a BE date as due", "PUT", measures,
       replace_all(good_plan, R"("title_th":"t")", R"("title_th":"t","due":"2567-03-31")"),
       Who::Officer, 422,
       "/measures/0/due: the due date 2567-03-31 is outside fiscal year 2565 (2021-10-01 to "
       "2022-09-30)"},
      {"plan with an impossible date", "PUT", measures,
       replace_all(good_plan, R"("title_th":"t")", R"("title_th":"t","due":"2024-02-30")"),
       Who::Officer, 422,
       "body: /measures/0/due: expected a date YYYY-MM-DD (Common Era), found \"2024-02-30\""},
      {"plan with a duplicate measure id", "PUT", measures,
       R"({"format":"ita-measures/1","fiscal_year":2565,"measures":[{"id":"m","title_th":"a"},{"id":"m","title_th":"b"}]})",
       Who::Officer, 422, "/measures/1/id: the measure id \"m\" is used twice"},
      {"plan with fiscal year as text", "PUT", measures,
       R"({"format":"ita-measures/1","fiscal_year":"๒๕๖๕","measures":[]})", Who::Officer, 422,
       "body: /fiscal_year: expected a number, found string"},
      {"plan by a viewer", "PUT", measures, good_plan, Who::Viewer, 403,
       "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานหรือผู้ดูแลระบบเท่านั้นที่บันทึกแผนและความก้าวหน้าของมาตรการได้"},
      {"progress without a plan", "POST", measures + "/m/progress",
       R"({"text":"x","status":"done"})", Who::Officer, 404, "รอบการประเมินนี้ยังไม่มีแผนมาตรการ"},
      // Thai and Unicode edge cases: look-alikes of a valid code are not that code.
      {"full-width item code", "POST", responses,
       iit_body([](json& b) { b["answers"]["\uff291.1"] = "4"; }), Who::Nobody, 422,
       "ไม่มีข้อ \uff291.1 ในแบบสอบถาม IIT ชุดนี้"},
      {"combining mark after an item code", "POST", responses,
       iit_body([](json& b) { b["answers"]["I1.1\u0301"] = "4"; }), Who::Nobody, 422,
       "ไม่มีข้อ I1.1\u0301 ในแบบสอบถาม IIT ชุดนี้"},
      {"Thai tone mark on the answer digit", "POST", responses,
       iit_body([](json& b) { b["answers"]["I1.1"] = "4\u0e48"; }), Who::Nobody, 422,
       "คำตอบ \"4\u0e48\" ของข้อ I1.1 ไม่อยู่ในตัวเลือก"},
      {"full-width Y on a yes/no item", "POST", responses,
       iit_body([](json& b) { b["answers"]["I4.1"] = "\uff39"; }), Who::Nobody, 422,
       "คำตอบ \"\uff39\" ของข้อ I4.1 ไม่อยู่ในตัวเลือก"},
      {"lower-case y on a yes/no item", "POST", responses,
       iit_body([](json& b) { b["answers"]["I4.1"] = "y"; }), Who::Nobody, 422,
       "คำตอบ \"y\" ของข้อ I4.1 ไม่อยู่ในตัวเลือก"},
      {"an answer of sara am decomposed", "POST", responses,
       iit_body([](json& b) { b["answers"]["I1.1"] = "\u0e4d\u0e32"; }), Who::Nobody, 422,
       "คำตอบ \"\u0e4d\u0e32\" ของข้อ I1.1 ไม่อยู่ในตัวเลือก"},
      {"an IP address sent with a response", "POST", responses,
       iit_body([](json& b) { b["ip"] = "203.0.113.5"; }), Who::Nobody, 422,
       "unknown field \"ip\""},
      {"answers as an array", "POST", responses, R"({"answers":["4","4"]})", Who::Nobody, 422,
       "field \"answers\" must be an object of answer codes"},
      {"round id zero", "POST", "/api/v1/rounds/0/responses/iit", iit_body(), Who::Officer, 404,
       "unknown round \"0\""},
      {"round id negative", "POST", "/api/v1/rounds/-1/responses/iit", iit_body(), Who::Officer,
       404, "unknown round \"-1\""},
      {"round id beyond 64 bits", "POST", "/api/v1/rounds/99999999999999999999/responses/iit",
       iit_body(), Who::Officer, 404, "unknown round \"99999999999999999999\""},
      {"agency name a zero-width space", "POST", "/api/v1/agencies", R"({"name":"\u200b"})",
       Who::Admin, 422, "field \"name\" must not be empty"},
      {"agency name of no-break spaces and a BOM", "POST", "/api/v1/agencies",
       R"({"name":" \u00a0\ufeff\u3000"})", Who::Admin, 422, "field \"name\" must not be empty"},
      {"agency name with a lone surrogate", "POST", "/api/v1/agencies", R"({"name":"\ud800x"})",
       Who::Admin, 400,
       "malformed JSON: [json.exception.parse_error.101] parse error at line 1, column 16: syntax "
       "error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed by "
       "U+DC00..U+DFFF; last read: '\"\\ud800x'"},
      {"edition in Thai digits", "POST", "/api/v1/rounds",
       R"({"agency_id":1,"edition":"๒๕๖๔","staff_count":3,"service_users":3})", Who::Admin, 422,
       "ไม่รู้จักชุดเกณฑ์ \"๒๕๖๔\""},
      {"edition in full-width digits", "POST", "/api/v1/rounds",
       R"({"agency_id":1,"edition":"\uff12\uff15\uff16\uff14","staff_count":3,"service_users":3})",
       Who::Admin, 422, "ไม่รู้จักชุดเกณฑ์ \"\uff12\uff15\uff16\uff14\""},
      {"staff count NaN", "POST", "/api/v1/rounds",
       R"({"agency_id":1,"edition":"2564","staff_count":NaN,"service_users":3})", Who::Admin, 400,
       "malformed JSON: [json.exception.parse_error.101] parse error at line 1, column 47: syntax "
       "error while parsing value - invalid literal; last read: '\"staff_count\":N'"},
      {"staff count true", "POST", "/api/v1/rounds",
       R"({"agency_id":1,"edition":"2564","staff_count":true,"service_users":3})", Who::Admin, 422,
       "field \"staff_count\" must be an integer"},
      {"staff count huge", "POST", "/api/v1/rounds",
       R"({"agency_id":1,"edition":"2564","staff_count":1000000000000,"service_users":3})",
       Who::Admin, 422, "staff_count or service_users is too large"},
      {"agency id zero", "POST", "/api/v1/rounds",
       R"({"agency_id":0,"edition":"2564","staff_count":3,"service_users":3})", Who::Admin, 404,
       "ไม่พบหน่วยงาน 0"},
      // Forms and URLs: invalid UTF-8 is refused before any handler, Thai digits are not numbers.
      {"invalid UTF-8 in a survey form", "POST", "/s/{iit}", "csrf=k&I1.1=%FF%FE", Who::Nobody, 400,
       "ข้อความที่ส่งมาไม่ใช่ UTF-8 (the request's text must be UTF-8)",
       "application/x-www-form-urlencoded"},
      {"TIS-620 agency name in the form", "POST", "/agencies", "csrf=k&name=%BC%E8%D2%B9",
       Who::Admin, 400, "ข้อความที่ส่งมาไม่ใช่ UTF-8 (the request's text must be UTF-8)",
       "application/x-www-form-urlencoded"},
      {"invalid UTF-8 in the path", "GET", "/api/v1/rounds/%C0%AF", "", Who::Admin, 400,
       "ข้อความที่ส่งมาไม่ใช่ UTF-8 (the request's text must be UTF-8)"},
      {"invalid UTF-8 in the query", "GET", "/api/v1/dashboard?province=%ED%A0%80", "", Who::Admin,
       400, "ข้อความที่ส่งมาไม่ใช่ UTF-8 (the request's text must be UTF-8)"},
      {"survey form without its CSRF token", "POST", "/s/{iit}", "I1.1=4", Who::Nobody, 403,
       "แบบฟอร์มหมดอายุ กรุณาเปิดลิงก์แบบวัดใหม่ (คำตอบยังไม่ถูกบันทึก)", "application/x-www-form-urlencoded"},
      {"unknown survey link", "POST", "/s/0123456789abcdef", "csrf=k&I1.1=4", Who::Nobody, 404,
       "ไม่พบแบบวัดนี้ ลิงก์อาจไม่ถูกต้อง", "application/x-www-form-urlencoded"},
      {"Thai digits in the round form", "POST", "/agencies/{agency}/rounds",
       "csrf=k&edition=2564&staff_count=%E0%B9%93%E0%B9%90&service_users=3", Who::Admin, 422,
       "จำนวนบุคลากรต้องเป็นจำนวนเต็ม", "application/x-www-form-urlencoded"},
      // Other.
      {"method not allowed", "DELETE", "/api/v1/agencies", "", Who::Admin, 405,
       "method DELETE is not allowed here"},
      {"unknown API path", "GET", "/api/v1/nothing", "", Who::Admin, 404,
       "ไม่พบหน้าที่ต้องการ (/api/v1/nothing)"},
      {"dashboard with a bad sort", "GET", "/api/v1/dashboard?sort=%27%3B--", "", Who::Admin,
       404 /* no db_url here */, "ไม่ได้เปิดใช้แดชบอร์ดระดับประเทศ"},
  };
}

class BadInput : public AppFixture {};

TEST_P(BadInput, EveryRowIsRefusedWithItsMessageAndStoresNothing) {
  const auto agency =
      api("POST", "/api/v1/agencies", {{"name", "หน่วยงานทดสอบ"}, {"province", "น่าน"}}, admin_);
  ASSERT_EQ(agency.status, 201);
  const auto agency_id = json::parse(agency.body)["id"].get<std::int64_t>();
  const std::string officer = token_for(add_user("officer@test", store::Role::Officer, agency_id));
  const std::string assessor =
      token_for(add_user("assessor@test", store::Role::Assessor, std::nullopt));
  const std::string viewer = token_for(add_user("viewer@test", store::Role::Viewer, agency_id));
  const auto round = api(
      "POST", "/api/v1/rounds",
      {{"agency_id", agency_id}, {"edition", "2564"}, {"staff_count", 30}, {"service_users", 400}},
      officer);
  ASSERT_EQ(round.status, 201) << round.body;
  const std::string round_id = std::to_string(json::parse(round.body)["id"].get<std::int64_t>());
  const std::string iit_token = store_->round(std::stoll(round_id))->iit_token;
  const auto rows = catalogue();
  ASSERT_GE(rows.size(), 50U);
  auto before = footprint();
  for (const auto& row : rows) {
    std::string token;
    switch (row.who) {
      case Who::Admin:
        token = admin_;
        break;
      case Who::Officer:
        token = officer;
        break;
      case Who::Assessor:
        token = assessor;
        break;
      case Who::Viewer:
        token = viewer;
        break;
      case Who::Nobody:
        break;
    }
    // Form rows carry "csrf=k"; the matching cookie goes with every row.
    std::map<std::string, std::string> h = {{"Content-Type", row.content_type},
                                            {"Accept", "application/json"},
                                            {"Cookie", "ita_csrf=k"}};
    if (!token.empty()) h["Authorization"] = "Bearer " + token;
    std::string target = replace_all(row.target, "{round}", round_id);
    target = replace_all(target, "{iit}", iit_token);
    target = replace_all(target, "{agency}", std::to_string(agency_id));
    const auto res = raw(row.method, target, row.body, h);
    EXPECT_EQ(res.status, row.status) << row.name << ": " << res.body;
    if (res.status >= 400 && res.body.starts_with("{")) {
      const json j = json::parse(res.body, nullptr, false);
      ASSERT_FALSE(j.is_discarded()) << row.name;
      const std::string message = j["error"]["message"].get<std::string>();
      EXPECT_EQ(message, row.message) << row.name;
    } else {
      EXPECT_TRUE(row.message.empty()) << row.name << ": " << res.body.substr(0, 200);
    }
    const auto after = footprint();
    EXPECT_EQ(after, before) << row.name << " changed what is stored";
    before = after;  // so that a failure names only its own row
  }
}

// An integer above 2^63 - 1 is refused as not an integer, not read as a negative number that
// nobody sent ("ไม่พบหน่วยงาน -1"), and nothing is stored.
TEST_P(BadInput, IntegersBeyondSixtyFourBitsAreNamedAsSent) {
  const auto before = footprint();
  const auto r = api("POST", "/api/v1/rounds",
                     json::parse(R"({"agency_id":18446744073709551615,"edition":"2564",)"
                                 R"("staff_count":3,"service_users":3})"),
                     admin_);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(json::parse(r.body)["error"]["message"], "field \"agency_id\" must be an integer");
  EXPECT_EQ(footprint(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, BadInput, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
