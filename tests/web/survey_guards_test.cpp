// Guards on the public survey paths (issue #13) over loopback HTTP, on SQLite and PostgreSQL:
// responses are sent by the survey link's token, not a sequential round id; each client address
// has an allowance of forms shown and of answers sent (behind the trusted proxy, the address in
// X-Forwarded-For); a form is stored once and answered with a redirect to a thank-you page that
// stores nothing when reloaded; the IIT survey takes no more responses than the stated staff.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>
#include <vector>

#include "core/thai.hpp"
#include "raw_db.hpp"
#include "service/calendar.hpp"
#include "support/synthetic.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using testing::HttpResponse;
using testing::json;

// What a browser holds after opening a survey form.
struct OpenForm {
  std::string path;    // /s/{token}
  std::string cookie;  // ita_csrf=…
  std::string csrf;
  std::string form_token;  // the form's one-time value
};

// The reply's header `name` (lower case), or "".
std::string header_of(const HttpResponse& r, const std::string& name) {
  const auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

std::string hidden_value(const std::string& body, const std::string& name) {
  const std::string key = "name=\"" + name + "\" value=\"";
  const auto at = body.find(key);
  if (at == std::string::npos) return "";
  const auto start = at + key.size();
  return body.substr(start, body.find('"', start) - start);
}

class SurveyGuards : public testing::AppFixture {
 protected:
  AppOptions options() const override {
    AppOptions o{"http://127.0.0.1:1"};
    o.trusted_proxies = {"127.0.0.1"};
    o.survey_rate_per_minute = 30;
    o.survey_burst = 10;
    return o;
  }

  // A round opened through the API by the administrator; `cap` is its response_cap_percent
  // (absent: the default).
  json open_round(int staff, std::optional<json> cap = std::nullopt, bool codes = false) {
    if (agency_ == 0) {
      const auto a = api("POST", "/api/v1/agencies", {{"name", "หน่วยงานทดสอบ"}}, admin_);
      agency_ = json::parse(a.body)["id"].get<std::int64_t>();
    }
    json body = {{"agency_id", agency_},
                 {"edition", "2564"},
                 {"staff_count", staff},
                 {"service_users", 500},
                 {"access_codes", codes}};
    if (cap) body["response_cap_percent"] = *cap;
    const auto r = api("POST", "/api/v1/rounds", body, admin_);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body);
  }

  json answers(const std::string& tool) {
    json out;
    for (const auto& row : testing::make_agency(testing::edition_path("2564"), 5, 1, 1).rows) {
      if (row.tool == tool) out[row.item] = row.answer;
    }
    return out;
  }

  // POSTs `answers` to the survey-link API route `path`, from `client` through the proxy ("":
  // straight from the loopback address).
  HttpResponse send_api(const std::string& path, const json& answers, const std::string& client,
                        const std::string& code = "") {
    json body = {{"answers", answers}};
    if (!code.empty()) body["access_code"] = code;
    std::map<std::string, std::string> h = {{"Content-Type", "application/json"}};
    if (!client.empty()) h["X-Forwarded-For"] = client;
    return raw("POST", path, body.dump(), h);
  }

  OpenForm open_form(const json& round, const char* tool, const std::string& client = "") {
    const std::string link = round["links"][tool];
    OpenForm f{link.substr(link.find("/s/")), "", "", ""};
    std::map<std::string, std::string> h;
    if (!client.empty()) h["X-Forwarded-For"] = client;
    const auto page = raw("GET", f.path, "", h);
    EXPECT_EQ(page.status, 200) << page.body.substr(0, 300);
    f.cookie = testing::cookie_from(page, "ita_csrf");
    f.csrf = f.cookie.substr(f.cookie.find('=') + 1);
    f.form_token = hidden_value(page.body, "form_token");
    return f;
  }

  HttpResponse send_form(const OpenForm& f, const json& answers, const std::string& code = "",
                         const std::string& client = "") {
    std::string body = "csrf=" + f.csrf + "&form_token=" + url_encode(f.form_token);
    if (!code.empty()) body += "&access_code=" + url_encode(code);
    for (const auto& [unit, option] : answers.items())
      body += "&" + url_encode(unit) + "=" + url_encode(option.get<std::string>());
    std::map<std::string, std::string> h = {{"Content-Type", "application/x-www-form-urlencoded"},
                                            {"Cookie", f.cookie}};
    if (!client.empty()) h["X-Forwarded-For"] = client;
    return raw("POST", f.path, body, h);
  }

  int stored(const json& round, ToolId tool) {
    return store_->response_counts(round["id"].get<std::int64_t>()).at(tool);
  }

  std::unique_ptr<test::RawDb> raw_db() {
    return GetParam() == "sqlite" ? test::open_raw_sqlite(db_.sqlite_path)
                                  : test::open_raw_postgres(db_.url);
  }

  std::int64_t agency_ = 0;
};

