// The national dashboard over HTTP on loopback, against SQLite and a real PostgreSQL: figures
// equal to the per-round scores, filters, sorting, suppression of small groups, bad parameters.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/rounding.hpp"
#include "service/calendar.hpp"
#include "service/rounds.hpp"
#include "support/synthetic.hpp"
#include "web/app_fixture.hpp"
#include "web/http.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::HttpResponse;

constexpr std::size_t kMinGroup = 3;

class Dashboard : public testing::AppFixture {
 protected:
  AppOptions options() const override {
    AppOptions o{"http://127.0.0.1:1"};
    o.db_url = db_.url;
    o.dashboard_min_group = kMinGroup;
    o.dashboard_refresh_seconds = 0;  // every request sees the database as it is
    return o;
  }

  void TearDown() override {
    AppFixture::TearDown();
    for (const auto& f : files_) std::filesystem::remove(f);
  }

  // An agency with a scored round on `edition` (answers from seed `seed`); returns the round id.
  std::int64_t scored_agency(const std::string& name, const std::string& province,
                             const std::string& type, const std::string& edition,
                             std::uint32_t seed) {
    const auto a = store_->create_agency({0, name, "เมือง", province, type}, admin_user_.id);
    return scored_round(a.id, edition, seed);
  }

  // Edition 2564 under another id and fiscal year, loaded as a user's edition file.
  std::string user_edition(const std::string& id) {
    std::ifstream in(testing::edition_path("2564"));
    json e = json::parse(in);
    e["id"] = id;
    e["fiscal_year"] = std::stoi(id);
    const std::string path =
        (std::filesystem::temp_directory_path() / ("ita-dashboard-" + random_token(6) + ".json"))
            .string();
    std::ofstream(path) << e.dump();
    editions_.add_file(path);
    files_.push_back(path);
    return path;
  }

  std::int64_t scored_round(std::int64_t agency, const std::string& edition, std::uint32_t seed,
                            const std::string& edition_file = "") {
    store::Round r;
    r.agency_id = agency;
    r.edition_id = edition;
    r.staff_count = 10;
    r.service_users = 100;
    r.iit_token = random_token(8);
    r.eit_token = random_token(8);
    r.status = store::RoundStatus::Open;
    const auto round = store_->create_round(r, admin_user_.id);
    const auto data = testing::make_agency(
        edition_file.empty() ? testing::edition_path(edition) : edition_file, seed, 4, 5);
    std::map<std::string, store::NewResponse> responses;
    for (const auto& row : data.rows) {
      if (row.tool == "OIT") {
        store_->put_oit_evidence(round.id, row.item, "https://test.go.th/" + row.item, "",
                                 admin_user_.id);
        store_->review_oit(round.id, row.item, row.answer == "pass", "", admin_user_.id);
        continue;
      }
      auto& resp = responses[row.respondent];
      resp.round_id = round.id;
      resp.tool = *parse_tool(row.tool);
      resp.day = "2021-05-01";
      resp.answers[row.item] = row.answer;
    }
    for (const auto& [_, resp] : responses) store_->submit_response(resp);
    // Closed: its figures are final (an open round shows only its last release,
    // service/release.hpp; see tests/web/release_web_test.cpp).
    service::close_round(*store_, round.id, std::nullopt, service::thai_today());
    return round.id;
  }

  HttpResponse fetch(const std::string& target, bool with_token = true) {
    std::map<std::string, std::string> h;
    if (with_token) h["Authorization"] = "Bearer " + admin_;
    return raw("GET", target, "", h);
  }

