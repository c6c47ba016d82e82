// service/rounds.hpp: opening rounds and issuing access codes, on a real store.
#include "service/rounds.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "fixture.hpp"
#include "service/errors.hpp"
#include "service/responses.hpp"

namespace ita::testing {
namespace {

class RoundsTest : public ServiceTest {
 protected:
  service::NewRound request(const std::string& edition, bool practice = false) {
    service::NewRound r;
    r.agency_id = agency_.id;
    r.edition = edition;
    r.staff_count = 30;
    r.service_users = 500;
    r.practice = practice;
    return r;
  }
  std::size_t rounds() { return store_->rounds_of_agency(agency_.id).size(); }
};

TEST_P(RoundsTest, ARoundOpensWithFreshLinkTokensAndTheGivenCounts) {
  auto r = request("2564");
  r.access_codes = true;
  const store::Round round = service::create_round(*store_, *catalog_, r, admin_.id);
  EXPECT_GT(round.id, 0);
  EXPECT_EQ(round.status, store::RoundStatus::Open);
  EXPECT_EQ(round.edition_id, "2564");
  EXPECT_EQ(round.staff_count, 30);
  EXPECT_EQ(round.service_users, 500);
  EXPECT_TRUE(round.access_codes_required);
  EXPECT_FALSE(round.practice);
  EXPECT_TRUE(std::regex_match(round.iit_token, std::regex("[0-9a-f]{24}"))) << round.iit_token;
  EXPECT_NE(round.iit_token, round.eit_token);
  const auto other = service::create_round(*store_, *catalog_, request("2564"), admin_.id);
  EXPECT_NE(other.iit_token, round.iit_token);
  ASSERT_TRUE(store_->round_by_token(round.eit_token));
  EXPECT_EQ(store_->round_by_token(round.eit_token)->id, round.id);
}

TEST_P(RoundsTest, AnIncompleteEditionOpensOnlyAPracticeRound) {
  try {
    service::create_round(*store_, *catalog_, request("2568"), admin_.id);
    FAIL() << "a real round on an incomplete edition was opened";
  } catch (const service::Invalid& e) {
    EXPECT_EQ(std::string(e.what()),
              "ชุดเกณฑ์ พ.ศ. 2568 มีข้อคำถาม IIT และ EIT ไม่ครบถ้วน จึงเปิดรอบการประเมินจริงไม่ได้ "
              "หากต้องการทดลองใช้ ให้เลือก \"รอบทดลอง\" หรือให้ผู้ดูแลระบบเผยแพร่ชุดเกณฑ์ที่ครบถ้วนก่อน");
  }
  EXPECT_EQ(rounds(), 0U);
  const auto practice = service::create_round(*store_, *catalog_, request("2568", true), admin_.id);
  EXPECT_TRUE(practice.practice);
  EXPECT_EQ(rounds(), 1U);
}

TEST_P(RoundsTest, AnUnknownAgencyIsNotFoundAndNothingIsStored) {
  auto r = request("2564");
  r.agency_id = agency_.id + 1000;
  try {
    service::create_round(*store_, *catalog_, r, admin_.id);
    FAIL() << "a round of an unknown agency was opened";
  } catch (const service::NotFound& e) {
    EXPECT_EQ(std::string(e.what()), "ไม่พบหน่วยงาน " + std::to_string(r.agency_id));
  }
  EXPECT_THROW(service::find_agency(*store_, r.agency_id), service::NotFound);
  EXPECT_EQ(service::find_agency(*store_, agency_.id).name, agency_.name);
}

TEST_P(RoundsTest, AnUnknownEditionIsInvalidEvenInThaiDigits) {
  for (const char* id : {"2599", "๒๕๖๔", ""}) {
    try {
      service::create_round(*store_, *catalog_, request(id), admin_.id);
      FAIL() << "edition \"" << id << "\" was accepted";
    } catch (const service::Invalid& e) {
      EXPECT_EQ(std::string(e.what()), "ไม่รู้จักชุดเกณฑ์ \"" + std::string(id) + "\"");
    }
  }
  EXPECT_EQ(rounds(), 0U);
}

TEST_P(RoundsTest, CountsOutsideTheirRangesAreInvalid) {
  for (const auto& [staff, users, message] :
       {std::tuple{0, 5, "จำนวนบุคลากรต้องเป็นจำนวนเต็มตั้งแต่ 1"},
        std::tuple{1000001, 5, "จำนวนบุคลากรต้องเป็นจำนวนเต็มตั้งแต่ 1"},
        std::tuple{5, 0, "จำนวนผู้รับบริการโดยประมาณต้องเป็นจำนวนเต็มตั้งแต่ 1"},
        std::tuple{5, 100000001, "จำนวนผู้รับบริการโดยประมาณต้องเป็นจำนวนเต็มตั้งแต่ 1"}}) {
    auto r = request("2564");
    r.staff_count = staff;
    r.service_users = users;
    try {
      service::create_round(*store_, *catalog_, r, admin_.id);
      FAIL() << staff << " staff, " << users << " users were accepted";
    } catch (const service::Invalid& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  }
  auto edge = request("2564");
  edge.staff_count = 1000000;
  edge.service_users = 100000000;
  EXPECT_NO_THROW(service::create_round(*store_, *catalog_, edge, admin_.id));
  EXPECT_EQ(rounds(), 1U);
}

TEST_P(RoundsTest, AccessCodesAreIssuedOneToTwoThousandAtATimeAndKeptOnlyAsHashes) {
  const auto round = service::create_round(*store_, *catalog_, request("2564"), admin_.id);
  for (int bad : {0, -1, 2001}) {
    EXPECT_THROW(service::issue_access_codes(*store_, round.id, bad, admin_.id), service::Invalid);
  }
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(0, 0));
  const auto codes = service::issue_access_codes(*store_, round.id, 3, admin_.id);
  ASSERT_EQ(codes.size(), 3U);
  for (const auto& c : codes) EXPECT_TRUE(std::regex_match(c, std::regex("[0-9a-f]{10}"))) << c;
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(3, 0));
}

TEST_P(RoundsTest, ABatchOfCodesIsIssuedOncePerFormValue) {
  const auto round = service::create_round(*store_, *catalog_, request("2564"), admin_.id);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::string value = service::issue_form_token(*store_, round.id, now);
  EXPECT_THROW(service::issue_access_codes_once(*store_, round.id, 0, value, admin_.id, now),
               service::Invalid);
  const auto codes = service::issue_access_codes_once(*store_, round.id, 4, value, admin_.id, now);
  EXPECT_EQ(codes.size(), 4U);
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(4, 0));
  // The same value again (a reload), a value never issued, an expired one: nothing more stored.
  EXPECT_THROW(service::issue_access_codes_once(*store_, round.id, 4, value, admin_.id, now),
               service::Refused);
  EXPECT_THROW(service::issue_access_codes_once(*store_, round.id, 4, "", admin_.id, now),
               service::Refused);
  const std::string later = service::issue_form_token(*store_, round.id, now);
  EXPECT_THROW(
      service::issue_access_codes_once(*store_, round.id, 4, later, admin_.id, now + 7 * 86400),
      service::Refused);
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(4, 0));
}

ITA_SERVICE_BACKENDS(RoundsTest);

}  // namespace
}  // namespace ita::testing
