// Editions for administrators (web/editions.cpp) and the practice-round rule, over HTTP on both
// backends.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "io/edition_json.hpp"
#include "io/edition_registry.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::HttpResponse;

class Editions : public testing::AppFixture {
 protected:
  // POSTs `file` as the form's file field, as a browser does (multipart/form-data).
  HttpResponse upload(const testing::Browser& b, const std::string& filename,
                      const std::string& file, bool with_csrf = true) {
    const std::string boundary = "----openita-test-boundary-7d1";
    std::string body;
    if (with_csrf) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" +
              b.csrf + "\r\n";
    }
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
            filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + file + "\r\n--" +
            boundary + "--\r\n";
    return raw(
        "POST", "/admin/editions/upload", body,
        {{"Content-Type", "multipart/form-data; boundary=" + boundary}, {"Cookie", b.cookie}});
  }

  // An edition for FY2571: 2570's with one question reworded and its questionnaires marked
  // complete, as an administrator would after loading the year's official lists.
  static json edition_2571() {
    json e = json::parse(io::edition_to_json(io::EditionSet::builtin().get("2570")));
    e["id"] = "2571";
    e["fiscal_year"] = 2571;
    e["title_th"] = "การประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2571";
    e["iit"]["items"][1]["text_th"] = "บุคลากรให้บริการแก่ผู้มาติดต่ออย่างเท่าเทียมกันทุกคน";
    e["iit"]["provenance"]["status"] = "official";
    e["eit"]["provenance"]["status"] = "official";
    return e;
  }

  std::int64_t agency() {
    return store_->create_agency({0, "เทศบาลตำบลทดสอบ", "เมือง", "น่าน", "เทศบาลตำบล"}, std::nullopt)
        .id;
  }
};

TEST_P(Editions, AnAdministratorUploadsReviewsAndPublishesAnEdition) {
  const auto admin = browser(admin_user_);
  const HttpResponse up = upload(admin, "2571.json", edition_2571().dump());
  ASSERT_EQ(up.status, 303) << up.body;
  const std::string review_url = up.headers.at("location");
  EXPECT_TRUE(store_->published_editions().empty()) << "uploading publishes nothing";

  const HttpResponse review = get(review_url, admin);
  ASSERT_EQ(review.status, 200) << review.body;
  EXPECT_NE(review.body.find("ตรวจทานชุดเกณฑ์ 2571"), std::string::npos);
  EXPECT_NE(review.body.find("เทียบกับชุดเกณฑ์ 2570"), std::string::npos) << "previous year";
  EXPECT_NE(review.body.find("ปรับถ้อยคำ"), std::string::npos);
  EXPECT_NE(review.body.find("บุคลากรให้บริการแก่ผู้มาติดต่ออย่างเท่าเทียมกันทุกคน"), std::string::npos);
  const std::size_t iit_items = io::EditionSet::builtin().get("2570").iit.items.size();
  EXPECT_NE(review.body.find("แบบวัด IIT (" + std::to_string(iit_items) + " ข้อ)"), std::string::npos)
      << "survey preview";

  const HttpResponse published = post_form(review_url + "/publish", admin, {});
  ASSERT_EQ(published.status, 303) << published.body;
  EXPECT_EQ(published.headers.at("location"), "/admin/editions?published=2571");
  const HttpResponse list = get("/admin/editions?published=2571", admin);
  EXPECT_NE(list.body.find("เผยแพร่ชุดเกณฑ์ 2571 ฉบับที่ 1 แล้ว"), std::string::npos);
  EXPECT_NE(list.body.find("เผยแพร่ฉบับที่ 1 เมื่อ"), std::string::npos);
  ASSERT_EQ(store_->published_editions().size(), 1u);
  EXPECT_EQ(store_->audit_log(1)[0].action, "edition.publish");

  // The edition is in force: rounds open on it, and its survey asks the reworded question.
  const HttpResponse round = api(
      "POST", "/api/v1/rounds",
      {{"agency_id", agency()}, {"edition", "2571"}, {"staff_count", 10}, {"service_users", 50}},
      admin_);
  ASSERT_EQ(round.status, 201) << round.body;
  const std::string link = json::parse(round.body)["links"]["iit"];
  const HttpResponse survey = raw("GET", link.substr(link.find("/s/")), "", {});
  EXPECT_NE(survey.body.find("บุคลากรให้บริการแก่ผู้มาติดต่ออย่างเท่าเทียมกันทุกคน"), std::string::npos);
  EXPECT_NE(api("GET", "/api/v1/editions", nullptr, admin_).body.find("\"2571\""),
            std::string::npos);

  // Now a round uses it: it can no longer change.
  const HttpResponse again = upload(admin, "2571.json", edition_2571().dump());
  ASSERT_EQ(again.status, 303);
  const HttpResponse locked = get(again.headers.at("location"), admin);
  EXPECT_NE(locked.body.find("ถูกใช้ในรอบการประเมินแล้ว 1 รอบ"), std::string::npos);
  const HttpResponse refused = post_form(again.headers.at("location") + "/publish", admin, {});
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(store_->published_editions().at(0).version, 1);
}