  json dashboard(const std::string& query = "") {
    const auto r = fetch("/api/v1/dashboard" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }

  // The API's own result of the round, the per-round engine.
  json round_result(std::int64_t round) {
    const auto r = fetch("/api/v1/rounds/" + std::to_string(round) + "/result");
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }

  std::vector<std::string> files_;
};

std::string two_decimals(const json& v) {
  return format2(round2(v.get<double>()));
}

TEST_P(Dashboard, FiguresEqualThePerRoundResultsAndSmallGroupsAreSuppressed) {
  std::map<std::int64_t, std::int64_t> round_of_agency;
  for (std::uint32_t i = 0; i < 4; ++i) {
    scored_agency("เทศบาลตำบลเชียงราย " + std::to_string(i), "เชียงราย", "เทศบาลตำบล", "2564",
                  10 + i);
  }
  scored_agency("อบต.น่าน <script>x</script>", "น่าน", "อบต.", "2564", 20);
  scored_agency("อบต.น่าน 2", "น่าน", "อบต.", "2564", 21);
  const auto unscored =
      store_->create_agency({0, "ยังไม่มีคำตอบ", "", "เชียงราย", "อบต."}, admin_user_.id);
  store::Round empty;
  empty.agency_id = unscored.id;
  empty.edition_id = "2564";
  empty.iit_token = random_token(8);
  empty.eit_token = random_token(8);
  empty.status = store::RoundStatus::Open;
  store_->create_round(empty, admin_user_.id);

  const json d = dashboard();
  EXPECT_EQ(d["fiscal_year"], 2564);
  EXPECT_EQ(d["agencies"], 6);
  EXPECT_EQ(d["unscored_rounds"], 1);
  ASSERT_EQ(d["rows"].size(), 6U);
  // Each row carries the round's own result, rounded as the result page shows it.
  std::vector<std::string> totals;
  for (const auto& row : d["rows"]) {
    const json want = round_result(row["round_id"]);
    EXPECT_EQ(row["scores"]["total"], two_decimals(want["total"])) << row;
    EXPECT_EQ(row["level"]["code"], want["level"]["code"]);
    totals.push_back(row["scores"]["total"]);
  }
  // Default order: national rank, i.e. totals descending.
  EXPECT_TRUE(std::is_sorted(
      totals.begin(), totals.end(),
      [](const std::string& a, const std::string& b) { return std::stod(a) > std::stod(b); }));
  for (std::size_t i = 0; i < d["rows"].size(); ++i)
    EXPECT_EQ(d["rows"][i]["national_rank"], i + 1);

  std::size_t level_total = 0, binned = 0;
  for (const auto& l : d["levels"]) level_total += l["count"].get<std::size_t>();
  for (const auto& b : d["histogram"]) binned += b["count"].get<std::size_t>();
  EXPECT_EQ(level_total, 6U);
  EXPECT_EQ(binned, 6U);

  // น่าน has 2 agencies (< 3): named, but no figures; เชียงราย has 4 scored.
  ASSERT_EQ(d["provinces"].size(), 2U);
  const json& chiang_rai =
      d["provinces"][0]["key"] == "เชียงราย" ? d["provinces"][0] : d["provinces"][1];
  const json& nan = d["provinces"][0]["key"] == "น่าน" ? d["provinces"][0] : d["provinces"][1];
  EXPECT_FALSE(chiang_rai["suppressed"]);
  EXPECT_EQ(chiang_rai["count"], 4);
  EXPECT_TRUE(nan["suppressed"]);
  EXPECT_FALSE(nan.contains("count"));
  EXPECT_FALSE(nan.contains("scores"));

  // Filtering to น่าน leaves 2 agencies: the whole table and its figures are withheld.
  const json small = dashboard("?province=%E0%B8%99%E0%B9%88%E0%B8%B2%E0%B8%99");
  EXPECT_TRUE(small["suppressed"]);
  EXPECT_TRUE(small["rows"].empty());
  EXPECT_TRUE(small["agencies"].is_null());
  EXPECT_FALSE(small.contains("levels"));
  // The province table (not narrowed by the province filter) keeps its level counts.
  for (const auto& g : small["provinces"]) {
    if (g["key"] != "เชียงราย") continue;
    ASSERT_EQ(g["levels"].size(), 7U) << "AA..F of 2564";
    std::size_t n = 0;
    for (const auto& l : g["levels"]) n += l["count"].get<std::size_t>();
    EXPECT_EQ(n, 4U);
  }

  // The page escapes names and says what it withholds.
  const auto page = fetch("/dashboard");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<script>x</script>"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.body.find("น้อยกว่า 3 หน่วยงาน ไม่แสดงผล"), std::string::npos);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
}

TEST_P(Dashboard, SortsFiltersPagesAndShowsTheTrend) {
  std::vector<std::int64_t> agencies;
  for (std::uint32_t i = 0; i < 4; ++i) {
    const auto a =
        store_->create_agency({0, "หน่วยงาน " + std::string(1, static_cast<char>('D' - i)), "",
                               "เชียงราย", i % 2 ? "อบต." : "เทศบาลตำบล"},
                              admin_user_.id);
    scored_round(a.id, "2564", 30 + i);
    agencies.push_back(a.id);
  }
  // The built-in editions after 2564 list only part of their items, so raw answers cannot be
  // scored on them: a user edition for FY2565 (2564's questionnaire) gives the second year.
  const std::string fy2565 = user_edition("2565");
  for (auto a : agencies) scored_round(a, "2565", 40 + static_cast<std::uint32_t>(a), fy2565);

  const json latest = dashboard();
  EXPECT_EQ(latest["fiscal_year"], 2565) << "the latest year by default";
  EXPECT_EQ(latest["fiscal_years"], json::array({2564, 2565}));
  ASSERT_EQ(latest["trend"].size(), 2U);
  EXPECT_EQ(latest["trend"][0]["fiscal_year"], 2564);
  EXPECT_EQ(latest["trend"][1]["count"], 4);

  const json by_name = dashboard("?year=2564&sort=name&dir=asc");
  ASSERT_EQ(by_name["rows"].size(), 4U);
  EXPECT_EQ(by_name["rows"][0]["name"], "หน่วยงาน A");
  EXPECT_EQ(by_name["rows"][3]["name"], "หน่วยงาน D");
  const json by_iit = dashboard("?year=2564&sort=iit");
  EXPECT_EQ(by_iit["dir"], "desc");
  for (std::size_t i = 1; i < 4; ++i) {
    EXPECT_GE(std::stod(by_iit["rows"][i - 1]["scores"]["IIT"].get<std::string>()),
              std::stod(by_iit["rows"][i]["scores"]["IIT"].get<std::string>()));
  }
  // อบต. alone is 2 agencies: below the minimum.
  EXPECT_TRUE(dashboard("?year=2564&type=%E0%B8%AD%E0%B8%9A%E0%B8%95.")["suppressed"]);

  EXPECT_EQ(fetch("/api/v1/dashboard?sort=colour").status, 400);
  EXPECT_EQ(fetch("/api/v1/dashboard?dir=up").status, 400);
  EXPECT_EQ(fetch("/api/v1/dashboard?year=2599").status, 400);
  EXPECT_EQ(fetch("/api/v1/dashboard?year=abc").status, 400);
  EXPECT_EQ(fetch("/api/v1/dashboard?page=2").status, 400) << "4 rows fit one page";
  EXPECT_EQ(fetch("/api/v1/dashboard", false).status, 401);
  EXPECT_EQ(fetch("/dashboard", false).status, 303) << "to the login page";
  const auto page = fetch("/dashboard?year=2564&sort=total&dir=asc");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("sort=total&amp;dir=desc"), std::string::npos)
      << "the header link flips the order";
  EXPECT_NE(page.body.find("แนวโน้มรายปี"), std::string::npos);
}

