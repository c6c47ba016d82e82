// CSV/XLSX downloads of a round (GET /rounds/{id}/export/{file}) over HTTP, against SQLite and
// PostgreSQL: the files agree with GET /api/v1/rounds/{id}/result, the raw answers re-score to
// the same result through `ita score`, and the roles are enforced.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "io/answers_csv.hpp"
#include "io/edition_registry.hpp"
#include "service/calendar.hpp"
#include "service/rounds.hpp"
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
namespace fs = std::filesystem;

constexpr const char* kBom = "\xEF\xBB\xBF";
constexpr const char* kAgencyName = "เทศบาลตำบลส่งออก, \"ทดสอบ\"";

class Exports : public testing::AppFixture {
 protected:
  std::string user_token(const std::string& email, store::Role role,
                         std::optional<std::int64_t> agency) {
    return token_for(add_user(email, role, agency));
  }

  HttpResponse download(std::int64_t round, const std::string& file, const std::string& token,
                        std::map<std::string, std::string> headers = {}) {
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return http(port_, "GET", "/rounds/" + std::to_string(round) + "/export/" + file, "", headers);
  }

  // An agency and a 2564 round with answers submitted through the API; OIT judged when `judge`.
  struct Filled {
    std::int64_t agency = 0;
    std::int64_t round = 0;
    std::string officer, assessor, viewer;
  };
  Filled fill(bool judge) {
    Filled f;
    auto a = api("POST", "/api/v1/agencies",
                 {{"name", kAgencyName},
                  {"district", "แม่สาย"},
                  {"province", "เชียงราย"},
                  {"type", "เทศบาลตำบล"}},
                 admin_);
    EXPECT_EQ(a.status, 201) << a.body;
    f.agency = json::parse(a.body)["id"];
    f.officer = user_token("officer@test", store::Role::Officer, f.agency);
    f.assessor = user_token("assessor@test", store::Role::Assessor, std::nullopt);
    f.viewer = user_token("viewer@test", store::Role::Viewer, f.agency);
    auto r = api(
        "POST", "/api/v1/rounds",
        {{"agency_id", f.agency}, {"edition", "2564"}, {"staff_count", 30}, {"service_users", 400}},
        f.officer);
    EXPECT_EQ(r.status, 201) << r.body;
    f.round = json::parse(r.body)["id"];
    const json api_links = json::parse(r.body)["api"];
    const auto agency = testing::make_agency(testing::edition_path("2564"), 41, 11, 17);
    std::map<std::string, std::pair<std::string, json>> respondents;
    for (const auto& row : agency.rows) {
      if (row.tool == "OIT") continue;
      respondents[row.respondent].first = row.tool;
      respondents[row.respondent].second[row.item] = row.answer;
    }
    for (const auto& [who, answers] : respondents) {
      const std::string tool = answers.first == "IIT" ? "iit" : "eit";
      const auto res =
          api("POST", api_links[tool].get<std::string>(), {{"answers", answers.second}}, "");
      EXPECT_EQ(res.status, 201) << res.body;
    }
    if (!judge) return f;
    const std::string base = "/api/v1/rounds/" + std::to_string(f.round) + "/oit/";
    bool appealed = false;
    for (const auto& row : agency.rows) {
      if (row.tool != "OIT") continue;
      EXPECT_EQ(
          api("PUT", base + row.item, {{"url", "https://agency.example/" + row.item}}, f.officer)
              .status,
          200);
      const bool pass = row.answer == "pass";
      EXPECT_EQ(
          api("POST", base + row.item + "/review",
              {{"verdict", pass ? "pass" : "fail"}, {"comment", pass ? "" : "ไม่ครบ"}}, f.assessor)
              .status,
          200);
      if (!pass && !appealed) {  // one failed item appealed and confirmed as a pass
        EXPECT_EQ(
            api("POST", base + row.item + "/appeal", {{"explanation", "อยู่ในหน้าเดิม"}}, f.officer)
                .status,
            200);
        EXPECT_EQ(
            api("POST", base + row.item + "/confirm", {{"verdict", "pass"}}, f.assessor).status,
            200);
        appealed = true;
      }
    }
    EXPECT_TRUE(appealed);
    return f;
  }

  void close(std::int64_t round) {
    service::close_round(*store_, round, std::nullopt, service::thai_today());
  }
};

// CSV body → rows of fields (one record per line: these exports have no embedded newlines).
std::vector<std::vector<std::string>> parse_csv(std::string body) {
  if (body.starts_with(kBom)) body.erase(0, 3);
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto f = io::split_csv_line(line);
    EXPECT_TRUE(f.has_value()) << line;
    if (f) rows.push_back(*f);
  }
  return rows;
}

