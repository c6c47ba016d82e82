// service/responses.hpp: one anonymous response validated once, before the writer stores it.
#include "service/responses.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "fixture.hpp"
#include "service/calendar.hpp"
#include "service/rounds.hpp"
#include "service/secrets.hpp"

namespace ita::testing {
namespace {

class ResponsesTest : public ServiceTest {
 protected:
  store::Round open_round(bool codes) {
    service::NewRound r{agency_.id, "2564", 10, 100, codes, false};
    return service::create_round(*store_, *catalog_, r, admin_.id);
  }
};

TEST_P(ResponsesTest, ACompleteResponseIsAcceptedWithTodayInThailandAndNothingElse) {
  const auto round = open_round(false);
  const auto answers = complete(ToolId::EIT);
  const store::NewResponse r = service::accept_response(edition("2564"), round, ToolId::EIT,
                                                        answers, std::string("ignored"));
  EXPECT_EQ(r.round_id, round.id);
  EXPECT_EQ(r.tool, ToolId::EIT);
  EXPECT_EQ(r.answers, answers);
  EXPECT_TRUE(std::regex_match(r.day, std::regex(R"(\d{4}-\d{2}-\d{2})"))) << r.day;
  EXPECT_EQ(r.day, service::today_in_thailand());
  EXPECT_FALSE(r.access_code_hash) << "an EIT response carries no code";
  EXPECT_FALSE(store_->submit_response(r).empty()) << "the store takes it as it is";
}

TEST_P(ResponsesTest, BadAnswersListEveryProblemAndNameTheFirstTenInTheMessage) {
  const auto round = open_round(false);
  try {
    service::accept_response(edition("2564"), round, ToolId::IIT, {{"I1.1", "9"}}, std::nullopt);
    FAIL() << "an incomplete response was accepted";
  } catch (const service::BadAnswers& e) {
    const auto& problems = e.problems();
    ASSERT_GT(problems.size(), 10U);
    EXPECT_EQ(problems.front().unit, "I1.1");
    const std::string message = e.what();
    EXPECT_EQ(message.find(problems.front().message), 0U) << message;
    EXPECT_NE(message.find("; และอีก " + std::to_string(problems.size() - 10) + " ข้อ"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find(problems[10].message), std::string::npos) << "only the first ten";
  }
}

TEST_P(ResponsesTest, AClosedRoundRefusesBeforeTheAnswersAreChecked) {
  store::Round round = open_round(false);
  round.status = store::RoundStatus::Closed;
  try {
    service::accept_response(edition("2564"), round, ToolId::IIT, {}, std::nullopt);
    FAIL() << "a closed round accepted a response";
  } catch (const service::Refused& e) {
    EXPECT_EQ(std::string(e.what()), "รอบการประเมินนี้ปิดรับคำตอบแล้ว");
  }
}

TEST_P(ResponsesTest, ARequiredAccessCodeIsKeptOnlyAsItsHash) {
  const auto round = open_round(true);
  const auto answers = complete(ToolId::IIT);
  for (const std::optional<std::string>& none :
       {std::optional<std::string>(), std::optional<std::string>("")}) {
    try {
      service::accept_response(edition("2564"), round, ToolId::IIT, answers, none);
      FAIL() << "an IIT response without its access code was accepted";
    } catch (const service::Invalid& e) {
      EXPECT_EQ(std::string(e.what()), "กรุณากรอกรหัสเข้าตอบจากใบรหัส");
    }
  }
  const auto codes = service::issue_access_codes(*store_, round.id, 1, admin_.id);
  const auto r =
      service::accept_response(edition("2564"), round, ToolId::IIT, answers, codes.front());
  ASSERT_TRUE(r.access_code_hash);
  EXPECT_EQ(*r.access_code_hash, service::sha256_hex(codes.front()));
  store_->submit_response(r);
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(1, 1));
  EXPECT_NO_THROW(service::accept_response(edition("2564"), round, ToolId::EIT,
                                           complete(ToolId::EIT), std::nullopt))
      << "EIT needs no code";
}

ITA_SERVICE_BACKENDS(ResponsesTest);

}  // namespace
}  // namespace ita::testing