// The <tr>…</tr> of the page that holds `needle`, or "" when none does.
std::string table_row(const std::string& html, const std::string& needle) {
  const auto at = html.find(needle);
  if (at == std::string::npos) return "";
  const auto from = html.rfind("<tr>", at);
  const auto to = html.find("</tr>", at);
  return html.substr(from, to - from);
}

TEST_P(Dashboard, ThePageShowsTheFiguresOfTheJsonAndOnlyToThoseAllowed) {
  for (std::uint32_t i = 0; i < 6; ++i) {
    scored_agency("หน่วยงาน \"" + std::to_string(i) + "\" & <b>", i < 3 ? "ลำปาง" : "แพร่",
                  i % 2 ? "อบต." : "กรม", "2564", 50 + i);
  }
  const json d = dashboard("?sort=level&dir=desc");
  const auto page = fetch("/dashboard?sort=level&dir=desc");
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(d["rows"].size(), 6U);
  // Rows: the same order, each with the JSON's scores, level and ranks.
  std::size_t last = 0;
  for (const auto& row : d["rows"]) {
    const std::string id = row["name"].get<std::string>();
    std::string escaped;
    for (char ch : id) {
      if (ch == '"')
        escaped += "&quot;";
      else if (ch == '&')
        escaped += "&amp;";
      else if (ch == '<')
        escaped += "&lt;";
      else if (ch == '>')
        escaped += "&gt;";
      else
        escaped += ch;
    }
    // The administrator may open every agency: each name links to its page.
    const std::string cell = "<td><a href=\"/agencies/" +
                             std::to_string(row["agency_id"].get<std::int64_t>()) + "\">" +
                             escaped + "</a></td>";
    const auto at = page.body.find(cell);
    ASSERT_NE(at, std::string::npos) << cell;
    EXPECT_GT(at, last) << "the page lists the rows in the JSON's order";
    last = at;
    const std::string tr = table_row(page.body, cell);
    for (const char* tool : {"IIT", "EIT", "OIT", "total"}) {
      EXPECT_NE(tr.find(">" + row["scores"][tool].get<std::string>() + "<"), std::string::npos)
          << tool << " " << tr;
    }
    EXPECT_NE(tr.find(">" + row["level"]["label_th"].get<std::string>() + "<"), std::string::npos);
    EXPECT_EQ(
        tr.find("<td class=\"num\">" + std::to_string(row["national_rank"].get<int>()) + "</td>"),
        0U + tr.find("<td class=\"num\">"))
        << "the first cell is the national rank: " << tr;
  }
  // Level order: the best level first (rule index ascending), ties by national rank.
  const json levels = d["levels"];
  auto level_pos = [&](const std::string& code) {
    for (std::size_t i = 0; i < levels.size(); ++i)
      if (levels[i]["code"] == code) return i;
    return levels.size();
  };
  for (std::size_t i = 1; i < d["rows"].size(); ++i) {
    const auto a = level_pos(d["rows"][i - 1]["level"]["code"]);
    const auto b = level_pos(d["rows"][i]["level"]["code"]);
    EXPECT_LE(a, b);
    if (a == b) {
      EXPECT_LT(d["rows"][i - 1]["national_rank"], d["rows"][i]["national_rank"]);
    }
  }
  EXPECT_NE(page.body.find("ระดับ ▼"), std::string::npos) << "the sorted column is marked";
  // A grade reads once: 2564 names its levels by their codes.
  for (const auto& l : d["levels"]) {
    const std::string code = l["code"];
    EXPECT_EQ(page.body.find(code + " (" + code + ")"), std::string::npos) << code;
  }
  // Level counts and shares, and each group's row, as in the JSON.
  for (const auto& l : d["levels"]) {
    const std::string tr =
        table_row(page.body, "<tr><td>" + l["code"].get<std::string>() + "</td>");
    EXPECT_NE(tr.find(">" + std::to_string(l["count"].get<int>()) + "<"), std::string::npos) << tr;
    EXPECT_NE(tr.find(">" + l["percent"].get<std::string>() + "<"), std::string::npos) << tr;
  }
  ASSERT_EQ(d["provinces"].size(), 2U);
  for (const auto& g : d["provinces"]) {
    ASSERT_FALSE(g["suppressed"]) << "3 agencies each, the minimum";
    std::string cells = "<td>" + g["key"].get<std::string>() + "</td><td class=\"num\">" +
                        std::to_string(g["count"].get<int>()) + "</td>";
    for (const char* tool : {"IIT", "EIT", "OIT", "total"})
      cells += "<td class=\"num\">" + g["scores"][tool].get<std::string>() + "</td>";
    for (const auto& l : g["levels"])
      cells += "<td class=\"num\">" + std::to_string(l["count"].get<int>()) + "</td>";
    EXPECT_NE(page.body.find(cells), std::string::npos) << cells;
  }
  // The filters offer the year's provinces and types.
  EXPECT_NE(page.body.find("<option>ลำปาง</option>"), std::string::npos);
  EXPECT_NE(page.body.find("<option>กรม</option>"), std::string::npos);
  EXPECT_NE(fetch("/dashboard?province=%E0%B9%81%E0%B8%9E%E0%B8%A3%E0%B9%88")
                .body.find("<option selected>แพร่</option>"),
            std::string::npos);

  // Roles: administrator (above), assessor and viewer see it, with a link in the header; an
  // agency's officer does not (403, no link), like any other agency's results.
  const auto agency = store_->agencies().front().id;
  const auto officer = add_user("officer@test", store::Role::Officer, agency);
  for (const auto& [user, status] :
       {std::pair{add_user("assessor@test", store::Role::Assessor, std::nullopt), 200},
        std::pair{add_user("viewer@test", store::Role::Viewer, agency), 200},
        std::pair{officer, 403}}) {
    const auto b = browser(user);
    EXPECT_EQ(get("/dashboard", b).status, status) << user.email;
    EXPECT_EQ(api("GET", "/api/v1/dashboard", nullptr, token_for(user)).status, status)
        << user.email;
    const auto home = get("/", b);
    EXPECT_EQ(home.status, 200);
    EXPECT_EQ(home.body.find("href=\"/dashboard\"") != std::string::npos, status == 200)
        << user.email;
  }
  const auto refused = api("GET", "/api/v1/dashboard", nullptr, token_for(officer));
  EXPECT_NE(refused.body.find("เจ้าหน้าที่ ITA ดูผลของหน่วยงานตนเอง"), std::string::npos) << refused.body;
}

