// Security properties over HTTP on loopback, on SQLite and PostgreSQL: CSRF, session fixation,
// the login rate limit behind a proxy, agency isolation, escaping of every text field, SQL
// metacharacters stored literally, and a server log that links nothing to a respondent.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "support/synthetic.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using testing::AppFixture;
using testing::Browser;
using testing::json;

constexpr const char* kXss = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";
constexpr const char* kXssEscaped = "&lt;script&gt;";

class Security : public AppFixture {
 protected:
  AppOptions options() const override {
    AppOptions o{"http://127.0.0.1:1"};
    o.trusted_proxies = {"127.0.0.1"};
    return o;
  }

  std::int64_t agency(const std::string& name) {
    const auto r = api(
        "POST", "/api/v1/agencies",
        {{"name", name}, {"district", "อ.เมือง"}, {"province", "น่าน"}, {"type", "อบต."}}, admin_);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body)["id"].get<std::int64_t>();
  }

  std::int64_t round_of(std::int64_t agency_id, const std::string& officer_token) {
    const auto r = api(
        "POST", "/api/v1/rounds",
        {{"agency_id", agency_id}, {"edition", "2564"}, {"staff_count", 10}, {"service_users", 10}},
        officer_token);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body)["id"].get<std::int64_t>();
  }

  // A login through the form, as a browser does it; the response of the POST.
  testing::HttpResponse login(const std::string& email, const std::string& password,
                              const std::string& forwarded_for = "",
                              const std::string& extra_cookie = "") {
    const auto form = raw("GET", "/login", "", {});
    const std::string csrf_cookie = testing::cookie_from(form, "ita_csrf");
    const std::string csrf = csrf_cookie.substr(csrf_cookie.find('=') + 1);
    std::map<std::string, std::string> h = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Cookie", csrf_cookie + (extra_cookie.empty() ? "" : "; " + extra_cookie)}};
    if (!forwarded_for.empty()) h["X-Forwarded-For"] = forwarded_for;
    return raw("POST", "/login",
               "csrf=" + csrf + "&email=" + url_encode(email) + "&password=" + url_encode(password),
               h);
  }
};

TEST_P(Security, CsrfIsRequiredOnEveryForm) {
  const Browser admin = browser(admin_user_);
  const Browser other = browser(add_user("other-admin@test", store::Role::Admin, std::nullopt));
  const auto before = footprint();
  EXPECT_EQ(post_form("/agencies", admin, {{"name", "ไม่มีโทเค็น"}}, false).status, 403);
  Browser wrong = admin;
  wrong.csrf = random_token(16);
  EXPECT_EQ(post_form("/agencies", wrong, {{"name", "โทเค็นผิด"}}).status, 403);
  // Another session's valid token does not work either.
  Browser mixed{admin.cookie, other.csrf};
  EXPECT_EQ(post_form("/agencies", mixed, {{"name", "โทเค็นของคนอื่น"}}).status, 403);
  post_form("/logout", mixed, {});  // a forged logout does not end the session
  EXPECT_EQ(get("/", admin).status, 200);
  EXPECT_EQ(footprint(), before) << "nothing stored";
  EXPECT_EQ(post_form("/agencies", admin, {{"name", "มีโทเค็น"}}).status, 303);
}