std::map<std::string, std::string> record(const std::vector<std::vector<std::string>>& rows,
                                          std::size_t i) {
  std::map<std::string, std::string> out;
  for (std::size_t c = 0; c < rows.at(0).size() && c < rows.at(i).size(); ++c)
    out[rows[0][c]] = rows[i][c];
  return out;
}

std::string two_decimals(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// `ita ARGS` through the shell; standard output and the exit status.
std::pair<int, std::string> ita(const std::string& args) {
  FILE* p = ::popen((std::string(ITA_BINARY) + " " + args + " 2>&1").c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST_P(Exports, ResultsItemsAndAnswersAgreeWithTheApiResult) {
  const Filled f = fill(true);
  close(f.round);  // raw answers are released once the round is closed (service/release.hpp)
  const auto api_result =
      api("GET", "/api/v1/rounds/" + std::to_string(f.round) + "/result", nullptr, f.viewer);
  ASSERT_EQ(api_result.status, 200) << api_result.body;
  const json want = json::parse(api_result.body);

  // results.csv
  const auto results = download(f.round, "results.csv", f.viewer);
  ASSERT_EQ(results.status, 200) << results.body;
  EXPECT_EQ(results.headers.at("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(results.headers.at("content-disposition"),
            "attachment; filename=\"ita-results-round-" + std::to_string(f.round) + ".csv\"");
  EXPECT_TRUE(results.body.starts_with(kBom)) << "a BOM, for Excel";
  EXPECT_NE(results.body.find("\r\n"), std::string::npos);
  const auto rows = parse_csv(results.body);
  ASSERT_EQ(rows.size(), 2u);
  auto r = record(rows, 1);
  EXPECT_EQ(r["agency_name"], kAgencyName);
  EXPECT_EQ(r["round_id"], std::to_string(f.round));
  EXPECT_EQ(r["total"], two_decimals(want["total"].get<double>()));
  EXPECT_EQ(r["level_code"], want["level"]["code"]);
  EXPECT_EQ(r["level_th"], want["level"]["label_th"]);
  EXPECT_EQ(r["iit_respondents"], "11");
  EXPECT_EQ(r["eit_respondents"], "17");
  for (const auto& t : want["tools"]) {
    std::string code = t["id"];
    for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(r[code], two_decimals(t["score"].get<double>())) << code;
  }
  for (const auto& i : want["indicators"]) {
    const std::string id = std::to_string(i["id"].get<int>());
    EXPECT_EQ(r["i" + id], two_decimals(i["score"].get<double>())) << id;
    EXPECT_EQ(r["rank_i" + id], std::to_string(i["rank"].get<int>())) << id;
  }
  EXPECT_FALSE(r.contains("total_exact"));
  const auto exact = download(f.round, "results.csv?exact=1", f.viewer);
  ASSERT_EQ(exact.status, 200);
  EXPECT_NEAR(std::stod(record(parse_csv(exact.body), 1)["total_exact"]),
              want["total_exact"].get<double>(), 1e-9);

  // items.csv: one row per item of the result, the same rounded scores.
  const auto items = download(f.round, "items.csv", f.viewer);
  ASSERT_EQ(items.status, 200) << items.body;
  const auto item_rows = parse_csv(items.body);
  ASSERT_EQ(item_rows.size(), 1 + want["items"].size());
  for (std::size_t i = 0; i < want["items"].size(); ++i) {
    auto row = record(item_rows, i + 1);
    EXPECT_EQ(row["item"], want["items"][i]["code"]);
    EXPECT_EQ(row["score"], two_decimals(want["items"][i]["score"].get<double>()));
  }

  // answers.csv re-scores to the same result through `ita score`, without the stored ids.
  const auto answers = download(f.round, "answers.csv", f.officer);
  ASSERT_EQ(answers.status, 200) << answers.body;
  EXPECT_EQ(answers.headers.at("content-disposition"),
            "attachment; filename=\"ita-answers-round-" + std::to_string(f.round) + ".csv\"");
  EXPECT_EQ(answers.headers.at("cache-control"), "no-store");
  std::set<std::string> stored;
  store_->for_each_answer(f.round,
                          [&](const store::AnswerRow& a) { stored.insert(a.response_id); });
  ASSERT_EQ(stored.size(), 28u);
  for (const auto& id : stored) EXPECT_EQ(answers.body.find(id), std::string::npos);
  const fs::path file =
      fs::temp_directory_path() /
      ("ita-export-web-" + std::to_string(::getpid()) + "-" + GetParam() + ".csv");
  {
    std::ofstream out(file, std::ios::binary);
    out << answers.body;
  }
  const auto [code, text] = ita("score " + file.string() + " --edition 2564 --json");
  fs::remove(file);
  ASSERT_EQ(code, 0) << text;
  const json again = json::parse(text);
  EXPECT_EQ(again["total"], want["total"]);
  EXPECT_NEAR(again["total_exact"].get<double>(), want["total_exact"].get<double>(), 1e-9);
  EXPECT_EQ(again["level"], want["level"]);
  EXPECT_EQ(again["respondents"], want["respondents"]);
  for (std::size_t i = 0; i < want["indicators"].size(); ++i) {
    EXPECT_NEAR(again["indicators"][i]["score_exact"].get<double>(),
                want["indicators"][i]["score_exact"].get<double>(), 1e-9);
  }

  // XLSX: a zip (PK) with its content type and name.
  for (const char* name : {"results.xlsx", "items.xlsx"}) {
    const auto x = download(f.round, name, f.assessor);
    ASSERT_EQ(x.status, 200) << name << ": " << x.body;
    EXPECT_TRUE(x.body.starts_with("PK\x03\x04")) << name;
    EXPECT_EQ(x.headers.at("content-type"),
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_NE(x.headers.at("content-disposition").find(".xlsx\""), std::string::npos);
  }

  // The result page links the downloads.
  const auto page = http(port_, "GET", "/rounds/" + std::to_string(f.round) + "/result", "",
                         {{"Authorization", "Bearer " + f.viewer}});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("/rounds/" + std::to_string(f.round) + "/export/results.xlsx"),
            std::string::npos);
  EXPECT_NE(page.body.find("/rounds/" + std::to_string(f.round) + "/export/answers.csv"),
            std::string::npos);
}

TEST_P(Exports, ResultNotComputableYetIs409ButAnswersDownload) {
  const Filled f = fill(false);
  close(f.round);
  for (const char* name : {"results.csv", "results.xlsx", "items.csv", "items.xlsx"}) {
    const auto r = download(f.round, name, f.viewer, {{"Accept", "application/json"}});
    EXPECT_EQ(r.status, 409) << name;
    const json j = json::parse(r.body);
    EXPECT_EQ(j["error"]["status"], 409);
    ASSERT_TRUE(j["error"]["missing"].is_array());
    EXPECT_NE(j["error"]["missing"].dump().find("O1"), std::string::npos)
        << "names the OIT items not judged";
  }
  const auto page = download(f.round, "results.csv", f.viewer);
  EXPECT_EQ(page.status, 409);
  EXPECT_NE(page.body.find("ยังคำนวณผลไม่ได้"), std::string::npos);
  const auto answers = download(f.round, "answers.csv", f.viewer);
  ASSERT_EQ(answers.status, 200);
  const auto rows = parse_csv(answers.body);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{"tool", "respondent", "item", "answer"}));
  for (const auto& row : rows) EXPECT_NE(row[0], "OIT") << "no verdicts yet";
  EXPECT_GT(rows.size(), 28u);
}

TEST_P(Exports, RolesAndUnknownFiles) {
  const Filled f = fill(false);
  close(f.round);
  // No credentials: 401 for a JSON client, the login page for a browser; a bad token is 401.
  EXPECT_EQ(download(f.round, "answers.csv", "", {{"Accept", "application/json"}}).status, 401);
  const auto browser = download(f.round, "answers.csv", "");
  EXPECT_EQ(browser.status, 303);
  EXPECT_EQ(browser.headers.at("location"), "/login");
  EXPECT_EQ(download(f.round, "answers.csv", "not-a-token").status, 401);
  // Users of another agency may not download this agency's data.
  auto other = api("POST", "/api/v1/agencies", {{"name", "อบต.อื่น"}}, admin_);
  const std::int64_t other_agency = json::parse(other.body)["id"];
  const std::string stranger = user_token("stranger@test", store::Role::Officer, other_agency);
  const std::string outsider = user_token("outsider@test", store::Role::Viewer, other_agency);
  for (const char* name : {"answers.csv", "results.csv", "items.xlsx"}) {
    const auto r = download(f.round, name, stranger);
    EXPECT_EQ(r.status, 403) << name;
    EXPECT_EQ(r.body.find("tool,respondent"), std::string::npos);
    EXPECT_EQ(download(f.round, name, outsider).status, 403) << name;
  }
  // Anyone who can view the agency may: its officer and viewer, assessors, administrators.
  for (const std::string& who : {f.officer, f.viewer, f.assessor, admin_})
    EXPECT_EQ(download(f.round, "answers.csv", who).status, 200);
  // Unknown rounds and files.
  EXPECT_EQ(download(999999, "answers.csv", admin_).status, 404);
  EXPECT_EQ(download(f.round, "answers.xlsx", admin_).status, 404);
  EXPECT_EQ(download(f.round, "secrets.csv", admin_).status, 404);
  EXPECT_EQ(http(port_, "GET", "/rounds/abc/export/answers.csv", "",
                 {{"Authorization", "Bearer " + admin_}})
                .status,
            404);
}

INSTANTIATE_TEST_SUITE_P(Backends, Exports, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
