// Guards on survey submissions (issue #13), without HTTP, on each backend: a survey form's
// one-time value (service::issue_form_token) is consumed with its response, so a form is stored
// once however often it is sent, and comes back when the response is refused; the IIT cap
// (store::response_cap) refuses responses past the stated staff, also for writers that store at
// the same time.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "fixture.hpp"
#include "service/responses.hpp"
#include "service/rounds.hpp"
#include "service/secrets.hpp"

namespace ita::testing {
namespace {

using Refusal = store::SubmitOutcome::Refusal;
using Status = store::SubmitOutcome::Status;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SubmissionGuardsTest : public ServiceTest {
 protected:
  store::Round open_round(int staff, std::optional<int> cap_percent, bool codes = false) {
    service::NewRound r{agency_.id, "2564", staff, 100, codes, false};
    r.response_cap_percent = cap_percent;
    return service::create_round(*store_, *catalog_, r, admin_.id);
  }
  // A valid response to `tool` of `round`: every answer unit with its scale's first option.
  store::NewResponse response(const store::Round& round, ToolId tool,
                              const std::optional<std::string>& code = std::nullopt) {
    return service::accept_response(edition("2564"), round, tool, complete(tool), code);
  }
  int stored(const store::Round& round, ToolId tool) {
    return store_->response_counts(round.id).at(tool);
  }
};

TEST_P(SubmissionGuardsTest, AFormIsStoredOnceHoweverOftenItIsSent) {
  const auto round = open_round(30, 100);
  const std::string value = service::issue_form_token(*store_, round.id, now_seconds());
  const auto hash = service::form_token_hash(value, now_seconds());
  ASSERT_TRUE(hash);
  store::NewResponse r = response(round, ToolId::IIT);
  r.form_token_hash = hash;
  // Twice in one batch (a double click), then once more in a batch of its own (a reload).
  const auto outcomes = store_->submit_responses({r, r}, {});
  ASSERT_EQ(outcomes.size(), 2U);
  EXPECT_EQ(outcomes[0].status, Status::Stored);
  EXPECT_EQ(outcomes[1].status, Status::Refused);
  EXPECT_EQ(outcomes[1].refusal, Refusal::FormAlreadySent);
  EXPECT_EQ(store_->submit_responses({r}, {}).front().refusal, Refusal::FormAlreadySent);
  EXPECT_EQ(stored(round, ToolId::IIT), 1);
  // A value never issued is refused the same way; the API sends none and is not affected.
  store::NewResponse forged = response(round, ToolId::IIT);
  forged.form_token_hash = service::sha256_hex("0." + std::string(32, 'a'));
  EXPECT_EQ(store_->submit_responses({forged}, {}).front().refusal, Refusal::FormAlreadySent);
  EXPECT_EQ(store_->submit_responses({response(round, ToolId::IIT)}, {}).front().status,
            Status::Stored);
  EXPECT_EQ(stored(round, ToolId::IIT), 2);
}

TEST_P(SubmissionGuardsTest, AFormValueComesBackWhenItsResponseIsRefused) {
  const auto round = open_round(30, 100, true);
  const auto codes = service::issue_access_codes(*store_, round.id, 1, admin_.id);
  const std::string value = service::issue_form_token(*store_, round.id, now_seconds());
  store::NewResponse r = response(round, ToolId::IIT, "not-a-code");
  r.form_token_hash = service::form_token_hash(value, now_seconds());
  EXPECT_EQ(store_->submit_responses({r}, {}).front().refusal, Refusal::AccessCodeUnknownOrUsed);
  // The respondent corrects the code and sends the same form again: it is stored.
  r.access_code_hash = service::sha256_hex(codes.front());
  EXPECT_EQ(store_->submit_responses({r}, {}).front().status, Status::Stored);
  EXPECT_EQ(stored(round, ToolId::IIT), 1);
  EXPECT_EQ(store_->submit_responses({r}, {}).front().refusal, Refusal::FormAlreadySent);
}

TEST_P(SubmissionGuardsTest, FormValuesAreRandomAndExpireAfterTwoToThreeDays) {
  const auto round = open_round(30, 100);
  const std::int64_t now = now_seconds();
  const std::string a = service::issue_form_token(*store_, round.id, now);
  const std::string b = service::issue_form_token(*store_, round.id, now);
  EXPECT_NE(a, b);
  ASSERT_EQ(a.size(), a.find('.') + 33) << a;  // "EXPIRES." and 128 bits as hex
  const std::int64_t expires = std::stoll(a.substr(0, a.find('.')));
  EXPECT_EQ(expires % 86400, 0) << "a midnight: the stored row holds no time of day";
  EXPECT_GT(expires, now + 2 * 86400);
  EXPECT_LE(expires, now + 3 * 86400);
  EXPECT_EQ(service::form_token_hash(a, now), service::sha256_hex(a));
  EXPECT_EQ(service::form_token_hash(a, expires - 1), service::sha256_hex(a));
  EXPECT_FALSE(service::form_token_hash(a, expires)) << "expired";
  for (const std::string& bad : {std::string(""), a.substr(1 + a.find('.')), a + "0",
                                 "x" + a.substr(1), a.substr(0, a.size() - 1) + "G"}) {
    EXPECT_FALSE(service::form_token_hash(bad, now)) << bad;
  }
  EXPECT_THROW(service::issue_form_token(*store_, round.id + 1000, now), store::Conflict);
}

TEST_P(SubmissionGuardsTest, TheCapRefusesIitResponsesPastTheStatedStaff) {
  const auto round = open_round(3, 100);
  EXPECT_EQ(round.response_cap_percent, 100);
  EXPECT_EQ(store::response_cap(round, ToolId::IIT), 3);
  EXPECT_EQ(store::response_cap(round, ToolId::EIT), std::nullopt) << "EIT: an estimate";
  std::vector<store::NewResponse> batch(4, response(round, ToolId::IIT));
  const auto outcomes = store_->submit_responses(batch, {});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(outcomes[i].status, Status::Stored) << i;
  EXPECT_EQ(outcomes[3].refusal, Refusal::CapReached);
  EXPECT_EQ(store_->submit_responses({batch[0]}, {}).front().refusal, Refusal::CapReached);
  EXPECT_EQ(stored(round, ToolId::IIT), 3);
  std::vector<store::NewResponse> eit(5, response(round, ToolId::EIT));
  for (const auto& o : store_->submit_responses(eit, {})) EXPECT_EQ(o.status, Status::Stored);
  EXPECT_EQ(stored(round, ToolId::EIT), 5);

  // 150 % of 3 is 4.5: five; no percentage: no cap.
  const auto wider = open_round(3, 150);
  EXPECT_EQ(store::response_cap(wider, ToolId::IIT), 5);
  std::vector<store::NewResponse> six(6, response(wider, ToolId::IIT));
  const auto wide = store_->submit_responses(six, {});
  EXPECT_EQ(wide[4].status, Status::Stored);
  EXPECT_EQ(wide[5].refusal, Refusal::CapReached);
  const auto uncapped = open_round(3, std::nullopt);
  std::vector<store::NewResponse> many(6, response(uncapped, ToolId::IIT));
  for (const auto& o : store_->submit_responses(many, {})) EXPECT_EQ(o.status, Status::Stored);
  EXPECT_EQ(stored(uncapped, ToolId::IIT), 6);
}

TEST_P(SubmissionGuardsTest, ACapPercentageOutOfRangeIsRefused) {
  for (const int percent : {0, 99, 1001}) {
    EXPECT_THROW(open_round(10, percent), service::Invalid) << percent;
  }
  EXPECT_EQ(open_round(10, 1000).response_cap_percent, 1000);
}

TEST_P(SubmissionGuardsTest, WritersStoringAtTheSameTimeCannotOvershootTheCap) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto round = open_round(7, 100);
    const std::vector<store::NewResponse> batch(5, response(round, ToolId::IIT));
    std::vector<int> stored_by(3, 0);
    std::vector<std::thread> writers;
    for (int w = 0; w < 3; ++w) {
      writers.emplace_back([&, w] {
        auto own = store::open_store(db_.url);  // its own connection, as a second server has
        for (const auto& o : own->submit_responses(batch, {}))
          stored_by[w] += o.status == Status::Stored ? 1 : 0;
      });
    }
    for (auto& t : writers) t.join();
    EXPECT_EQ(stored_by[0] + stored_by[1] + stored_by[2], 7) << "attempt " << attempt;
    EXPECT_EQ(stored(round, ToolId::IIT), 7);
  }
}

ITA_SERVICE_BACKENDS(SubmissionGuardsTest);

}  // namespace
}  // namespace ita::testing