// The agency ids of the data rows of a dashboard CSV (BOM, header of codes, CRLF), in order.
std::vector<std::int64_t> csv_agency_ids(const std::string& body) {
  std::vector<std::int64_t> ids;
  std::istringstream in(body);
  std::string line;
  std::getline(in, line);
  EXPECT_NE(line.find("national_rank,agency_id,agency_name"), std::string::npos) << line;
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    const auto comma = line.find(',');
    ids.push_back(std::stoll(line.substr(comma + 1, line.find(',', comma + 1) - comma - 1)));
  }
  return ids;
}

// The agency ids (column B) of the data rows of an XLSX body's first sheet, read by python3.
std::vector<std::int64_t> xlsx_agency_ids(const std::string& body) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("ita-dash-" + random_token(6) + ".xlsx")).string();
  std::ofstream(path, std::ios::binary) << body;
  const std::string command =
      "python3 -c \"import sys, zipfile, re\n"
      "x = zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml').decode()\n"
      "for m in re.finditer(r'<c r=.B([0-9]+).[^>]*><v>([^<]*)</v>', x):\n"
      "    print(m.group(2))\n"
      "\" '" +
      path + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  for (std::size_t n; pipe && (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;)
    out.append(buf.data(), n);
  if (pipe) ::pclose(pipe);
  std::filesystem::remove(path);
  std::vector<std::int64_t> ids;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) ids.push_back(std::stoll(line));
  return ids;
}

