// The web application over HTTP on loopback, against SQLite and a real PostgreSQL.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "core/scoring.hpp"
#include "io/edition_registry.hpp"
#include "io/result_json.hpp"
#include "store/store.hpp"
#include "support/http_client.hpp"
#include "support/synthetic.hpp"
#include "web/app.hpp"
#include "web/app_fixture.hpp"
#include "web/auth.hpp"
#include "web/server.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::http;
using testing::HttpResponse;

constexpr const char* kProbeAgent = "AnonymityProbe/7.3 (unique-ua-4711)";

class WebApp : public testing::AppFixture {
 protected:
  std::string user_token(const std::string& email, store::Role role,
                         std::optional<std::int64_t> agency) {
    return token_for(add_user(email, role, agency));
  }

  // Every API call carries a distinctive user agent, which must never reach the database.
  HttpResponse api(const std::string& method, const std::string& target, const json& body,
                   const std::string& token) {
    return AppFixture::api(method, target, body, token, {{"User-Agent", kProbeAgent}});
  }

  // An agency and a round on `edition`, with officer and assessor tokens.
  struct Setup {
    std::int64_t agency = 0;
    std::int64_t round = 0;
    std::string officer, assessor, viewer;
    json round_json;
  };
  Setup setup(const std::string& edition = "2564", bool codes = false) {
    Setup s;
    auto a =
        api("POST", "/api/v1/agencies",
            {{"name", "เทศบาลตำบลทดสอบ <b>&</b>"}, {"province", "เชียงราย"}, {"type", "เทศบาลตำบล"}},
            admin_);
    EXPECT_EQ(a.status, 201) << a.body;
    s.agency = json::parse(a.body)["id"];
    s.officer = user_token("officer@test", store::Role::Officer, s.agency);
    s.assessor = user_token("assessor@test", store::Role::Assessor, std::nullopt);
    s.viewer = user_token("viewer@test", store::Role::Viewer, s.agency);
    auto r = api("POST", "/api/v1/rounds",
                 {{"agency_id", s.agency},
                  {"edition", edition},
                  {"staff_count", 30},
                  {"service_users", 400},
                  {"access_codes", codes}},
                 s.officer);
    EXPECT_EQ(r.status, 201) << r.body;
    s.round_json = json::parse(r.body);
    s.round = s.round_json["id"];
    return s;
  }

  std::map<std::string, int> counts(std::int64_t round) {
    std::map<std::string, int> out;
    for (const auto& [k, v] : store_->response_counts(round)) {
      if (v != 0) out[std::string(tool_code(k))] = v;
    }
    return out;
  }
};

// Respondent answers of a synthetic agency, grouped per respondent.
std::map<std::string, std::pair<std::string, json>> by_respondent(
    const testing::SyntheticAgency& a) {
  std::map<std::string, std::pair<std::string, json>> out;
  for (const auto& row : a.rows) {
    if (row.tool == "OIT") continue;
    auto& slot = out[row.respondent];
    slot.first = row.tool;
    slot.second[row.item] = row.answer;
  }
  return out;
}