// The attack of issue #13: hundreds of anonymous POSTs a second to a sequential round id. Now the
// round-id route wants a signed-in officer, and the survey link's route lets one client address
// store its burst and then answers 429.
TEST_P(SurveyGuards, AFloodOfAnonymousPostsStoresAtMostTheBurst) {
  const json round = open_round(1000);
  const json iit = answers("IIT");
  const std::string by_id =
      "/api/v1/rounds/" + std::to_string(round["id"].get<int>()) + "/responses/iit";
  for (int i = 0; i < 300; ++i) ASSERT_EQ(send_api(by_id, iit, "").status, 401) << i;
  EXPECT_EQ(stored(round, ToolId::IIT), 0);

  const auto start = std::chrono::steady_clock::now();
  std::map<int, int> statuses;
  std::string retry_after;
  for (int i = 0; i < 300; ++i) {
    const auto r = send_api(round["api"]["iit"].get<std::string>(), iit, "");
    ++statuses[r.status];
    if (r.status == 429) retry_after = header_of(r, "retry-after");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The burst, and what the allowance refilled meanwhile (half a request a second).
  EXPECT_GE(statuses[201], 10);
  EXPECT_LE(statuses[201], 10 + static_cast<int>(seconds / 2) + 1);
  EXPECT_EQ(statuses[201] + statuses[429], 300) << "only 201 and 429";
  EXPECT_GE(std::stoi(retry_after), 1);
  EXPECT_EQ(stored(round, ToolId::IIT), statuses[201]);
  const auto progress = json::parse(
      api("GET", "/api/v1/rounds/" + std::to_string(round["id"].get<int>()), nullptr, admin_)
          .body)["progress"][0];
  EXPECT_EQ(progress["count"], statuses[201]);
}

TEST_P(SurveyGuards, TheAllowanceFollowsTheClientBehindTheTrustedProxy) {
  const json round = open_round(1000);
  const json eit = answers("EIT");
  const std::string path = round["api"]["eit"].get<std::string>();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(send_api(path, eit, "203.0.113.5").status, 201) << i;
  const auto over = send_api(path, eit, "203.0.113.5");
  EXPECT_EQ(over.status, 429);
  EXPECT_GE(std::stoi(header_of(over, "retry-after")), 1);
  EXPECT_NE(over.body.find("กรุณารอ"), std::string::npos) << over.body;
  // The proxy appends the address it saw: an entry the client wrote before it changes nothing.
  EXPECT_EQ(send_api(path, eit, "198.51.100.77, 203.0.113.5").status, 429);
  EXPECT_EQ(send_api(path, eit, "203.0.113.5, 198.51.100.9").status, 201) << "another client";
  EXPECT_EQ(stored(round, ToolId::EIT), 11);

  // Showing forms has its own allowance: the client that may send no more may still open one, and
  // past its burst gets a Thai page.
  for (int i = 0; i < 10; ++i) open_form(round, "eit", "203.0.113.5");
  const std::string link = round["links"]["iit"];
  const auto page =
      raw("GET", link.substr(link.find("/s/")), "", {{"X-Forwarded-For", "203.0.113.5"}});
  EXPECT_EQ(page.status, 429);
  EXPECT_NE(page.body.find("กรุณารอสักครู่"), std::string::npos);
  EXPECT_FALSE(header_of(page, "retry-after").empty());
  EXPECT_EQ(page.body.find("href=\"/\""), std::string::npos) << "no way to the login";
}

// A respondent behind a busy office address who sends too soon gets the questionnaire back with
// every answer still chosen and a Thai notice; sent again from another address, it is stored.
TEST_P(SurveyGuards, ASendTooSoonComesBackWithItsAnswersKept) {
  const json round = open_round(1000);
  const json eit = answers("EIT");
  const std::string path = round["api"]["eit"].get<std::string>();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(send_api(path, eit, "203.0.113.8").status, 201) << i;
  const OpenForm f = open_form(round, "eit", "203.0.113.8");
  const auto over = send_form(f, eit, "", "203.0.113.8");
  EXPECT_EQ(over.status, 429);
  EXPECT_GE(std::stoi(header_of(over, "retry-after")), 1);
  EXPECT_NE(over.body.find("กรุณารอประมาณ"), std::string::npos);
  EXPECT_NE(over.body.find("คำตอบยังไม่ถูกบันทึก"), std::string::npos);
  std::size_t checked = 0;
  for (auto at = over.body.find(" checked"); at != std::string::npos;
       at = over.body.find(" checked", at + 1))
    ++checked;
  EXPECT_EQ(checked, eit.size()) << "every answer chosen again";
  EXPECT_EQ(hidden_value(over.body, "form_token"), f.form_token) << "the same form, still unsent";
  EXPECT_EQ(stored(round, ToolId::EIT), 10);
  EXPECT_EQ(send_form(f, eit, "", "198.51.100.20").status, 303);
  EXPECT_EQ(stored(round, ToolId::EIT), 11);
}

TEST_P(SurveyGuards, AFormIsStoredOnceAndItsThankYouPageStoresNothing) {
  const json round = open_round(30);
  const json iit = answers("IIT");
  const OpenForm f = open_form(round, "iit");
  ASSERT_EQ(f.form_token.size(), f.form_token.find('.') + 33) << f.form_token;
  const auto sent = send_form(f, iit);
  ASSERT_EQ(sent.status, 303) << sent.body.substr(0, 400);
  EXPECT_EQ(header_of(sent, "location"), f.path + "/thanks");
  EXPECT_EQ(stored(round, ToolId::IIT), 1);
  const std::string today = format_thai_date(service::thai_today());
  for (int reload = 0; reload < 3; ++reload) {
    const auto thanks = raw("GET", header_of(sent, "location"), "", {});
    ASSERT_EQ(thanks.status, 200);
    EXPECT_NE(thanks.body.find("ขอบคุณที่ตอบแบบสำรวจ"), std::string::npos);
    EXPECT_NE(thanks.body.find(today), std::string::npos) << "a Thai date, BE";
    EXPECT_EQ(thanks.body.find("/login"), std::string::npos);
    EXPECT_EQ(thanks.body.find("href=\"/\""), std::string::npos);
    EXPECT_EQ(header_of(thanks, "cache-control"), "no-store");
  }
  // The browser sends the same form again (back and send, a second click): stored already.
  const auto again = send_form(f, iit);
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(header_of(again, "location"), f.path + "/thanks");
  EXPECT_EQ(stored(round, ToolId::IIT), 1);

  // The one-time value is in no row of any table, nor its hash.
  auto db = raw_db();
  const std::string tables_sql =
      GetParam() == "sqlite"
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
          : "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE'";
  const std::string random_part = f.form_token.substr(f.form_token.find('.') + 1);
  const std::string hash = sha256_hex(f.form_token);
  for (const auto& t : db->query(tables_sql)) {
    for (const auto& row : db->query("SELECT * FROM " + *t.at(0))) {
      for (const auto& v : row) {
        if (!v) continue;
        EXPECT_EQ(v->find(random_part), std::string::npos) << *t.at(0);
        EXPECT_EQ(v->find(hash), std::string::npos) << *t.at(0);
      }
    }
  }
}

TEST_P(SurveyGuards, AFormSentManyTimesAtOnceIsStoredOnce) {
  const json round = open_round(30);
  const json eit = answers("EIT");
  const OpenForm f = open_form(round, "eit");
  std::vector<HttpResponse> replies(6);
  std::vector<std::thread> clicks;
  for (std::size_t i = 0; i < replies.size(); ++i)
    clicks.emplace_back(
        [&, i] { replies[i] = send_form(f, eit, "", "192.0.2." + std::to_string(i)); });
  for (auto& t : clicks) t.join();
  for (const auto& r : replies) {
    EXPECT_EQ(r.status, 303) << r.body.substr(0, 300);
    EXPECT_EQ(header_of(r, "location"), f.path + "/thanks");
  }
  EXPECT_EQ(stored(round, ToolId::EIT), 1);
}

TEST_P(SurveyGuards, AFormWithoutAUsableOneTimeValueComesBackWithAFreshOne) {
  const json round = open_round(30);
  const json iit = answers("IIT");
  OpenForm f = open_form(round, "iit");
  for (const std::string& stale : {std::string(""), std::string("1.") + std::string(32, 'a')}) {
    OpenForm old = f;
    old.form_token = stale;
    const auto back = send_form(old, iit);
    EXPECT_EQ(back.status, 409);
    EXPECT_NE(back.body.find("กรุณาตรวจคำตอบแล้วกดส่งอีกครั้ง"), std::string::npos);
    EXPECT_NE(back.body.find("checked"), std::string::npos) << "the answers are kept";
    const std::string fresh = hidden_value(back.body, "form_token");
    EXPECT_FALSE(fresh.empty());
    EXPECT_NE(fresh, f.form_token);
    EXPECT_EQ(stored(round, ToolId::IIT), 0);
    f.form_token = fresh;
  }
  EXPECT_EQ(send_form(f, iit).status, 303);
  EXPECT_EQ(stored(round, ToolId::IIT), 1);
}

TEST_P(SurveyGuards, AWrongAccessCodeKeepsTheFormUsable) {
  const json round = open_round(30, std::nullopt, true);
  const std::int64_t id = round["id"];
  const std::string code = random_token(5);
  store_->add_access_codes(id, {sha256_hex(code)}, admin_user_.id);
  const json iit = answers("IIT");
  const OpenForm f = open_form(round, "iit");
  const auto wrong = send_form(f, iit, "nope");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(hidden_value(wrong.body, "form_token"), f.form_token);
  EXPECT_EQ(send_form(f, iit, code).status, 303);
  EXPECT_EQ(stored(round, ToolId::IIT), 1);
}

TEST_P(SurveyGuards, TheCapRefusesIitResponsesPastTheStatedStaff) {
  const json round = open_round(3);
  EXPECT_EQ(round["response_cap_percent"], 100);
  EXPECT_EQ(round["progress"][0]["cap"], 3);
  EXPECT_TRUE(round["progress"][1]["cap"].is_null()) << "EIT is not capped";
  const json iit = answers("IIT");
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(send_api(round["api"]["iit"].get<std::string>(), iit, "192.0.2.1").status, 201) << i;
  const auto refused = send_api(round["api"]["iit"].get<std::string>(), iit, "192.0.2.2");
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("ได้รับคำตอบครบ"), std::string::npos) << refused.body;
  const auto form = send_form(open_form(round, "iit"), iit, "", "192.0.2.3");
  EXPECT_EQ(form.status, 409);
  EXPECT_NE(form.body.find("ได้รับคำตอบครบ"), std::string::npos);
  EXPECT_EQ(stored(round, ToolId::IIT), 3);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(send_api(round["api"]["eit"].get<std::string>(), answers("EIT"), "192.0.2.4").status,
              201);
  EXPECT_EQ(stored(round, ToolId::EIT), 4);

  // An officer may choose a wider cap, or none.
  const json none = open_round(2, json(nullptr));
  EXPECT_TRUE(none["response_cap_percent"].is_null());
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(send_api(none["api"]["iit"].get<std::string>(), iit, "192.0.2.5").status, 201);
  EXPECT_EQ(api("POST", "/api/v1/rounds",
                {{"agency_id", agency_},
                 {"edition", "2564"},
                 {"staff_count", 3},
                 {"service_users", 3},
                 {"response_cap_percent", 50}},
                admin_)
                .status,
            422);
}