TEST_P(Dashboard, HeadlineFiguresComeFirstAndEqualTheData) {
  for (std::uint32_t i = 0; i < 5; ++i)
    scored_agency("อบต.ลำพูน " + std::to_string(i), "ลำพูน", "อบต.", "2564", 60 + i);
  const json d = dashboard();
  const auto page = fetch("/dashboard");
  ASSERT_EQ(page.status, 200);
  const std::string& html = page.body;
  EXPECT_NE(html.find("id=\"agencies-count\">5<"), std::string::npos);
  EXPECT_EQ(d["agencies"], 5);
  // The mean of the rows' own totals, as the headline shows it.
  double sum = 0;
  for (const auto& row : d["rows"]) sum += std::stod(row["scores"]["total"].get<std::string>());
  EXPECT_EQ(d["mean_total"], format2(round2(sum / 5)));
  EXPECT_NE(html.find("id=\"mean-total\">" + d["mean_total"].get<std::string>() + "<"),
            std::string::npos);
  const auto headline = html.find("class=\"headline\"");
  const auto filters = html.find("class=\"card filters\"");
  ASSERT_NE(headline, std::string::npos);
  ASSERT_NE(filters, std::string::npos);
  EXPECT_LT(headline, filters) << "the figures before the filters";
  EXPECT_EQ(html.find("“"), std::string::npos) << "no search, no search text shown";
  // The time of the figures as a Thai date with the BE year, never the ISO CE one.
  const std::string as_of = d["as_of"];
  EXPECT_EQ(html.find(as_of.substr(0, 10)), std::string::npos);
  // (The minute may differ: the page scans again.)
  EXPECT_NE(html.find(" " + std::to_string(std::stoi(as_of.substr(0, 4)) + 543) + " "),
            std::string::npos);
  // Each level's share among the headline figures, counts adding up to the agencies.
  std::size_t counted = 0;
  for (const auto& l : d["levels"]) {
    counted += l["count"].get<std::size_t>();
    const std::string share = "<span class=\"level-code\">" + l["code"].get<std::string>() +
                              "</span> <strong>" + l["percent"].get<std::string>() + "</strong>";
    const auto at = html.find(share);
    EXPECT_TRUE(at != std::string::npos && at < filters) << share;
  }
  EXPECT_EQ(counted, 5U);
  // The distribution chart is labelled and accessible; the provinces chart lists ลำพูน.
  EXPECT_NE(html.find("role=\"img\" aria-label=\"การกระจายของคะแนนรวม"), std::string::npos);
  EXPECT_NE(html.find("จำนวนหน่วยงาน</text>"), std::string::npos) << "the y axis is labelled";
  EXPECT_NE(html.find("ลำพูน</text>"), std::string::npos);
  EXPECT_NE(html.find("<summary>ตารางรายจังหวัด (1 จังหวัด)</summary>"), std::string::npos);
}