TEST_P(WebApp, FullRoundOverHttpEqualsItaScore) {
  const Setup s = setup();
  const auto agency = testing::make_agency(testing::edition_path("2564"), 99, 14, 22);
  for (const auto& [rid, answers] : by_respondent(agency)) {
    const std::string tool = answers.first == "IIT" ? "iit" : "eit";
    const auto r = api("POST", s.round_json["api"][tool].get<std::string>(),
                       {{"answers", answers.second}}, "");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  EXPECT_EQ(counts(s.round), (std::map<std::string, int>{{"EIT", 22}, {"IIT", 14}}));

  // The result is not computable before OIT is judged.
  auto early =
      api("GET", "/api/v1/rounds/" + std::to_string(s.round) + "/result", nullptr, s.viewer);
  EXPECT_EQ(early.status, 409);
  EXPECT_NE(early.body.find("O1"), std::string::npos);

  const std::string base = "/api/v1/rounds/" + std::to_string(s.round) + "/oit/";
  std::map<std::string, bool> final_verdicts;
  for (const auto& row : agency.rows) {
    if (row.tool != "OIT") continue;
    auto put =
        api("PUT", base + row.item,
            {{"url", "https://agency.example/ita/" + row.item}, {"note", "หน้า ITA"}}, s.officer);
    ASSERT_EQ(put.status, 200) << put.body;
    const bool pass = row.answer == "pass";
    auto rev =
        api("POST", base + row.item + "/review",
            {{"verdict", pass ? "pass" : "fail"}, {"comment", pass ? "" : "ไม่ครบ"}}, s.assessor);
    ASSERT_EQ(rev.status, 200) << rev.body;
    final_verdicts[row.item] = pass;
  }
  // One failed item is appealed and confirmed as a pass.
  const auto failed = std::find_if(final_verdicts.begin(), final_verdicts.end(),
                                   [](const auto& kv) { return !kv.second; });
  ASSERT_NE(failed, final_verdicts.end());
  EXPECT_EQ(api("POST", base + failed->first + "/appeal", {{"explanation", "ข้อมูลอยู่ในหน้าเดิมแล้ว"}},
                s.officer)
                .status,
            200);
  EXPECT_EQ(
      api("POST", base + failed->first + "/appeal", {{"explanation", "อีกครั้ง"}}, s.officer).status,
      422);  // once only
  EXPECT_EQ(
      api("PUT", base + failed->first, {{"url", "https://agency.example/new"}}, s.officer).status,
      422);  // URL frozen
  EXPECT_EQ(
      api("POST", base + failed->first + "/confirm", {{"verdict", "pass"}}, s.assessor).status,
      200);
  final_verdicts[failed->first] = true;

  const auto res =
      api("GET", "/api/v1/rounds/" + std::to_string(s.round) + "/result", nullptr, s.viewer);
  ASSERT_EQ(res.status, 200) << res.body;
  const json got = json::parse(res.body);

  // ita score on the same data: the answers as CSV plus the final verdicts.
  const Edition& e = editions_.get("2564");
  AnswerTally tally(e);
  for (const auto& row : agency.rows) {
    if (row.tool != "OIT") tally.add(*parse_tool(row.tool), row.respondent, row.item, row.answer);
  }
  for (const auto& [item, pass] : final_verdicts) tally.add_oit(item, pass);
  const json want = io::result_json(e, score(e, tally));
  EXPECT_EQ(got["total"], want["total"]);
  EXPECT_NEAR(got["total_exact"].get<double>(), want["total_exact"].get<double>(), 1e-9);
  EXPECT_EQ(got["level"], want["level"]);
  ASSERT_EQ(got["tools"].size(), want["tools"].size());
  for (std::size_t i = 0; i < want["tools"].size(); ++i) {
    EXPECT_EQ(got["tools"][i]["id"], want["tools"][i]["id"]);
    EXPECT_EQ(got["tools"][i]["score"], want["tools"][i]["score"]);
    EXPECT_NEAR(got["tools"][i]["score_exact"].get<double>(),
                want["tools"][i]["score_exact"].get<double>(), 1e-9);
  }
  for (std::size_t i = 0; i < want["indicators"].size(); ++i) {
    EXPECT_NEAR(got["indicators"][i]["score_exact"].get<double>(),
                want["indicators"][i]["score_exact"].get<double>(), 1e-9);
    EXPECT_EQ(got["indicators"][i]["rank"], want["indicators"][i]["rank"]);
  }
  EXPECT_EQ(got["respondents"], want["respondents"]);
  EXPECT_EQ(got["agency"]["name"], "เทศบาลตำบลทดสอบ <b>&</b>");
}

TEST_P(WebApp, BadSubmissionsAre4xxAndStoreNothing) {
  const Setup s = setup();
  const std::string url = s.round_json["api"]["iit"];
  const auto agency = testing::make_agency(testing::edition_path("2564"), 3, 1, 0);
  json good = by_respondent(agency).begin()->second.second;

  json missing = good;
  missing.erase("I1.1");
  auto r = api("POST", url, {{"answers", missing}}, "");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("I1.1"), std::string::npos) << r.body;

  json unknown = good;
  unknown["I99.9"] = "1";
  EXPECT_EQ(api("POST", url, {{"answers", unknown}}, "").status, 422);
  json bad_option = good;
  bad_option["I1.1"] = "7";
  EXPECT_EQ(api("POST", url, {{"answers", bad_option}}, "").status, 422);
  json other_edition = good;
  other_edition.erase("I2");
  other_edition["I2-1"] = "4";  // a 2566 code
  EXPECT_EQ(api("POST", url, {{"answers", other_edition}}, "").status, 422);
  EXPECT_EQ(api("POST", url, {{"answers", good}, {"extra", 1}}, "").status, 422);
  EXPECT_EQ(
      http(port_, "POST", url, "{\"answers\": {", {{"Content-Type", "application/json"}}).status,
      400);
  EXPECT_EQ(
      http(port_, "POST", url, std::string(200 * 1024, 'x'), {{"Content-Type", "application/json"}})
          .status,
      413);
  EXPECT_EQ(api("POST", "/api/v1/s/0123456789abcdef/responses", {{"answers", good}}, "").status,
            404);
  EXPECT_EQ(
      api("POST", "/api/v1/rounds/999999/responses/iit", {{"answers", good}}, s.officer).status,
      404);
  EXPECT_EQ(api("POST", "/api/v1/rounds/" + std::to_string(s.round) + "/responses/oit",
                {{"answers", good}}, s.officer)
                .status,
            404);
  EXPECT_EQ(
      api("POST", s.round_json["api"]["eit"].get<std::string>(), {{"answers", good}}, "").status,
      422);
  EXPECT_TRUE(counts(s.round).empty());

  EXPECT_EQ(api("POST", url, {{"answers", good}}, "").status, 201);
  EXPECT_EQ(counts(s.round), (std::map<std::string, int>{{"IIT", 1}}));
}