TEST_P(Editions, ABrokenFileIsNamedAndNothingIsStored) {
  const auto admin = browser(admin_user_);
  json e = edition_2571();
  e["iit"]["items"][3]["indicator"] = 9;
  const auto before = footprint();
  const HttpResponse bad = upload(admin, "2571.json", e.dump());
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("ไฟล์ 2571.json อ่านไม่ได้"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("iit"), std::string::npos) << "names where";
  const HttpResponse not_json = upload(admin, "notes.json", "{\"format\": ");
  EXPECT_EQ(not_json.status, 422);
  EXPECT_EQ(upload(admin, "2571.json", edition_2571().dump(), false).status, 403) << "no CSRF";
  EXPECT_EQ(footprint(), before);
  EXPECT_TRUE(store_->published_editions().empty());
}

TEST_P(Editions, OnlyAdministratorsManageEditions) {
  const auto officer = browser(add_user("officer@test", store::Role::Officer, agency()));
  EXPECT_EQ(get("/admin/editions", officer).status, 403);
  EXPECT_EQ(upload(officer, "2571.json", edition_2571().dump()).status, 403);
  EXPECT_EQ(raw("GET", "/admin/editions", "", {}).status, 303) << "to the login page";
  const auto admin = browser(admin_user_);
  const HttpResponse page = get("/admin/editions", admin);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("ไม่ครบถ้วน"), std::string::npos) << "Thai provenance labels";
  EXPECT_EQ(page.body.find("partial"), std::string::npos);
  EXPECT_EQ(page.body.find("reconstructed"), std::string::npos);
  const HttpResponse xlsx = get("/admin/editions/2564.xlsx", admin);
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK") << "a zip: the spreadsheet template";
  EXPECT_EQ(get("/admin/editions/2564.json", admin).status, 200);
  EXPECT_EQ(get("/admin/editions/9999.json", admin).status, 404);
}

TEST_P(Editions, AnIncompleteEditionOpensOnlyAPracticeRoundAndItsSurveySaysSo) {
  const std::int64_t a = agency();
  const json body = {
      {"agency_id", a}, {"edition", "2570"}, {"staff_count", 10}, {"service_users", 50}};
  const HttpResponse refused = api("POST", "/api/v1/rounds", body, admin_);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("รอบทดลอง"), std::string::npos) << refused.body;
  EXPECT_TRUE(store_->rounds_of_agency(a).empty());

  json practice = body;
  practice["practice"] = true;
  const HttpResponse made = api("POST", "/api/v1/rounds", practice, admin_);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(json::parse(made.body)["practice"], true);
  const std::string link = json::parse(made.body)["links"]["eit"];
  const HttpResponse survey = raw("GET", link.substr(link.find("/s/")), "", {});
  EXPECT_NE(survey.body.find("แบบวัดทดลอง"), std::string::npos);
  const auto admin = browser(admin_user_);
  const HttpResponse round =
      get("/rounds/" + std::to_string(json::parse(made.body)["id"].get<int>()), admin);
  EXPECT_NE(round.body.find("รอบทดลอง"), std::string::npos);
  EXPECT_EQ(round.body.find("partial"), std::string::npos);

  // A complete edition needs no such flag, and its survey carries no such notice.
  json real = body;
  real["edition"] = "2564";
  const HttpResponse complete = api("POST", "/api/v1/rounds", real, admin_);
  ASSERT_EQ(complete.status, 201);
  const std::string iit = json::parse(complete.body)["links"]["iit"];
  EXPECT_EQ(raw("GET", iit.substr(iit.find("/s/")), "", {}).body.find("แบบวัดทดลอง"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, Editions, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
