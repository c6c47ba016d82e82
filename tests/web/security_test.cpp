// Security properties over HTTP on loopback, on SQLite and PostgreSQL: CSRF, session fixation,
// the login rate limit behind a proxy, agency isolation, escaping of every text field, SQL
// metacharacters stored literally, and a server log that links nothing to a respondent.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/scoring.hpp"
#include "io/result_json.hpp"
#include "raw_db.hpp"
#include "service/calendar.hpp"
#include "service/rounds.hpp"
#include "support/serve_process.hpp"
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
  EXPECT_EQ(login("victim@test", "password-victim@test", "203.0.113.9").status, 429)
      << "the client that failed five times waits, even with the right password";
  const auto owner = login("victim@test", "password-victim@test", "198.51.100.7");
  EXPECT_EQ(owner.status, 303) << "but the owner, elsewhere, is not locked out";
  EXPECT_FALSE(testing::cookie_from(owner, "ita_session").empty());
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
                {{"name", "x"}, {"district", kXss}, {"province", "น่าน"}, {"type", kXss}}, admin_)
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

// Every table of the schema (asked from the database, not listed here), before and after two
// submissions — one through the JSON API with an access code, one through the HTML form — sent
// with a user agent and a forwarded client address from the trusted proxy: only the response,
// layout, access-code, tally and form-value tables change, nothing anywhere holds the address,
// the agent, the code or the form's one-time value, and no column of the changed tables holds a
// time finer than a day.
TEST_P(Security, NoTableLinksAnAnswerToAnAddressACodeOrATime) {
  const auto a = agency("หน่วยงานนิรนาม");
  const auto officer = add_user("anon-officer@test", store::Role::Officer, a);
  store::Round spec{
      0, a, "2564", 10, 10, random_token(8), random_token(8), true, store::RoundStatus::Open};
  const auto round = store_->create_round(spec, officer.id);
  const std::string code = random_token(6);
  store_->add_access_codes(round.id, {sha256_hex(code)}, officer.id);
  auto db = GetParam() == "sqlite" ? test::open_raw_sqlite(db_.sqlite_path)
                                   : test::open_raw_postgres(db_.url);
  const std::string tables_sql =
      GetParam() == "sqlite"
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
          : "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE'";
  std::vector<std::string> tables;
  for (const auto& row : db->query(tables_sql)) tables.push_back(row.at(0).value());
  ASSERT_GE(tables.size(), 10U);
  auto snapshot = [&] {
    std::map<std::string, std::multiset<std::string>> out;
    for (const auto& t : tables) {
      auto& rows = out[t];
      for (const auto& row : db->query("SELECT * FROM " + t)) {
        std::string line;
        for (const auto& v : row) line += (v ? *v : "NULL") + "\x1f";
        rows.insert(line);
      }
    }
    return out;
  };
  // The survey form's GET comes first: showing a survey stores only the form's one-time value
  // (its hash, the round, an expiry at a midnight), which sending the form consumes.
  const auto form = raw("GET", "/s/" + spec.eit_token, "", {});
  ASSERT_EQ(form.status, 200);
  const auto value_at = form.body.find("name=\"form_token\" value=\"");
  ASSERT_NE(value_at, std::string::npos);
  const std::size_t value_start = value_at + std::string("name=\"form_token\" value=\"").size();
  const std::string form_token =
      form.body.substr(value_start, form.body.find('"', value_start) - value_start);
  const auto before = snapshot();

  const std::map<std::string, std::string> probe = {{"User-Agent", "AnonProbe/2.0 (agent-5531)"},
                                                    {"X-Forwarded-For", "203.0.113.91"}};
  json iit, eit;
  for (const auto& row : testing::make_agency(testing::edition_path("2564"), 5, 1, 1).rows) {
    if (row.tool == "IIT") iit[row.item] = row.answer;
    if (row.tool == "EIT") eit[row.item] = row.answer;
  }
  auto h = probe;
  h["Content-Type"] = "application/json";
  ASSERT_EQ(raw("POST", "/api/v1/s/" + spec.iit_token + "/responses",
                json{{"answers", iit}, {"access_code", code}}.dump(), h)
                .status,
            201);
  const std::string csrf_cookie = testing::cookie_from(form, "ita_csrf");
  std::string body = "csrf=" + csrf_cookie.substr(csrf_cookie.find('=') + 1) +
                     "&form_token=" + url_encode(form_token);
  for (const auto& [unit, option] : eit.items())
    body += "&" + url_encode(unit) + "=" + url_encode(option.get<std::string>());
  h = probe;
  h["Content-Type"] = "application/x-www-form-urlencoded";
  h["Cookie"] = csrf_cookie;
  ASSERT_EQ(raw("POST", "/s/" + spec.eit_token, body, h).status, 303);
  const auto after = snapshot();

  // answer_layouts: the first response with a set of units adds that set (unit codes only);
  // survey_form_tokens: the form's value is consumed; response_tallies: counts per round and tool;
  // rounds_to_mix: the round is due for mixing (its id only).
  const std::set<std::string> may_change = {"responses",        "answer_layouts",
                                            "access_codes",     "survey_form_tokens",
                                            "response_tallies", "rounds_to_mix"};
  for (const auto& t : tables) {
    if (!may_change.contains(t)) {
      EXPECT_EQ(after.at(t), before.at(t)) << t << " changed";
    }
  }
  ASSERT_EQ(after.at("responses").size(), 2U);
  // A response's key is its round and the first 40 bits of its random id — proven here, so the
  // timestamp check below may leave these values alone (for round 1 they are 13-digit numbers).
  std::set<std::string> slots, ids;
  for (const auto& row : db->query("SELECT slot, round_id, id FROM responses")) {
    const std::int64_t round_id = std::stoll(*row.at(1));
    EXPECT_EQ(std::stoll(*row.at(0)),
              (round_id << 40) | std::stoll(row.at(2)->substr(0, 10), nullptr, 16));
    slots.insert(*row.at(0));
    ids.insert(*row.at(2));
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::regex time_of_day("[0-9]{1,2}:[0-9]{2}");
  const std::regex integer("-?[0-9]{6,}");
  for (const auto& t : tables) {
    for (const auto& line : after.at(t)) {
      for (const std::string& secret :
           {std::string("203.0.113.91"), std::string("agent-5531"), code,
            sha256_hex(code).substr(0, 16) + "x", form_token.substr(form_token.find('.') + 1),
            sha256_hex(form_token)}) {
        EXPECT_EQ(line.find(secret), std::string::npos) << t << " holds " << secret;
      }
      if (!may_change.contains(t)) continue;
      // Every column of the changed tables, whatever columns the schema has by now.
      std::size_t start = 0;
      for (auto end = line.find('\x1f'); end != std::string::npos;
           start = end + 1, end = line.find('\x1f', start)) {
        const std::string v = line.substr(start, end - start);
        EXPECT_FALSE(std::regex_search(v, time_of_day)) << t << ": a time of day in " << v;
        if (std::regex_match(v, integer) && !(t == "responses" && slots.contains(v))) {
          const long long n = std::stoll(v.substr(0, 18));
          EXPECT_FALSE(std::llabs(n - now) < 400LL * 86400 ||
                       std::llabs(n / 1000 - now) < 400LL * 86400)
              << t << ": " << v << " looks like a timestamp";
        }
      }
    }
  }
  // The code's hash stays, marked used, but not beside anything of the response.
  for (const auto& line : after.at("access_codes")) {
    for (const auto& id : ids)
      EXPECT_EQ(line.find(id), std::string::npos) << "a code row names a response";
  }
}

// JSON equality where floating-point numbers may differ in their last bits: the store returns
// respondents in random-id order, so sums are added in another order than the reference's.
bool json_near(const json& a, const json& b) {
  if (a.is_number_float() || b.is_number_float()) {
    if (!a.is_number() || !b.is_number()) return false;
    const double x = a.get<double>(), y = b.get<double>();
    return std::abs(x - y) <= 1e-9 * std::max(1.0, std::abs(y));
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!json_near(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& [k, v] : a.items())
      if (!b.contains(k) || !json_near(v, b[k])) return false;
    return true;
  }
  return a == b;
}

// Small groups: with fewer respondents than the minimum (5) a tool's item scores would be its
// respondents' answers, so no page, API reply, export or document shows them — for the round's
// own officer too, who works beside the staff answering the IIT. The official score stays, and
// equals `ita score` on the same answers; at 5 respondents everything is shown.
TEST_P(Security, SmallGroupsShowNoItemFiguresButTheOfficialScore) {
  const auto a = agency("หน่วยงานเล็ก");
  const auto officer = add_user("small@test", store::Role::Officer, a);
  const std::string token = token_for(officer);
  const Browser page_officer = browser(officer);
  const auto round_id = round_of(a, token);
  const std::string rid = std::to_string(round_id);
  const auto data = testing::make_agency(testing::edition_path("2564"), 77, 5, 6);
  std::map<std::string, std::pair<std::string, json>> respondents;
  for (const auto& row : data.rows) {
    if (row.tool == "OIT") {
      store_->put_oit_evidence(round_id, row.item, "https://small.example/" + row.item, "",
                               officer.id);
      store_->review_oit(round_id, row.item, row.answer == "pass", "", admin_user_.id);
      continue;
    }
    respondents[row.respondent].first = row.tool;
    respondents[row.respondent].second[row.item] = row.answer;
  }
  // 1 IIT respondent and all 6 EIT respondents.
  int iit_sent = 0;
  std::vector<json> iit_waiting;
  for (const auto& [id, r] : respondents) {
    if (r.first == "IIT" && iit_sent++ > 0) {
      iit_waiting.push_back(r.second);
      continue;
    }
    ASSERT_EQ(
        api("POST", "/api/v1/rounds/" + rid + "/responses/" + (r.first == "IIT" ? "iit" : "eit"),
            {{"answers", r.second}}, token)
            .status,
        201);
  }
  auto want_for = [&](std::size_t iit_count) {
    const Edition& e = editions_.get("2564");
    AnswerTally tally(e);
    std::size_t iit_seen = 0;
    std::set<std::string> iit_kept;
    for (const auto& [id, r] : respondents) {
      if (r.first == "IIT" && iit_seen++ < iit_count) iit_kept.insert(id);
    }
    for (const auto& row : data.rows) {
      if (row.tool == "OIT") {
        tally.add_oit(row.item, row.answer == "pass");
      } else if (row.tool == "EIT" || iit_kept.contains(row.respondent)) {
        tally.add(*parse_tool(row.tool), row.respondent, row.item, row.answer);
      }
    }
    return io::result_json(e, score(e, tally));
  };
  auto items_of = [](const json& result, const std::string& tool) {
    std::size_t n = 0;
    for (const auto& i : result["items"]) n += i["tool"] == tool ? 1 : 0;
    return n;
  };
  auto csv_rows = [&](const std::string& file, const std::string& prefix) {
    const auto res = get("/rounds/" + rid + "/export/" + file, page_officer);
    EXPECT_EQ(res.status, 200) << file;
    std::size_t n = 0;
    for (auto p = res.body.find("\n" + prefix); p != std::string::npos;
         p = res.body.find("\n" + prefix, p + 1))
      ++n;
    return n;
  };

  // While the round is open, 1 IIT respondent releases nothing at all (service/release.hpp); the
  // small-group rule is what a closed round's figures follow.
  EXPECT_EQ(api("GET", "/api/v1/rounds/" + rid + "/result", nullptr, token).status, 409);
  service::close_round(*store_, round_id, std::nullopt, service::thai_today());
  auto got = json::parse(api("GET", "/api/v1/rounds/" + rid + "/result", nullptr, token).body);
  json want = want_for(1);
  EXPECT_EQ(got["respondents"], (json{{"EIT", 6}, {"IIT", 1}}));
  EXPECT_TRUE(json_near(got["total"], want["total"])) << got["total"] << "\n" << want["total"];
  EXPECT_EQ(got["level"], want["level"]);
  EXPECT_TRUE(json_near(got["tools"], want["tools"])) << got["tools"] << "\n" << want["tools"];
  EXPECT_TRUE(json_near(got["indicators"], want["indicators"])) << got["indicators"] << "\n"
                                                                << want["indicators"];
  EXPECT_EQ(got["items_withheld"], json::array({"IIT"}));
  EXPECT_EQ(items_of(got, "IIT"), 0U) << "one person's answers would be these item scores";
  EXPECT_EQ(items_of(got, "EIT"), items_of(want, "EIT"));
  EXPECT_GT(items_of(want, "IIT"), 0U);
  EXPECT_EQ(csv_rows("answers.csv", "IIT,"), 0U);
  EXPECT_GT(csv_rows("answers.csv", "EIT,"), 0U);
  const std::string agency_prefix = std::to_string(a) + ",หน่วยงานเล็ก,น่าน," + rid + ",2564,";
  EXPECT_EQ(csv_rows("items.csv", agency_prefix + "IIT,"), 0U);
  EXPECT_EQ(csv_rows("items.csv", agency_prefix + "EIT,"), items_of(want, "EIT"));
  const auto page = get("/rounds/" + rid + "/result", page_officer);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("ไม่แสดงคะแนนรายข้อและคำตอบดิบของแบบวัด IIT เพราะมีผู้ตอบ 1 คน"),
            std::string::npos);
  EXPECT_FALSE(std::regex_search(page.body, std::regex("<td>I[0-9]+ ")))
      << "an IIT item under the line";
  EXPECT_EQ(get("/rounds/" + rid + "/report/measures.html", page_officer).status, 200);

  // Opened again, four more staff answer: five is enough, and every figure is back.
  service::reopen_round(*store_, round_id, std::nullopt, service::thai_today());
  for (const auto& answers : iit_waiting) {
    ASSERT_EQ(api("POST", "/api/v1/rounds/" + rid + "/responses/iit", {{"answers", answers}}, token)
                  .status,
              201);
  }
  service::close_round(*store_, round_id, std::nullopt, service::thai_today());
  got = json::parse(api("GET", "/api/v1/rounds/" + rid + "/result", nullptr, token).body);
  want = want_for(5);
  EXPECT_EQ(got["items_withheld"], json::array());
  EXPECT_TRUE(json_near(got["items"], want["items"])) << got["items"] << "\n" << want["items"];
  EXPECT_TRUE(json_near(got["total"], want["total"])) << got["total"] << "\n" << want["total"];
  const auto iit_answers = static_cast<std::size_t>(std::ranges::count_if(
      data.rows, [](const testing::AnswerRow& row) { return row.tool == "IIT"; }));
  EXPECT_EQ(csv_rows("answers.csv", "IIT,"), iit_answers);
  EXPECT_EQ(csv_rows("items.csv", agency_prefix + "IIT,"), items_of(want, "IIT"));
  const auto full_page = get("/rounds/" + rid + "/result", page_officer);
  EXPECT_EQ(full_page.body.find("ไม่แสดงคะแนนรายข้อ"), std::string::npos);
  EXPECT_TRUE(std::regex_search(full_page.body, std::regex("<td>I[0-9]+ ")))
      << "IIT items under the line are back";
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
  std::string iit_token;
  const std::string code = random_token(6);
  {
    auto st = store::open_store(db);
    const auto a = st->create_agency({0, "ทดสอบบันทึก", "", "", ""}, std::nullopt);
    init_crypto();
    const auto u = st->create_user(
        {0, "o@log.test", store::Role::Officer, a.id, hash_password("x")}, std::nullopt);
    const auto round = st->create_round(
        {0, a.id, "2564", 10, 10, random_token(8), random_token(8), true, store::RoundStatus::Open},
        u.id);
    round_id = round.id;
    iit_token = round.iit_token;
    st->add_access_codes(round_id, {sha256_hex(code)}, u.id);
  }
  const unsigned short port = testing::free_port();
  testing::ServeOptions serve;
  serve.out = serve.err = log;
  const pid_t pid = testing::start_ita_serve(db, port, serve);
  ASSERT_GT(pid, 0) << "ita serve did not start";
  std::ifstream banner_in(log);
  std::stringstream banner;
  banner << banner_in.rdbuf();
  json answers;
  for (const auto& row : testing::make_agency(testing::edition_path("2564"), 3, 1, 0).rows) {
    if (row.tool == "IIT") answers[row.item] = row.answer;
  }
  const std::map<std::string, std::string> h = {{"Content-Type", "application/json"},
                                                {"User-Agent", "LogProbe/1.0 (unique-agent-8812)"},
                                                {"X-Forwarded-For", "203.0.113.77"}};
  const std::string url = "/api/v1/s/" + iit_token + "/responses";
  EXPECT_EQ(
      testing::http(port, "POST", url, json{{"answers", answers}, {"access_code", code}}.dump(), h)
          .status,
      201);
  EXPECT_EQ(
      testing::http(port, "POST", url, json{{"answers", answers}, {"access_code", code}}.dump(), h)
          .status,
      409);
  EXPECT_EQ(testing::http(port, "POST", url,
                          json{{"answers", {{"I1.1", "9"}}}, {"access_code", "x"}}.dump(), h)
                .status,
            422);
  testing::stop_ita_serve(pid, SIGTERM);
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
