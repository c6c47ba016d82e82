// The JSON API's lists and reads (agencies, rounds, OIT state) and its OpenAPI document: who sees
// what, pages, refused queries, and every documented operation answered as the document says,
// checked with a JSON Schema 2020-12 validator (python3-jsonschema) against real replies.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "support/synthetic.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::HttpResponse;

class ApiLists : public testing::AppFixture {
 protected:
  // An agency created by the administrator: its id.
  std::int64_t agency(const std::string& name, const std::string& province = "น่าน") {
    const auto r =
        api("POST", "/api/v1/agencies", {{"name", name}, {"province", province}}, admin_);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body)["id"];
  }
  std::int64_t round(std::int64_t agency_id) {
    const auto r = api("POST", "/api/v1/rounds",
                       {{"agency_id", agency_id},
                        {"edition", "2564"},
                        {"staff_count", 30},
                        {"service_users", 400}},
                       admin_);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body)["id"];
  }
  json get_json(const std::string& target, const std::string& token, int status = 200) {
    const auto r = api("GET", target, nullptr, token);
    EXPECT_EQ(r.status, status) << target << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  static std::vector<std::int64_t> ids(const json& page) {
    std::vector<std::int64_t> out;
    for (const auto& item : page["items"]) out.push_back(item["id"]);
    return out;
  }
};

using Ids = std::vector<std::int64_t>;

TEST_P(ApiLists, EachCallerListsAndReadsWhatThePagesShowIt) {
  const auto a = agency("เทศบาลตำบลเอ"), b = agency("เทศบาลตำบลบี");
  const auto ra = round(a), rb = round(b);
  const std::string officer = token_for(add_user("officer@a", store::Role::Officer, a));
  const std::string viewer = token_for(add_user("viewer@a", store::Role::Viewer, a));
  const std::string assessor = token_for(add_user("assessor@x", store::Role::Assessor, {}));
  for (const std::string& own : {officer, viewer}) {
    const json agencies = get_json("/api/v1/agencies", own);
    EXPECT_EQ(ids(agencies), Ids{a});
    EXPECT_EQ(agencies["total"], 1);
    EXPECT_EQ(ids(get_json("/api/v1/rounds", own)), Ids{ra});
    EXPECT_EQ(ids(get_json("/api/v1/rounds?agency_id=" + std::to_string(b), own)), Ids{});
    EXPECT_EQ(get_json("/api/v1/agencies/" + std::to_string(a), own)["name"], "เทศบาลตำบลเอ");
    // Another agency and its round are answered as if they did not exist.
    get_json("/api/v1/agencies/" + std::to_string(b), own, 404);
    get_json("/api/v1/rounds/" + std::to_string(rb) + "/oit", own, 404);
    get_json("/api/v1/rounds/" + std::to_string(ra) + "/oit", own, 200);
  }
  for (const std::string& everyone : {admin_, assessor}) {
    EXPECT_EQ(ids(get_json("/api/v1/agencies", everyone)), (Ids{a, b}));
    EXPECT_EQ(ids(get_json("/api/v1/rounds", everyone)), (Ids{ra, rb}));
    get_json("/api/v1/rounds/" + std::to_string(rb) + "/oit", everyone, 200);
  }
  for (const char* target : {"/api/v1/agencies", "/api/v1/rounds", "/api/v1/agencies/1"})
    EXPECT_EQ(api("GET", target, nullptr, "").status, 401) << target;
}

TEST_P(ApiLists, PagesFollowTheCursorUntilNextIsNull) {
  const Ids all = {agency("หนึ่ง", "เชียงราย"), agency("สอง", "น่าน"), agency("สาม", "เชียงราย"),
                   agency("สี่", "เชียงราย")};
  const std::string province = "province=" + url_encode("เชียงราย");
  json page = get_json("/api/v1/agencies?limit=2&" + province, admin_);
  EXPECT_EQ(ids(page), (Ids{all[0], all[2]}));
  EXPECT_EQ(page["total"], 3);
  ASSERT_TRUE(page["next"].is_string());
  page = get_json(
      "/api/v1/agencies?limit=2&" + province + "&cursor=" + page["next"].get<std::string>(),
      admin_);
  EXPECT_EQ(ids(page), (Ids{all[3]}));
  EXPECT_TRUE(page["next"].is_null());
  EXPECT_EQ(ids(get_json("/api/v1/agencies?q=" + url_encode("สอง"), admin_)), Ids{all[1]});

  const auto r1 = round(all[0]), r2 = round(all[0]);
  EXPECT_EQ(api("POST", "/api/v1/rounds/" + std::to_string(r1) + "/close", nullptr, admin_).status,
            200);
  EXPECT_EQ(ids(get_json("/api/v1/rounds?status=closed", admin_)), Ids{r1});
  const json open = get_json("/api/v1/rounds?status=open&fiscal_year=2564", admin_);
  EXPECT_EQ(ids(open), Ids{r2});
  EXPECT_EQ(open["items"][0]["status"], "open");
  EXPECT_EQ(ids(get_json("/api/v1/rounds?fiscal_year=2566", admin_)), Ids{});
}