TEST_P(WebApp, RolesAreEnforced) {
  const Setup s = setup();
  const std::string base = "/api/v1/rounds/" + std::to_string(s.round) + "/oit/O1";
  EXPECT_EQ(api("POST", "/api/v1/agencies", {{"name", "x"}}, "").status, 401);
  EXPECT_EQ(api("POST", "/api/v1/agencies", {{"name", "x"}}, "not-a-token").status, 401);
  EXPECT_EQ(api("POST", "/api/v1/agencies", {{"name", "x"}}, s.officer).status, 403);
  EXPECT_EQ(api("PUT", base, {{"url", "https://a.example/x"}}, s.viewer).status, 403);
  EXPECT_EQ(api("PUT", base, {{"url", "https://a.example/x"}}, s.assessor).status, 403);
  EXPECT_EQ(api("PUT", base, {{"url", "https://a.example/x"}}, s.officer).status, 200);
  EXPECT_EQ(api("POST", base + "/review", {{"verdict", "pass"}}, s.officer).status, 403);
  EXPECT_EQ(api("POST", base + "/review", {{"verdict", "maybe"}}, s.assessor).status, 422);
  EXPECT_EQ(api("PUT", "/api/v1/rounds/" + std::to_string(s.round) + "/oit/O99",
                {{"url", "https://a.example/x"}}, s.officer)
                .status,
            404);
  EXPECT_EQ(api("PUT", "/api/v1/rounds/" + std::to_string(s.round) + "/oit/O2",
                {{"url", "javascript:alert(1)"}}, s.officer)
                .status,
            422);
  // An officer of another agency sees nothing of this round.
  auto other = api("POST", "/api/v1/agencies", {{"name", "อื่น"}}, admin_);
  const std::string stranger = user_token("stranger@test", store::Role::Officer,
                                          json::parse(other.body)["id"].get<std::int64_t>());
  EXPECT_EQ(api("GET", "/api/v1/rounds/" + std::to_string(s.round), nullptr, stranger).status, 404);
  EXPECT_EQ(
      api("POST", "/api/v1/rounds",
          {{"agency_id", s.agency}, {"edition", "2564"}, {"staff_count", 3}, {"service_users", 3}},
          stranger)
          .status,
      403);
  EXPECT_EQ(
      api("POST", "/api/v1/rounds",
          {{"agency_id", s.agency}, {"edition", "2599"}, {"staff_count", 3}, {"service_users", 3}},
          s.officer)
          .status,
      422);
}