TEST_P(Dashboard, SearchNarrowsTheRankingAndNamesLinkOnlyForThoseAllowed) {
  std::vector<std::int64_t> ids;
  for (std::uint32_t i = 0; i < 6; ++i) {
    const std::string name = (i < 2 ? "โรงพยาบาลแพร่ Alpha " : "สำนักงานแพร่ ") + std::to_string(i);
    const auto a = store_->create_agency({0, name, "", "แพร่", "กรม"}, admin_user_.id);
    scored_round(a.id, "2564", 70 + i);
    ids.push_back(a.id);
  }
  // Thai text, server-side: the rows whose name holds it; the figures stay the filter's.
  const json thai = dashboard("?q=" + url_encode("โรงพยาบาล"));
  EXPECT_EQ(thai["q"], "โรงพยาบาล");
  EXPECT_EQ(thai["agencies"], 6);
  EXPECT_EQ(thai["matches"], 2);
  ASSERT_EQ(thai["rows"].size(), 2U);
  for (const auto& row : thai["rows"])
    EXPECT_NE(row["name"].get<std::string>().find("โรงพยาบาล"), std::string::npos);
  EXPECT_EQ(dashboard("?q=%20alpha%20")["matches"], 2) << "Latin letters in any case, trimmed";
  EXPECT_EQ(dashboard("?q=" + url_encode("ไม่มีชื่อนี้"))["rows"].size(), 0U);
  EXPECT_EQ(fetch("/api/v1/dashboard?q=" + std::string(101, 'x')).status, 400);
  const auto found = fetch("/dashboard?q=" + url_encode("โรงพยาบาล") + "&sort=name");
  ASSERT_EQ(found.status, 200);
  EXPECT_NE(found.body.find("พบ 2 หน่วยงาน"), std::string::npos);
  EXPECT_NE(found.body.find("q=" + url_encode("โรงพยาบาล") + "&amp;sort=name&amp;dir=desc"),
            std::string::npos)
      << "sorting keeps the search";
  EXPECT_EQ(found.body.find("สำนักงานแพร่"), std::string::npos);

  // Links: the administrator and assessors to every agency; a viewer to their own only.
  const auto viewer = add_user("viewer@test", store::Role::Viewer, ids[3]);
  const auto assessor = add_user("assessor@test", store::Role::Assessor, std::nullopt);
  const auto as_viewer = get("/dashboard", browser(viewer));
  const auto as_assessor = get("/dashboard", browser(assessor));
  ASSERT_EQ(as_viewer.status, 200);
  for (const auto id : ids) {
    const std::string href = "href=\"/agencies/" + std::to_string(id) + "\"";
    EXPECT_NE(as_assessor.body.find(href), std::string::npos) << id;
    EXPECT_EQ(as_viewer.body.find(href) != std::string::npos, id == ids[3]) << id;
  }
  // The same query again, for another viewer and once more for the first: each page is the
  // caller's own (bodies are kept per figures, query and caller kind; the layout per request).
  const auto other = add_user("viewer2@test", store::Role::Viewer, ids[4]);
  const auto as_other = get("/dashboard", browser(other));
  const auto again = get("/dashboard", browser(viewer));
  for (const auto id : ids) {
    const std::string href = "href=\"/agencies/" + std::to_string(id) + "\"";
    EXPECT_EQ(as_other.body.find(href) != std::string::npos, id == ids[4]) << id;
    EXPECT_EQ(again.body.find(href) != std::string::npos, id == ids[3]) << id;
  }
  EXPECT_NE(as_other.body.find("viewer2@test"), std::string::npos);
  EXPECT_EQ(again.body.find("viewer2@test"), std::string::npos);
  const auto content = [](const std::string& page) { return page.substr(page.find("<h1>")); };
  EXPECT_EQ(content(again.body), content(as_viewer.body)) << "the same figures, query, caller";
}