TEST_P(ApiLists, UnknownParametersAndBadValuesAre422NamingThem) {
  const auto a = agency("เอ");
  const auto r = round(a);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/api/v1/agencies?sort=name", "\"sort\""},
      {"/api/v1/agencies?limit=0", "\"limit\""},
      {"/api/v1/agencies?limit=501", "\"limit\""},
      {"/api/v1/agencies?cursor=abc", "\"cursor\""},
      {"/api/v1/agencies?q=", "\"q\""},
      {"/api/v1/rounds?status=maybe", "\"status\""},
      {"/api/v1/rounds?fiscal_year=2021", "\"fiscal_year\""},
      {"/api/v1/rounds?agency_id=-1", "\"agency_id\""},
      {"/api/v1/rounds?agency=1&year=2564", "\"agency\", \"year\""},
      {"/api/v1/agencies/" + std::to_string(a) + "?x=1", "\"x\""},
      {"/api/v1/rounds/" + std::to_string(r) + "/oit?item=O1", "\"item\""},
  };
  for (const auto& [target, named] : cases) {
    const json e = get_json(target, admin_, 422);
    EXPECT_EQ(e["error"]["status"], 422) << target;
    EXPECT_NE(e["error"]["message"].get<std::string>().find(named), std::string::npos)
        << target << ": " << e.dump();
  }
  get_json("/api/v1/agencies/abc", admin_, 404);
  get_json("/api/v1/agencies/999999", admin_, 404);
}

TEST_P(ApiLists, TheOitStateShowsEveryItemOfTheEditionWithItsStage) {
  const auto r = round(agency("เอ"));
  const std::string base = "/api/v1/rounds/" + std::to_string(r) + "/oit";
  const std::string assessor = token_for(add_user("assessor@x", store::Role::Assessor, {}));
  ASSERT_EQ(api("PUT", base + "/O1", {{"url", "https://a.example/o1"}, {"note", "หน้าแรก"}}, admin_)
                .status,
            200);
  ASSERT_EQ(api("POST", base + "/O1/review", {{"verdict", "fail"}, {"comment", "ไม่ครบ"}}, assessor)
                .status,
            200);
  const json state = get_json(base, admin_);
  EXPECT_EQ(state["round_id"], r);
  ASSERT_EQ(state["items"].size(), editions_.get("2564").oit.items.size());
  const json& o1 = state["items"][0];
  EXPECT_EQ(o1["item"], "O1");
  EXPECT_EQ(o1["stage"], "reviewed");
  EXPECT_EQ(o1["url"], "https://a.example/o1");
  EXPECT_EQ(o1["verdict"], "fail");
  EXPECT_EQ(o1["review_comment"], "ไม่ครบ");
  EXPECT_TRUE(o1["final_verdict"].is_null());
  EXPECT_EQ(state["items"][1]["stage"], "draft");
  EXPECT_TRUE(state["items"][1]["verdict"].is_null());
}

// ---- the OpenAPI document ----

class OpenApi : public testing::AppFixture {
 protected:
  web::AppOptions options() const override {
    web::AppOptions o = AppFixture::options();
    o.db_url = db_.url;  // the dashboard reads the database itself
    o.dashboard_refresh_seconds = 0;
    return o;
  }

  json document() {
    const auto r = api("GET", "/api/v1/openapi.json", nullptr, "");
    EXPECT_EQ(r.status, 200);
    return json::parse(r.body);
  }

  // Sends `body` to `target` (an instance of the document's path `path`) and records the
  // exchange for check_openapi.py.
  HttpResponse call(const std::string& method, const std::string& path, const std::string& target,
                    const json& body, const std::string& token, int want) {
    const auto r = api(method, target, body, token);
    EXPECT_EQ(r.status, want) << method << " " << target << ": " << r.body;
    json response = json::parse(r.body, nullptr, false);
    if (response.is_discarded()) response = "not JSON: " + r.body.substr(0, 200);
    exchanges_.push_back({{"method", method},
                          {"path", path},
                          {"status", r.status},
                          {"request", body},
                          {"response", response}});
    return r;
  }