TEST_P(WebApp, PagesLoginCsrfAndTheSurveyInABrowserWay) {
  const Setup s = setup();
  // Login with CSRF (double-submit cookie on the login form).
  auto form = http(port_, "GET", "/login");
  ASSERT_EQ(form.status, 200);
  const std::string csrf_cookie = testing::cookie_from(form, "ita_csrf");
  ASSERT_FALSE(csrf_cookie.empty());
  const std::string csrf = csrf_cookie.substr(csrf_cookie.find('=') + 1);
  EXPECT_NE(form.body.find(csrf), std::string::npos);
  const std::map<std::string, std::string> form_headers = {
      {"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", csrf_cookie}};
  EXPECT_EQ(http(port_, "POST", "/login", "email=officer%40test&password=password-officer%40test",
                 form_headers)
                .status,
            403);
  auto bad = http(port_, "POST", "/login", "csrf=" + csrf + "&email=officer%40test&password=wrong",
                  form_headers);
  EXPECT_EQ(bad.status, 303);
  auto ok =
      http(port_, "POST", "/login",
           "csrf=" + csrf + "&email=officer%40test&password=password-officer%40test", form_headers);
  ASSERT_EQ(ok.status, 303);
  const std::string session = testing::cookie_from(ok, "ita_session");
  ASSERT_FALSE(session.empty());
  EXPECT_NE(ok.headers["set-cookie"].find("HttpOnly"), std::string::npos);
  EXPECT_NE(ok.headers["set-cookie"].find("SameSite=Lax"), std::string::npos);

  auto home = http(port_, "GET", "/", "", {{"Cookie", session}});
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("เทศบาลตำบลทดสอบ &lt;b&gt;&amp;&lt;/b&gt;"),
            std::string::npos);  // escaped
  EXPECT_EQ(home.body.find("<b>&</b>"), std::string::npos);
  auto round = http(port_, "GET", "/rounds/" + std::to_string(s.round), "", {{"Cookie", session}});
  ASSERT_EQ(round.status, 200);
  EXPECT_NE(round.body.find("<svg"), std::string::npos);  // QR codes
  EXPECT_EQ(http(port_, "GET", "/rounds/" + std::to_string(s.round) + "/qr/iit.png", "",
                 {{"Cookie", session}})
                .body.substr(1, 3),
            "PNG");

  // The public IIT survey: a form with every answer unit, CSRF-protected, and on success a
  // redirect to its thank-you page.
  const std::string link = s.round_json["links"]["iit"];
  const std::string path = link.substr(link.find("/s/"));
  auto survey = http(port_, "GET", path);
  ASSERT_EQ(survey.status, 200);
  EXPECT_NE(survey.body.find("name=\"I30.4\""), std::string::npos);
  const std::string scookie = testing::cookie_from(survey, "ita_csrf");
  const std::string stoken = scookie.substr(scookie.find('=') + 1);
  const std::string value_key = "name=\"form_token\" value=\"";
  const auto value_at = survey.body.find(value_key) + value_key.size();
  const std::string form_token =
      survey.body.substr(value_at, survey.body.find('"', value_at) - value_at);
  std::string body = "csrf=" + stoken + "&form_token=" + url_encode(form_token);
  for (const auto& item : editions_.get("2564").iit.items) {
    for (const auto& sub : item.sub_items)
      body += "&" + url_encode(sub.code) + "=" + (sub.scale == "yes_no" ? "N" : "4");
  }
  const std::map<std::string, std::string> sh = {
      {"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", scookie}};
  EXPECT_EQ(http(port_, "POST", path, body.substr(body.find('&')), sh).status, 403);  // no csrf
  auto partial = http(port_, "POST", path, body.substr(0, body.rfind('&')), sh);
  EXPECT_EQ(partial.status, 422);
  EXPECT_NE(partial.body.find("checked"), std::string::npos);  // answers kept
  auto done = http(port_, "POST", path, body, sh);
  EXPECT_EQ(done.status, 303) << done.body.substr(0, 400);
  EXPECT_EQ(done.headers["location"], path + "/thanks");
  EXPECT_NE(http(port_, "GET", path + "/thanks").body.find("ขอบคุณที่ตอบแบบสำรวจ"), std::string::npos);
  EXPECT_EQ(counts(s.round), (std::map<std::string, int>{{"IIT", 1}}));
}

