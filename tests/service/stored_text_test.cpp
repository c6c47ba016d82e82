// The rules of stored text (core/text_rules.hpp) as each use case applies them: agencies, OIT
// steps, measures plans, progress reports and users refuse a text that breaks its field's rule
// with service::Invalid naming the field, and store nothing.
#include <gtest/gtest.h>

#include "core/text_rules.hpp"
#include "fixture.hpp"
#include "service/accounts.hpp"
#include "service/agencies.hpp"
#include "service/errors.hpp"
#include "service/oit.hpp"
#include "service/rounds.hpp"
#include "support/hostile_texts.hpp"
#include "tracker_fixture.hpp"

namespace ita::testing {
namespace {

using service::OitStep;

std::string repeated(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// `f()` throws service::Invalid with `message`.
template <typename F>
void expect_invalid(F f, const std::string& message, const std::string& what) {
  try {
    f();
    ADD_FAILURE() << what << ": accepted";
  } catch (const service::Invalid& e) {
    EXPECT_EQ(std::string(e.what()), message) << what;
  }
}

using StoredText = ServiceTest;

TEST_P(StoredText, AnAgencyWithAHostileTextInAnyFieldIsRefusedAndNotStored) {
  const auto before = store_->agencies().size();
  for (const auto& h : hostile_texts()) {
    for (auto [field, label] : {std::pair{&store::Agency::name, "ชื่อหน่วยงาน"},
                                std::pair{&store::Agency::district, "อำเภอ"},
                                std::pair{&store::Agency::type, "ประเภทหน่วยงาน"}}) {
      store::Agency a{0, "อบต.ทดสอบ", "เมือง", "น่าน", "อบต."};
      a.*field = h.text;
      expect_invalid([&] { service::create_agency(*store_, a, admin_.id); },
                     std::string(label) + ": " + h.problem, std::string(label) + ", " + h.name);
    }
  }
  EXPECT_EQ(store_->agencies().size(), before);
}

TEST_P(StoredText, AnAgencyNameIsRequiredAndAtMost200Characters) {
  const auto before = store_->agencies().size();
  expect_invalid(
      [&] {
        service::create_agency(*store_, {0, "  ", "", "", ""}, admin_.id);
      },
      "กรุณากรอกชื่อหน่วยงาน", "blank");
  expect_invalid(
      [&] {
        service::create_agency(*store_, {0, repeated("ก", 201), "", "", ""}, admin_.id);
      },
      "ชื่อหน่วยงาน: ข้อความยาวเกิน 200 ตัวอักษร (มี 201)", "201 Thai characters");
  expect_invalid(
      [&] {
        service::create_agency(*store_, {0, std::string(900 * 1024, 'a'), "", "", ""}, admin_.id);
      },
      "ชื่อหน่วยงาน: ข้อความยาวเกิน 200 ตัวอักษร (มี 921600)", "900 KB");
  EXPECT_EQ(store_->agencies().size(), before);
  const auto ok =
      service::create_agency(*store_, {0, " " + repeated("ก", 200) + " ", "", "", ""}, admin_.id);
  EXPECT_EQ(ok.name, repeated("ก", 200)) << "trimmed, 200 characters (600 bytes) fit";
}

TEST_P(StoredText, AProvinceIsOneOfTheSeventySevenOrNone) {
  const auto before = store_->agencies().size();
  for (const char* wrong : {"จังหวัดน่าน", "กรุงเทพฯ", "Nan", "เมืองลับแล"}) {
    expect_invalid(
        [&] {
          service::create_agency(*store_, {0, "อบต.ก", "", wrong, ""}, admin_.id);
        },
        std::string("จังหวัด: \"") + wrong +
            "\" ไม่ใช่ชื่อจังหวัดหนึ่งใน 77 จังหวัด (เขียนชื่อเต็ม เช่น \"น่าน\" หรือ \"กรุงเทพมหานคร\")",
        wrong);
  }
  EXPECT_EQ(store_->agencies().size(), before);
  EXPECT_EQ(
      service::create_agency(*store_, {0, "กทม.", "", "กรุงเทพมหานคร", ""}, admin_.id).province,
      "กรุงเทพมหานคร");
  EXPECT_EQ(service::create_agency(*store_, {0, "อบต.ข", "", " น่าน ", ""}, admin_.id).province,
            "น่าน");
  EXPECT_EQ(service::create_agency(*store_, {0, "อบต.ค", "", "", ""}, admin_.id).province, "");
}

class StoredOitText : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (IsSkipped()) return;
    service::NewRound r;
    r.agency_id = agency_.id;
    r.edition = "2564";
    r.staff_count = 10;
    r.service_users = 100;
    round_ = service::create_round(*store_, *catalog_, r, admin_.id);
  }
  void step(OitStep s, const std::map<std::string, std::string>& fields) {
    service::take_oit_step(*store_, edition("2564"), round_, "O1", s, fields, admin_.id);
  }
  std::size_t stored() {
    std::size_t n = 0;
    for (const auto& e : store_->oit_entries(round_.id))
      n += e.url.size() + e.note.size() + e.review_comment.size() + e.appeal_explanation.size() +
           static_cast<std::size_t>(e.stage) + 1;
    return n;
  }
  store::Round round_;
};

TEST_P(StoredOitText, EveryStepRefusesAHostileTextAndStoresNothing) {
  const std::string url = "https://a.example/ita/o1";
  for (const auto& h : hostile_texts()) {
    const auto before = stored();
    expect_invalid(
        [&] {
          step(OitStep::Evidence, {{"url", url}, {"note", h.text}});
        },
        "หมายเหตุของหลักฐาน OIT: " + h.problem, std::string("note, ") + h.name);
    if (!h.alone) {
      expect_invalid(
          [&] {
            step(OitStep::Evidence, {{"url", url + h.text}});
          },
          "ลิงก์หลักฐาน OIT: " + h.problem, std::string("url, ") + h.name);
    }
    EXPECT_EQ(stored(), before);
  }
  step(OitStep::Evidence, {{"url", url}, {"note", "บรรทัดหนึ่ง\nบรรทัดสอง"}});
  for (const auto& h : hostile_texts()) {
    const auto before = stored();
    expect_invalid(
        [&] {
          step(OitStep::Review, {{"verdict", "fail"}, {"comment", h.text}});
        },
        "ความเห็นของผู้ประเมิน: " + h.problem, std::string("comment, ") + h.name);
    EXPECT_EQ(stored(), before);
  }
  step(OitStep::Review, {{"verdict", "fail"}, {"comment", "ไม่ครบ"}});
  for (const auto& h : hostile_texts()) {
    expect_invalid(
        [&] {
          step(OitStep::Appeal, {{"explanation", h.text}});
        },
        "คำชี้แจงเพิ่มเติม: " + h.problem, std::string("explanation, ") + h.name);
  }
  expect_invalid(
      [&] {
        step(OitStep::Appeal, {{"explanation", std::string(10001, 'x')}});
      },
      "คำชี้แจงเพิ่มเติม: ข้อความยาวเกิน 10000 ตัวอักษร (มี 10001)", "10,001 characters");
  expect_invalid(
      [&] {
        step(OitStep::Confirm, {{"verdict", "pass"}, {"comment", "\x07"}});
      },
      "ความเห็นของผู้ประเมิน: ข้อความมีอักขระควบคุม (U+0007) ซึ่งบันทึกไม่ได้", "confirm");
  expect_invalid(
      [&] {
        step(OitStep::Evidence, {{"url", "https://a.example/" + std::string(2000, 'a')}});
      },
      "ลิงก์หลักฐาน OIT: ข้อความยาวเกิน 2000 ตัวอักษร (มี 2018)", "a 2,018-character URL");
}

// A round with a plan (TrackerTest's round, planned).
class StoredTrackerText : public TrackerTest {
 protected:
  void SetUp() override {
    TrackerTest::SetUp();
    if (IsSkipped()) return;
    plan_ = tracker_->start(edition("2564"), filled_.round, admin_.id);
  }
  MeasuresPlan plan_;
};

TEST_P(StoredTrackerText, AProgressReportWithAHostileTextOrUrlIsRefused) {
  const std::string m = plan_.measures.front().id;
  for (const auto& h : hostile_texts()) {
    expect_invalid(
        [&] {
          tracker_->report_progress(filled_.round, m, {"2022-02-01", h.text, "", "in_progress"},
                                    day(3, 1), admin_.id);
        },
        "ผลการดำเนินการ: " + h.problem, std::string("text, ") + h.name);
    if (h.alone) continue;
    expect_invalid(
        [&] {
          tracker_->report_progress(filled_.round, m,
                                    {"2022-02-01", "ทำแล้ว", "https://a.example/" + h.text, "done"},
                                    day(3, 1), admin_.id);
        },
        "ลิงก์หลักฐาน: " + h.problem, std::string("url, ") + h.name);
  }
  expect_invalid(
      [&] {
        tracker_->report_progress(filled_.round, m, {"", repeated("ก", 10001), "", "done"},
                                  day(3, 1), admin_.id);
      },
      "ผลการดำเนินการ: ข้อความยาวเกิน 10000 ตัวอักษร (มี 10001)", "10,001 characters");
  EXPECT_TRUE(store_->progress_reports(filled_.round.id).empty());
  // 10,000 Thai characters are 30,000 bytes: the limit counts characters.
  tracker_->report_progress(filled_.round, m, {"", repeated("ก", 10000), "", "done"}, day(3, 1),
                            admin_.id);
  EXPECT_EQ(store_->progress_reports(filled_.round.id).size(), 1U);
}

TEST_P(StoredTrackerText, APlanWithAHostileTextAnywhereIsRefusedAndTheOldOneKept) {
  const auto before = store_->measures_plan(filled_.round.id);
  const std::vector<std::pair<std::function<void(MeasuresPlan&, const std::string&)>, std::string>>
      places = {
          {[](MeasuresPlan& p, const std::string& t) { p.measures[0].title_th = t; },
           "/measures/0/title_th ชื่อมาตรการ: "},
          {[](MeasuresPlan& p, const std::string& t) {
             p.measures[0].steps_th = {"ขั้นแรก", t};
           },
           "/measures/0/steps_th/1 ขั้นตอนของมาตรการ: "},
          {[](MeasuresPlan& p, const std::string& t) { p.measures[0].responsible_th = t; },
           "/measures/0/responsible_th ผู้รับผิดชอบ: "},
          {[](MeasuresPlan& p, const std::string& t) { p.measures[0].monitoring_th = t; },
           "/measures/0/monitoring_th การกำกับติดตาม: "},
          {[](MeasuresPlan& p, const std::string& t) { p.measures[0].id = t; },
           "/measures/0/id รหัสมาตรการ: "},
          {[](MeasuresPlan& p, const std::string& t) {
             p.methods.insert(p.methods.begin(), ImprovementMethod{1, std::nullopt, t});
           },
           "/improvement_methods/0/text_th แนวทางการพัฒนา: "},
      };
  for (const auto& h : hostile_texts()) {
    for (const auto& [change, where] : places) {
      MeasuresPlan p = plan_;
      change(p, h.text);
      expect_invalid([&] { tracker_->replace(edition("2564"), filled_.round, p, admin_.id); },
                     where + h.problem, where + h.name);
    }
  }
  EXPECT_EQ(store_->measures_plan(filled_.round.id), before);
}

TEST_P(StoredText, AUserWithAHostileEmailIsRefused) {
  for (const auto& h : hostile_texts()) {
    if (h.alone) continue;
    expect_invalid(
        [&] {
          service::add_user(*store_, "a" + h.text + "@test", store::Role::Assessor, std::nullopt,
                            "long-enough-password");
        },
        "อีเมล: " + h.problem, h.name);
  }
  expect_invalid(
      [&] {
        service::add_user(*store_, std::string(250, 'a') + "@t.th", store::Role::Assessor,
                          std::nullopt, "long-enough-password");
      },
      "อีเมล: ข้อความยาวเกิน 254 ตัวอักษร (มี 255)", "255 characters");
  EXPECT_FALSE(store_->user_by_email("a\x07@test"));
}

ITA_SERVICE_BACKENDS(StoredText);
ITA_SERVICE_BACKENDS(StoredOitText);
ITA_SERVICE_BACKENDS(StoredTrackerText);

}  // namespace
}  // namespace ita::testing