TEST_P(Dashboard, DownloadsHoldThePagesRowsAndRespectSmallGroups) {
  for (std::uint32_t i = 0; i < 5; ++i) {
    scored_agency(i == 0 ? "=SUM(1) เทศบาล" : "เทศบาลตำบลยโสธร " + std::to_string(i), "ยโสธร",
                  "เทศบาลตำบล", "2564", 80 + i);
  }
  scored_agency("อบต.ตาก 1", "ตาก", "อบต.", "2564", 90);
  scored_agency("อบต.ตาก 2", "ตาก", "อบต.", "2564", 91);
  const std::string filter = "year=2564&type=" + url_encode("เทศบาลตำบล") + "&sort=total&dir=asc";
  const json d = dashboard("?" + filter);
  ASSERT_EQ(d["rows"].size(), 5U);
  std::vector<std::int64_t> shown;
  for (const auto& row : d["rows"]) shown.push_back(row["agency_id"]);
  const auto page = fetch("/dashboard?" + filter);
  ASSERT_EQ(page.status, 200);
  const std::string link =
      "/dashboard/export/agencies.csv?year=2564&amp;type=" + url_encode("เทศบาลตำบล") +
      "&amp;sort=total&amp;dir=asc";
  EXPECT_NE(page.body.find(link), std::string::npos) << "the page links its own table";

  const auto csv = fetch("/dashboard/export/agencies.csv?" + filter);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBF")) << "a BOM for Excel";
  EXPECT_EQ(csv.headers.at("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv_agency_ids(csv.body), shown) << "the page's rows in the page's order";
  EXPECT_NE(csv.body.find(",'=SUM(1) เทศบาล,"), std::string::npos) << "formulas neutralised";
  for (const auto& row : d["rows"]) {
    EXPECT_NE(csv.body.find("," + row["scores"]["total"].get<std::string>() + "," +
                            row["level"]["code"].get<std::string>() + ","),
              std::string::npos);
  }
  const auto xlsx = fetch("/dashboard/export/agencies.xlsx?" + filter);
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_TRUE(xlsx.body.starts_with("PK\x03\x04"));
  EXPECT_EQ(xlsx.headers.at("content-type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  if (std::system("python3 -c 'import zipfile' 2>/dev/null") == 0) {
    EXPECT_EQ(xlsx_agency_ids(xlsx.body), shown);
  }

  // The search narrows the download as it narrows the page.
  const auto searched = fetch("/dashboard/export/agencies.csv?" + filter + "&q=SUM");
  ASSERT_EQ(searched.status, 200);
  EXPECT_EQ(csv_agency_ids(searched.body).size(), 1U);

  // ตาก has 2 agencies (< 3): no figures, no link, no download.
  const std::string small = "year=2564&province=" + url_encode("ตาก");
  const auto small_page = fetch("/dashboard?" + small);
  ASSERT_EQ(small_page.status, 200);
  EXPECT_EQ(small_page.body.find("/dashboard/export/"), std::string::npos);
  EXPECT_EQ(small_page.body.find("อบต.ตาก 1"), std::string::npos);
  EXPECT_NE(small_page.body.find("ไม่แสดงในแผนภูมิ 1 จังหวัดที่มีน้อยกว่า 3 หน่วยงาน"), std::string::npos)
      << "the provinces chart says what it leaves out";
  for (const char* file : {"agencies.csv", "agencies.xlsx"}) {
    const auto refused = fetch(std::string("/dashboard/export/") + file + "?" + small);
    EXPECT_EQ(refused.status, 409) << file;
    EXPECT_EQ(refused.body.find("อบต.ตาก"), std::string::npos);
  }
  EXPECT_EQ(fetch("/dashboard/export/agencies.pdf").status, 404);
  EXPECT_EQ(fetch("/dashboard/export/agencies.csv", false).status, 303) << "to the login page";
  const auto officer =
      add_user("officer@test", store::Role::Officer, store_->agencies().front().id);
  EXPECT_EQ(get("/dashboard/export/agencies.csv", browser(officer)).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, Dashboard, ::testing::Values("sqlite", "postgres"));

// The figures refreshed every second, as a server refreshes them every minute.
class DashboardInBackground : public Dashboard {
 protected:
  AppOptions options() const override {
    AppOptions o = Dashboard::options();
    o.dashboard_refresh_seconds = 1;
    return o;
  }
};

// Once there are figures, no request waits for a rescan: past the refresh period a request gets
// the previous figures at once and starts the rescan, whose figures later requests get.
TEST_P(DashboardInBackground, AStaleDashboardAnswersWithThePreviousFiguresAndRefreshesBehind) {
  for (std::uint32_t i = 0; i < 3; ++i)
    scored_agency("เทศบาลตำบลหนึ่ง " + std::to_string(i), "น่าน", "เทศบาลตำบล", "2564", 30 + i);
  EXPECT_EQ(dashboard()["agencies"], 3);  // the first figures: this request waited for them
  scored_agency("เทศบาลตำบลสี่", "น่าน", "เทศบาลตำบล", "2564", 40);
  EXPECT_EQ(dashboard()["agencies"], 3) << "within the refresh period: the same figures";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(dashboard()["agencies"], 3) << "stale: the previous figures, a rescan started";
  json d;
  for (int i = 0; i < 100; ++i) {  // the rescan of four rounds takes milliseconds
    d = dashboard();
    if (d["agencies"] == 4) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(d["agencies"], 4) << "the rescan's figures";
}

INSTANTIATE_TEST_SUITE_P(Backends, DashboardInBackground, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