  // check_openapi.py over the document and the exchanges: its output, and whether it passed.
  std::pair<bool, std::string> check(const json& doc) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("ita-openapi-" + std::to_string(::getpid()) + "-" + GetParam());
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "openapi.json") << doc.dump();
    std::ofstream(dir / "exchanges.json") << exchanges_.dump();
    const std::string command =
        "python3 " ITA_SOURCE_DIR "/tests/web/check_openapi.py " + (dir / "openapi.json").string() +
        " " + (dir / "exchanges.json").string() + " > " + (dir / "out.txt").string() + " 2>&1";
    const int rc = std::system(command.c_str());
    std::ifstream in(dir / "out.txt");
    const std::string out{std::istreambuf_iterator<char>(in), {}};
    std::filesystem::remove_all(dir);
    return {rc == 0, out};
  }

  json exchanges_ = json::array();
};

TEST_P(OpenApi, EveryApiRouteIsDocumentedAndEveryDocumentedOperationIsARoute) {
  const json doc = document();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::pair<std::string, std::string>> routes;
  for (auto [method, pattern] : app_->routes()) {
    if (!pattern.starts_with("/api/")) continue;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    routes.emplace(method, pattern);
    EXPECT_TRUE(doc["paths"].contains(pattern) && doc["paths"][pattern].contains(method))
        << method << " " << pattern << " is not in the OpenAPI document";
  }
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, _] : ops.items())
      EXPECT_TRUE(routes.contains({method, path})) << method << " " << path << " is not a route";
  }
  EXPECT_GE(routes.size(), 20u);
}