TEST_P(WebApp, LoginIsRateLimitedAndAdministrativeChangesAreAudited) {
  const Setup s = setup();
  auto form = http(port_, "GET", "/login");
  const std::string cookie = testing::cookie_from(form, "ita_csrf");
  const std::string csrf = cookie.substr(cookie.find('=') + 1);
  const std::map<std::string, std::string> h = {
      {"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(http(port_, "POST", "/login",
                   "csrf=" + csrf + "&email=admin%40test&password=wrong" + std::to_string(i), h)
                  .status,
              303);
  }
  // The sixth try is refused even with the right password.
  EXPECT_EQ(http(port_, "POST", "/login",
                 "csrf=" + csrf + "&email=admin%40test&password=password-admin%40test", h)
                .status,
            429);

  std::set<std::string> actions;
  for (const auto& e : store_->audit_log(100)) actions.insert(e.action);
  for (const char* a : {"agency.create", "round.create", "user.create", "api_token.create"}) {
    EXPECT_TRUE(actions.contains(a)) << a;
  }
}

TEST_P(WebApp, AccessCodesAreSingleUse) {
  const Setup s = setup("2564", true);
  std::vector<std::string> codes = {random_token(5), random_token(5)};
  store_->add_access_codes(s.round, {sha256_hex(codes[0]), sha256_hex(codes[1])}, 1);
  const std::string url = s.round_json["api"]["iit"];
  const json answers = by_respondent(testing::make_agency(testing::edition_path("2564"), 8, 1, 0))
                           .begin()
                           ->second.second;
  EXPECT_EQ(api("POST", url, {{"answers", answers}}, "").status, 422);  // code required
  EXPECT_EQ(api("POST", url, {{"answers", answers}, {"access_code", "nope"}}, "").status,
            409);  // unknown
  EXPECT_EQ(api("POST", url, {{"answers", answers}, {"access_code", codes[0]}}, "").status, 201);
  EXPECT_EQ(api("POST", url, {{"answers", answers}, {"access_code", codes[0]}}, "").status,
            409);  // used
  EXPECT_EQ(counts(s.round), (std::map<std::string, int>{{"IIT", 1}}));
  EXPECT_EQ(store_->access_code_counts(s.round), (std::pair<int, int>{2, 1}));
}

INSTANTIATE_TEST_SUITE_P(Backends, WebApp, ::testing::Values("sqlite", "postgres"));

// All bytes of the SQLite database (main file and WAL).
std::string database_bytes(const std::string& path) {
  std::string all;
  for (const auto& p : {path, path + "-wal"}) {
    std::ifstream in(p, std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), {});
  }
  return all;
}

std::set<std::string> columns(sqlite3* db, const std::string& table) {
  std::set<std::string> out;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, ("PRAGMA table_info(" + table + ")").c_str(), -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW)
    out.emplace(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
  sqlite3_finalize(st);
  return out;
}

class WebSqlite : public WebApp {};

TEST_P(WebSqlite, AnonymityOfStoredRows) {
  const Setup s = setup("2564", true);
  const std::string code = random_token(5);
  store_->add_access_codes(s.round, {sha256_hex(code)}, 1);
  const json answers = by_respondent(testing::make_agency(testing::edition_path("2564"), 12, 1, 0))
                           .begin()
                           ->second.second;
  const auto r = api("POST", "/api/v1/rounds/" + std::to_string(s.round) + "/responses/iit",
                     {{"answers", answers}, {"access_code", code}},
                     s.officer);  // even an authenticated caller leaves no trace
  ASSERT_EQ(r.status, 201) << r.body;

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_.sqlite_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  EXPECT_EQ(columns(db, "responses"),
            (std::set<std::string>{"slot", "round_id", "id", "tool", "day", "layout", "answers"}));
  EXPECT_EQ(columns(db, "access_codes"), (std::set<std::string>{"round_id", "code_hash", "used"}));
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT id, day FROM responses", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  const std::string id = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  const std::string day = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_EQ(id.size(), 32u);          // 128 random bits, not a counter
  EXPECT_EQ(day.size(), 10u) << day;  // YYYY-MM-DD: no time of day

  // Nothing that identifies the respondent is anywhere in the database files.
  const std::string bytes = database_bytes(db_.sqlite_path);
  EXPECT_EQ(bytes.find(kProbeAgent), std::string::npos);
  EXPECT_EQ(bytes.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(bytes.find(code), std::string::npos);
  EXPECT_EQ(bytes.find(s.officer), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebSqlite, ::testing::Values("sqlite"));

}  // namespace
}  // namespace ita::web