// Rounds opened before schema version 6 get the cap with responses already stored: those count.
TEST_P(SurveyGuards, ACapCountsTheResponsesStoredBeforeIt) {
  const json round = open_round(4, json(nullptr));
  const json iit = answers("IIT");
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(send_api(round["api"]["iit"].get<std::string>(), iit, "192.0.2.6").status, 201);
  auto db = raw_db();
  ASSERT_TRUE(db->succeeds("UPDATE rounds SET response_cap_percent = 100 WHERE id = " +
                           std::to_string(round["id"].get<int>())));
  EXPECT_EQ(send_api(round["api"]["iit"].get<std::string>(), iit, "192.0.2.6").status, 201);
  EXPECT_EQ(send_api(round["api"]["iit"].get<std::string>(), iit, "192.0.2.6").status, 409);
  EXPECT_EQ(stored(round, ToolId::IIT), 4);
}

TEST_P(SurveyGuards, TheRoundIdRouteIsForTheRoundsOfficersAndAdministrators) {
  const json round = open_round(30);
  const std::string by_id =
      "/api/v1/rounds/" + std::to_string(round["id"].get<int>()) + "/responses/iit";
  const json body = {{"answers", answers("IIT")}};
  const auto officer = add_user("officer@test", store::Role::Officer, agency_);
  const auto viewer = add_user("viewer@test", store::Role::Viewer, agency_);
  const auto other = api("POST", "/api/v1/agencies", {{"name", "อื่น"}}, admin_);
  const auto stranger =
      add_user("stranger@test", store::Role::Officer, json::parse(other.body)["id"].get<int>());
  EXPECT_EQ(api("POST", by_id, body, "").status, 401);
  EXPECT_EQ(api("POST", by_id, body, token_for(viewer)).status, 403);
  EXPECT_EQ(api("POST", by_id, body, token_for(stranger)).status, 404);
  EXPECT_EQ(api("POST", by_id, body, token_for(officer)).status, 201);
  EXPECT_EQ(api("POST", by_id, body, admin_).status, 201);
  EXPECT_EQ(api("POST", "/api/v1/s/0123456789abcdef/responses", body, "").status, 404);
  EXPECT_EQ(stored(round, ToolId::IIT), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, SurveyGuards, ::testing::Values("sqlite", "postgres"));

// Without --trusted-proxy, X-Forwarded-For is the client's own claim: the allowance is the
// connection's address's.
class SurveyGuardsNoProxy : public SurveyGuards {
 protected:
  AppOptions options() const override {
    AppOptions o = SurveyGuards::options();
    o.trusted_proxies.clear();
    return o;
  }
};

TEST_P(SurveyGuardsNoProxy, AForgedForwardedAddressGetsNoFreshAllowance) {
  const json round = open_round(1000);
  const json eit = answers("EIT");
  int ok = 0;
  for (int i = 0; i < 20; ++i)
    ok += send_api(round["api"]["eit"].get<std::string>(), eit, "198.51.100." + std::to_string(i))
              .status == 201;
  EXPECT_GE(ok, 10);
  EXPECT_LE(ok, 11);
}

INSTANTIATE_TEST_SUITE_P(Backends, SurveyGuardsNoProxy, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