TEST_P(OpenApi, RealRepliesMatchTheDocument) {
  const json doc = document();
  call("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", nullptr, "", 200);
  call("GET", "/api/v1/editions", "/api/v1/editions", nullptr, "", 200);
  const json agency = json::parse(
      call("POST", "/api/v1/agencies", "/api/v1/agencies",
           {{"name", "เทศบาลตำบลทดสอบ"}, {"province", "น่าน"}, {"type", "เทศบาลตำบล"}}, admin_, 201)
          .body);
  const std::int64_t a = agency["id"];
  const auto officer_user = add_user("officer@test", store::Role::Officer, a);
  const std::string officer = token_for(officer_user);
  const std::string assessor = token_for(add_user("assessor@test", store::Role::Assessor, {}));
  call("GET", "/api/v1/agencies", "/api/v1/agencies?limit=1", nullptr, officer, 200);
  call("GET", "/api/v1/agencies/{id}", "/api/v1/agencies/" + std::to_string(a), nullptr, officer,
       200);
  call("PUT", "/api/v1/agencies/{id}/website", "/api/v1/agencies/" + std::to_string(a) + "/website",
       {{"website", "https://www.agency.example"}}, officer, 200);
  const json round = json::parse(call("POST", "/api/v1/rounds", "/api/v1/rounds",
                                      {{"agency_id", a},
                                       {"edition", "2564"},
                                       {"staff_count", 30},
                                       {"service_users", 400},
                                       {"closes_at", nullptr}},
                                      officer, 201)
                                     .body);
  const std::string id = std::to_string(round["id"].get<std::int64_t>());
  const std::string r = "/api/v1/rounds/" + id;
  call("GET", "/api/v1/rounds", "/api/v1/rounds?status=open&agency_id=" + std::to_string(a),
       nullptr, officer, 200);
  call("GET", "/api/v1/rounds/{id}", r, nullptr, officer, 200);

  // Enough answers and judged OIT items for a result, then a measures plan.
  const auto synthetic = testing::make_agency(testing::edition_path("2564"), 7, 14, 22);
  std::map<std::string, std::pair<std::string, json>> respondents;
  for (const auto& row : synthetic.rows) {
    if (row.tool == "OIT") continue;
    respondents[row.respondent].first = row.tool == "IIT" ? "iit" : "eit";
    respondents[row.respondent].second[row.item] = row.answer;
  }
  bool by_id = false;
  for (const auto& [_, answers] : respondents) {
    const json body = {{"answers", answers.second}};
    if (!by_id && answers.first == "iit") {
      call("POST", "/api/v1/rounds/{id}/responses/{tool}", r + "/responses/iit", body, officer,
           201);
      by_id = true;
      continue;
    }
    call("POST", "/api/v1/s/{token}/responses", round["api"][answers.first].get<std::string>(),
         body, "", 201);
  }
  std::vector<std::string> failed;
  for (const auto& row : synthetic.rows) {
    if (row.tool != "OIT") continue;
    // An address of the documentation range: the readiness check below refuses it unfetched, so
    // nothing outside the machine is contacted (not even a name server).
    const std::string url = "https://192.0.2.10/" + row.item;
    // Every other item with several URLs ("urls"), the others with the single "url".
    const json evidence = row.item.size() % 2 == 0
                              ? json{{"urls", {url, url + "/annex"}}, {"note", "หน้า ITA"}}
                              : json{{"url", url}, {"note", "หน้า ITA"}};
    call("PUT", "/api/v1/rounds/{id}/oit/{item}", r + "/oit/" + row.item, evidence, officer, 200);
    call("POST", "/api/v1/rounds/{id}/oit/{item}/review", r + "/oit/" + row.item + "/review",
         {{"verdict", row.answer}, {"comment", "ตรวจแล้ว"}}, assessor, 200);
    if (row.answer == "fail") failed.push_back(row.item);
  }
  ASSERT_GE(failed.size(), 2u);
  call("POST", "/api/v1/rounds/{id}/oit/{item}/appeal", r + "/oit/" + failed[0] + "/appeal",
       {{"explanation", "อยู่ในหน้าเดิม"}}, officer, 200);
  call("POST", "/api/v1/rounds/{id}/oit/{item}/confirm", r + "/oit/" + failed[0] + "/confirm",
       {{"verdict", "pass"}}, assessor, 200);
  call("POST", "/api/v1/rounds/{id}/oit/{item}/decline", r + "/oit/" + failed[1] + "/decline",
       nullptr, officer, 200);
  call("GET", "/api/v1/rounds/{id}/oit", r + "/oit", nullptr, officer, 200);
  const json started = json::parse(
      call("POST", "/api/v1/rounds/{id}/oit/check", r + "/oit/check", nullptr, officer, 202).body);
  const std::string checked =
      r + "/oit/checks/" + std::to_string(started["id"].get<std::int64_t>());
  for (int i = 0; i < 100 && api("GET", checked, nullptr, officer).body.find("\"finished\"") ==
                                 std::string::npos;
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  call("GET", "/api/v1/rounds/{id}/oit/checks/{check}", checked, nullptr, officer, 200);
  call("GET", "/api/v1/rounds/{id}/oit/checks", r + "/oit/checks", nullptr, officer, 200);
  call("GET", "/api/v1/rounds/{id}/result", r + "/result", nullptr, officer, 200);

  ASSERT_EQ(post_form("/rounds/" + id + "/measures/init", browser(officer_user), {}).status, 303);
  const json tracked = json::parse(
      call("GET", "/api/v1/rounds/{id}/measures", r + "/measures", nullptr, officer, 200).body);
  call("PUT", "/api/v1/rounds/{id}/measures", r + "/measures", tracked["plan"], officer, 200);
  const std::string measure = tracked["measures"][0]["id"];
  call("POST", "/api/v1/rounds/{id}/measures/{measure}/progress",
       r + "/measures/" + url_encode(measure) + "/progress",
       {{"text", "ดำเนินการแล้ว"}, {"status", "in_progress"}}, officer, 201);
  call("GET", "/api/v1/dashboard", "/api/v1/dashboard", nullptr, admin_, 200);

  call("PUT", "/api/v1/rounds/{id}/closing-date", r + "/closing-date", {{"closes_at", nullptr}},
       officer, 200);
  call("POST", "/api/v1/rounds/{id}/close", r + "/close", nullptr, officer, 200);
  call("POST", "/api/v1/rounds/{id}/reopen", r + "/reopen", nullptr, admin_, 200);

  // Refusals have the documented error shape too.
  call("GET", "/api/v1/rounds", "/api/v1/rounds", nullptr, "", 401);
  call("GET", "/api/v1/rounds", "/api/v1/rounds?order=id", nullptr, officer, 422);
  call("GET", "/api/v1/rounds/{id}", "/api/v1/rounds/999999", nullptr, officer, 404);
  call("POST", "/api/v1/rounds/{id}/reopen", r + "/reopen", nullptr, officer, 403);
  call("POST", "/api/v1/agencies", "/api/v1/agencies", {{"name", "x"}, {"colour", "red"}}, admin_,
       422);

  const auto [ok, out] = check(doc);
  EXPECT_TRUE(ok) << out;
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiLists, ::testing::Values("sqlite", "postgres"));
INSTANTIATE_TEST_SUITE_P(Backends, OpenApi, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