TEST_P(Security, LoginIssuesAFreshSessionAndLogoutEndsIt) {
  add_user("officer@test", store::Role::Officer, agency("หน่วยงาน"));
  // An attacker plants a session id before the victim signs in.
  const std::string planted = "ita_session=" + random_token(32);
  const auto ok = login("officer@test", "password-officer@test", "", planted);
  ASSERT_EQ(ok.status, 303);
  const std::string session = testing::cookie_from(ok, "ita_session");
  ASSERT_FALSE(session.empty());
  EXPECT_NE(session, planted) << "the server chooses the session id";
  EXPECT_EQ(raw("GET", "/", "", {{"Cookie", planted}}).status, 303)
      << "the planted id is not signed in";
  const auto home = raw("GET", "/", "", {{"Cookie", session}});
  ASSERT_EQ(home.status, 200);
  // Logging out deletes the session on the server: the old cookie is worthless afterwards.
  const auto pos = home.body.find("name=\"csrf\" value=\"");
  ASSERT_NE(pos, std::string::npos);
  const std::string csrf = home.body.substr(pos + 19, home.body.find('"', pos + 19) - pos - 19);
  EXPECT_EQ(raw("POST", "/logout", "csrf=" + csrf,
                {{"Cookie", session}, {"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            303);
  EXPECT_EQ(raw("GET", "/", "", {{"Cookie", session}}).status, 303);
}

TEST_P(Security, LoginLimitPerAccountAndPerClientBehindTheProxy) {
  add_user("victim@test", store::Role::Viewer, agency("หน่วยงาน ก"));
  add_user("bystander@test", store::Role::Viewer, agency("หน่วยงาน ข"));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("victim@test", "wrong", "203.0.113.9").status, 303);
  EXPECT_EQ(login("victim@test", "password-victim@test", "198.51.100.7").status, 429)
      << "the account is locked for everyone";
  EXPECT_EQ(login("bystander@test", "password-bystander@test", "203.0.113.9").status, 303)
      << "another account from the same client still signs in";
  // One client guessing many accounts is stopped at 50 failures; others behind the same proxy are
  // not.
  for (int i = 0; i < 50; ++i) login("guess" + std::to_string(i) + "@test", "x", "203.0.113.66");
  EXPECT_EQ(login("bystander@test", "password-bystander@test", "203.0.113.66").status, 429);
  const auto other_client =
      login("bystander@test", "password-bystander@test", "192.0.2.1, 198.51.100.20");
  EXPECT_EQ(other_client.status, 303);
  EXPECT_FALSE(testing::cookie_from(other_client, "ita_session").empty());
}

TEST_P(Security, AnOfficerSeesAndChangesOnlyTheirAgency) {
  const auto a = agency("หน่วยงาน A"), b = agency("หน่วยงาน B");
  const auto officer_a = add_user("a@test", store::Role::Officer, a);
  const std::string token_a = token_for(officer_a),
                    token_b = token_for(add_user("b@test", store::Role::Officer, b));
  const auto round_b = round_of(b, token_b);
  const std::string rb = "/api/v1/rounds/" + std::to_string(round_b);
  const Browser browser_a = browser(officer_a);
  const std::string assessor =
      token_for(add_user("assessor@test", store::Role::Assessor, std::nullopt));
  const auto before = footprint();
  EXPECT_EQ(api("GET", rb, nullptr, token_a).status, 404);
  EXPECT_EQ(api("GET", rb + "/result", nullptr, token_a).status, 404);
  EXPECT_EQ(api("PUT", rb + "/oit/O1", {{"url", "https://a.example/x"}}, token_a).status, 404);
  EXPECT_EQ(api("PUT", rb + "/measures",
                {{"format", "ita-measures/1"}, {"fiscal_year", 2565}, {"measures", json::array()}},
                token_a)
                .status,
            404);
  EXPECT_EQ(api("POST", "/api/v1/rounds",
                {{"agency_id", b}, {"edition", "2564"}, {"staff_count", 3}, {"service_users", 3}},
                token_a)
                .status,
            403);
  for (const std::string& page :
       {"/rounds/" + std::to_string(round_b), "/rounds/" + std::to_string(round_b) + "/oit",
        "/rounds/" + std::to_string(round_b) + "/result", "/agencies/" + std::to_string(b)}) {
    const int status = get(page, browser_a).status;
    EXPECT_TRUE(status == 403 || status == 404) << page << " " << status;
  }
  const int export_status =
      get("/rounds/" + std::to_string(round_b) + "/export/answers.csv", browser_a).status;
  EXPECT_TRUE(export_status == 403 || export_status == 404) << export_status;
  EXPECT_EQ(post_form("/rounds/" + std::to_string(round_b) + "/oit/O1", browser_a,
                      {{"url", "https://a.example/x"}})
                .status,
            403);
  EXPECT_EQ(footprint(), before);
  // An assessor judges evidence but never edits it.
  EXPECT_EQ(api("PUT", rb + "/oit/O1", {{"url", "https://a.example/x"}}, assessor).status, 403);
  EXPECT_EQ(api("POST", rb + "/oit/O1/appeal", {{"explanation", "x"}}, assessor).status, 403);
  EXPECT_EQ(footprint(), before);
}

TEST_P(Security, EveryTextFieldComesBackEscaped) {
  const auto a = agency(std::string("ชื่อ") + kXss);
  ASSERT_EQ(api("POST", "/api/v1/agencies",
                {{"name", "x"}, {"district", kXss}, {"province", kXss}, {"type", kXss}}, admin_)
                .status,
            201);
  const auto officer = add_user("o@test", store::Role::Officer, a);
  const std::string token = token_for(officer);
  const auto round = round_of(a, token);
  const std::string r = "/api/v1/rounds/" + std::to_string(round);
  ASSERT_EQ(
      api("PUT", r + "/oit/O1", {{"url", "https://a.example/?q=<script>"}, {"note", kXss}}, token)
          .status,
      200);
  const std::string assessor = token_for(add_user("as@test", store::Role::Assessor, std::nullopt));
  ASSERT_EQ(
      api("POST", r + "/oit/O1/review", {{"verdict", "fail"}, {"comment", kXss}}, assessor).status,
      200);
  ASSERT_EQ(api("POST", r + "/oit/O1/appeal", {{"explanation", kXss}}, token).status, 200);
  ASSERT_EQ(api("PUT", r + "/measures",
                {{"format", "ita-measures/1"},
                 {"fiscal_year", 2565},
                 {"measures", json::array({{{"id", "m1"},
                                            {"title_th", kXss},
                                            {"steps_th", json::array({kXss})},
                                            {"responsible_th", kXss},
                                            {"monitoring_th", kXss}}})}},
                token)
                .status,
            200);
  ASSERT_EQ(
      api("POST", r + "/measures/m1/progress",
          {{"text", kXss}, {"status", "in_progress"}, {"evidence_url", "https://a.example/e"}},
          token)
          .status,
      201);
  const Browser b = browser(admin_user_);
  for (const std::string& page :
       {std::string("/"), "/agencies/" + std::to_string(a), "/rounds/" + std::to_string(round),
        "/rounds/" + std::to_string(round) + "/oit",
        "/rounds/" + std::to_string(round) + "/measures",
        "/rounds/" + std::to_string(round) + "/result", std::string("/audit")}) {
    const auto res = get(page, b);
    ASSERT_EQ(res.status, 200) << page;
    EXPECT_EQ(res.body.find("<script>"), std::string::npos) << page;
    EXPECT_EQ(res.body.find("<img src=x"), std::string::npos) << page;
    EXPECT_EQ(res.body.find("onerror=alert(1)>"), std::string::npos) << page;
  }
  EXPECT_NE(get("/rounds/" + std::to_string(round) + "/oit", b).body.find(kXssEscaped),
            std::string::npos);
  EXPECT_NE(get("/rounds/" + std::to_string(round) + "/measures", b).body.find(kXssEscaped),
            std::string::npos);
  // The measures document as HTML, too.
  const auto doc = get("/rounds/" + std::to_string(round) + "/measures/report-6m.html", b);
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.body.find("<script>"), std::string::npos);
}

TEST_P(Security, SqlMetacharactersAreStoredLiterally) {
  const std::string name = "O'Brien\"; DROP TABLE agencies; -- ' OR '1'='1 \\ % _ ;";
  const auto a = agency(name);
  const auto stored = store_->agency(a);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->name, name);
  EXPECT_EQ(store_->agencies().size(), 1U) << "the table is still there";
  const auto officer = token_for(add_user("q'@test", store::Role::Officer, a));
  const auto round = round_of(a, officer);
  ASSERT_EQ(api("PUT", "/api/v1/rounds/" + std::to_string(round) + "/oit/O1",
                {{"url", "https://a.example/x?a=1'--"}, {"note", name}}, officer)
                .status,
            200);
  EXPECT_EQ(store_->oit_entries(round).at(0).note, name);
  EXPECT_EQ(api("GET", "/api/v1/rounds/1%27%20OR%201=1", nullptr, admin_).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, Security, ::testing::Values("sqlite", "postgres"));

// The real `ita serve` writes nothing about a respondent to its output: after the start-up
// banner, submissions (with an access code, a user agent and a forwarded address) leave no line.
TEST(SecurityProcess, TheServerLogLinksNothingToARespondent) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("ita-log-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "ita.sqlite").string(), log = (dir / "serve.log").string();
  std::int64_t round_id = 0;
  const std::string code = random_token(6);
  {
    auto st = store::open_store(db);
    const auto a = st->create_agency({0, "ทดสอบบันทึก", "", "", ""}, std::nullopt);
    init_crypto();
    const auto u = st->create_user(
        {0, "o@log.test", store::Role::Officer, a.id, hash_password("x")}, std::nullopt);
    round_id =
        st->create_round({0, a.id, "2564", 10, 10, random_token(8), random_token(8), true, "open"},
                         u.id)
            .id;
    st->add_access_codes(round_id, {sha256_hex(code)}, u.id);
  }
  std::mt19937 rng(static_cast<unsigned>(::getpid()) + 7);
  const auto port = static_cast<unsigned short>(20000 + rng() % 30000);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl(ITA_BINARY, "ita", "serve", "--db", db.c_str(), "--port", std::to_string(port).c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    try {
      up = testing::http(port, "GET", "/healthz").status == 200;
    } catch (const std::exception&) {
    }
  }
  ASSERT_TRUE(up);
  std::ifstream banner_in(log);
  std::stringstream banner;
  banner << banner_in.rdbuf();
  json answers;
  for (const auto& row :
       testing::make_agency(testing::edition_path("2564"), 3, 1, 0).rows) {
    if (row.tool == "IIT") answers[row.item] = row.answer;
  }
  const std::map<std::string, std::string> h = {{"Content-Type", "application/json"},
                                                {"User-Agent", "LogProbe/1.0 (unique-agent-8812)"},
                                                {"X-Forwarded-For", "203.0.113.77"}};
  const std::string url = "/api/v1/rounds/" + std::to_string(round_id) + "/responses/iit";
  EXPECT_EQ(testing::http(port, "POST", url,
                                 json{{"answers", answers}, {"access_code", code}}.dump(), h)
                .status,
            201);
  EXPECT_EQ(testing::http(port, "POST", url,
                                 json{{"answers", answers}, {"access_code", code}}.dump(), h)
                .status,
            409);
  EXPECT_EQ(testing::http(port, "POST", url,
                                 json{{"answers", {{"I1.1", "9"}}}, {"access_code", "x"}}.dump(), h)
                .status,
            422);
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
  std::ifstream all_in(log);
  std::stringstream all;
  all << all_in.rdbuf();
  const std::string after = all.str().substr(banner.str().size());
  for (const std::string& secret : {code, std::string("203.0.113.77"),
                                    std::string("unique-agent-8812"), std::string("responses")}) {
    EXPECT_EQ(after.find(secret), std::string::npos) << secret << " in the log:\n" << after;
  }
  EXPECT_EQ(banner.str().find(code), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ita::web
