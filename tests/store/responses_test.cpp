// Survey responses: access codes used once, batches (group commit), answers read back, anonymity
// (src/store/sql_responses.cpp), on both backends.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>
#include <tuple>

#include "store_fixture.hpp"

namespace ita::store {
namespace {

using namespace fixture;

TEST_P(StoreTest, AnAccessCodeIsUsedOnce) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1", true);
  const Round other = make_round(a.id, "r2", true);
  store_->add_access_codes(round.id, {code_hash(1), code_hash(2), code_hash(3)}, admin_id_);
  store_->add_access_codes(other.id, {code_hash(9)}, admin_id_);
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(3, 0));

  submit(round.id, ToolId::IIT, {{"I1", "4"}}, code_hash(1));
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(3, 1));

  try {
    submit(round.id, ToolId::IIT, {{"I1", "1"}}, code_hash(1));
    FAIL() << "a used code was accepted again";
  } catch (const Conflict& e) {
    EXPECT_STREQ(e.what(), "access code unknown or already used");
  }
  EXPECT_THROW(submit(round.id, ToolId::IIT, {{"I1", "1"}}, code_hash(77)), Conflict)
      << "unknown code";
  EXPECT_THROW(submit(round.id, ToolId::IIT, {{"I1", "1"}}, code_hash(9)), Conflict)
      << "another round's code";
  EXPECT_THROW(submit(round.id, ToolId::IIT, {{"I1", "1"}}), Conflict)
      << "this round requires a code";

  EXPECT_EQ(store_->response_counts(round.id).at(ToolId::IIT), 1);
  EXPECT_EQ(raw_count("responses"), 1);
  EXPECT_EQ(raw_answer_count(), 1);
  EXPECT_EQ(store_->access_code_counts(other.id), std::make_pair(1, 0));

  submit(round.id, ToolId::EIT, {{"E1", "3"}});  // external stakeholders need no code
  EXPECT_EQ(store_->response_counts(round.id).at(ToolId::EIT), 1);

  EXPECT_THROW(store_->add_access_codes(round.id, {code_hash(4), code_hash(1)}, admin_id_),
               Conflict);
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(3, 1))
      << "the failed batch added nothing";
  EXPECT_THROW(store_->add_access_codes(other.id + 100, {code_hash(5)}, admin_id_), Conflict);
}

TEST_P(StoreTest, SubmittedAnswersComeBackPerRound) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1");
  const Round other = make_round(a.id, "r2");

  std::vector<std::tuple<ToolId, std::string, std::string, std::string>> expected;
  auto submit_and_expect = [&](std::int64_t round_id, ToolId tool,
                               const std::map<std::string, std::string>& answers) {
    const std::string id = submit(round_id, tool, answers);
    EXPECT_TRUE(is_random_id(id)) << id;
    if (round_id != round.id) return;
    for (const auto& [unit, option] : answers) expected.emplace_back(tool, id, unit, option);
  };
  submit_and_expect(round.id, ToolId::IIT, {{"I1", "4"}, {"I2", "3"}, {"I9.2", "Y"}});
  submit_and_expect(round.id, ToolId::IIT, {{"I1", "1"}, {"I2", "2"}, {"I9.2", "N"}});
  submit_and_expect(round.id, ToolId::IIT, {{"I1", "2"}, {"I2", "4"}, {"I9.2", "ไม่ทราบ"}});
  submit_and_expect(round.id, ToolId::EIT, {{"E1", "4"}, {"E2", "4"}});
  submit_and_expect(round.id, ToolId::EIT, {{"E1", "3"}, {"E2", "1"}});
  submit_and_expect(other.id, ToolId::IIT, {{"I1", "3"}});

  EXPECT_EQ(store_->response_counts(round.id),
            (std::map<ToolId, int>{{ToolId::IIT, 3}, {ToolId::EIT, 2}}));
  EXPECT_EQ(store_->response_counts(other.id),
            (std::map<ToolId, int>{{ToolId::IIT, 1}, {ToolId::EIT, 0}}));

  const auto rows = answers_of(round.id);
  std::vector<std::tuple<ToolId, std::string, std::string, std::string>> got;
  for (const auto& r : rows) got.emplace_back(r.tool, r.response_id, r.unit, r.option);
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end(), [](const auto& x, const auto& y) {
    return std::tie(std::get<1>(x), std::get<2>(x)) < std::tie(std::get<1>(y), std::get<2>(y));
  })) << "rows come in response-id order";
  std::sort(got.begin(), got.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected);
  EXPECT_EQ(answers_of(other.id).size(), 1u);
  EXPECT_TRUE(answers_of(other.id + 100).empty());
}

TEST_P(StoreTest, OnlyAnOpenExistingRoundTakesResponses) {
  const Agency a = make_agency();
  const Round closed = make_round(a.id, "c", false, RoundStatus::Closed);
  EXPECT_THROW(submit(closed.id, ToolId::IIT, {{"I1", "4"}}), Conflict);
  EXPECT_THROW(submit(closed.id + 100, ToolId::IIT, {{"I1", "4"}}), Conflict);
  EXPECT_EQ(raw_count("responses"), 0);
}

TEST_P(StoreTest, ARefusedResponseSaysWhyAsAReason) {
  const Agency a = make_agency();
  const Round coded = make_round(a.id, "r1", true);
  const Round closed = make_round(a.id, "c", false, RoundStatus::Closed);
  store_->add_access_codes(coded.id, {code_hash(1)}, admin_id_);
  auto response = [](std::int64_t round, ToolId tool, std::optional<std::string> code,
                     const std::string& option = "4") {
    return NewResponse{round, tool, "2024-05-01", {{"I1", option}}, std::move(code)};
  };
  const auto out = store_->submit_responses(
      {response(coded.id, ToolId::IIT, code_hash(1)),
       response(coded.id, ToolId::IIT, code_hash(1)),  // consumed earlier in this batch
       response(coded.id, ToolId::IIT, code_hash(2)),  // not one of the round's
       response(coded.id, ToolId::IIT, std::nullopt),
       response(closed.id, ToolId::EIT, std::nullopt),
       response(closed.id + 100, ToolId::EIT, std::nullopt),
       response(coded.id, ToolId::OIT, std::nullopt),
       response(coded.id, ToolId::EIT, std::nullopt, "")},
      {});
  using Refusal = SubmitOutcome::Refusal;
  const std::vector<Refusal> want = {Refusal::None,
                                     Refusal::AccessCodeUnknownOrUsed,
                                     Refusal::AccessCodeUnknownOrUsed,
                                     Refusal::AccessCodeMissing,
                                     Refusal::RoundClosed,
                                     Refusal::RoundUnknown,
                                     Refusal::Malformed,
                                     Refusal::Malformed};
  ASSERT_EQ(out.size(), want.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].status,
              i == 0 ? SubmitOutcome::Status::Stored : SubmitOutcome::Status::Refused)
        << i;
    EXPECT_EQ(out[i].refusal, want[i]) << i << ": " << out[i].message;
  }
  EXPECT_EQ(out[4].message,
            "round " + std::to_string(closed.id) + " is closed; it accepts no more responses");
  EXPECT_EQ(store_->response_counts(coded.id),
            (std::map<ToolId, int>{{ToolId::IIT, 1}, {ToolId::EIT, 0}}));
}

TEST_P(StoreTest, AMalformedSubmissionIsRefusedAndLeavesNothingBehind) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1", true);
  store_->add_access_codes(round.id, {code_hash(1)}, admin_id_);

  // The store's own rules, whoever calls it: every answer has a unit code and an option code.
  std::map<std::string, std::string> answers;
  for (int i = 0; i < 300; ++i) answers["U" + std::to_string(1000 + i)] = "3";
  answers["U1250"] = "";
  try {
    submit(round.id, ToolId::IIT, answers, code_hash(1));
    FAIL() << "an empty option was stored";
  } catch (const Conflict& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("answer_option_given"), std::string::npos)
        << "names the broken rule: " << message;
    EXPECT_EQ(message.find("U12"), std::string::npos)
        << "error messages must not quote answers: " << message;
  }
  for (const auto& [unit, option] : std::vector<std::pair<std::string, std::string>>{
           {"", "3"}, {"U1", "\xff"}, {"\xe0\x80", "3"}}) {
    EXPECT_THROW(submit(round.id, ToolId::IIT, {{unit, option}}, code_hash(1)), Conflict)
        << unit << "=" << option;
  }
  EXPECT_THROW(submit(round.id, ToolId::OIT, {{"U1", "3"}}), Conflict) << "not a survey tool";

  EXPECT_EQ(store_->response_counts(round.id).at(ToolId::IIT), 0);
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(1, 0))
      << "the code was not consumed";
  EXPECT_EQ(raw_count("responses"), 0);
  EXPECT_EQ(raw_answer_count(), 0);

  answers["U1250"] = "2";
  submit(round.id, ToolId::IIT, answers, code_hash(1));
  EXPECT_EQ(raw_answer_count(), 300);
  EXPECT_EQ(store_->access_code_counts(round.id), std::make_pair(1, 1));
}

TEST_P(StoreTest, ConcurrentSubmissionsAreAllStored) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1");
  constexpr int kThreads = 4;
  constexpr int kEach = 200;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        try {
          ids[t].push_back(submit(round.id, t % 2 ? ToolId::EIT : ToolId::IIT,
                                  {{"X1", std::to_string(t)}, {"X2", "4"}}));
          if (i % 50 == 0) store_->response_counts(round.id);  // readers interleave with writers
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  EXPECT_EQ(store_->response_counts(round.id),
            (std::map<ToolId, int>{{ToolId::IIT, 400}, {ToolId::EIT, 400}}));
  std::set<std::string> distinct;
  for (const auto& per_thread : ids) distinct.insert(per_thread.begin(), per_thread.end());
  EXPECT_EQ(distinct.size(), 800u);
  std::set<std::string> stored;
  std::size_t rows = 0;
  store_->for_each_answer(round.id, [&](const AnswerRow& r) {
    stored.insert(r.response_id);
    ++rows;
  });
  EXPECT_EQ(stored, distinct);
  EXPECT_EQ(rows, 1600u);
}

TEST_P(StoreTest, ACallbackCallingTheStoreGetsAnErrorInsteadOfADeadlock) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1");
  submit(round.id, ToolId::IIT, {{"I1", "4"}});
  EXPECT_THROW(store_->for_each_answer(
                   round.id, [&](const AnswerRow&) { store_->response_counts(round.id); }),
               StoreError);
  EXPECT_EQ(store_->response_counts(round.id).at(ToolId::IIT), 1)
      << "the store still works afterwards";
}

// A batch as SubmissionWriter hands it over (group commit, tests/web/group_commit_test.cpp over
// HTTP): each response is checked in order, a code consumed earlier in the batch counts as used,
// and a failure before COMMIT stores nothing of it.
TEST_P(StoreTest, TheStoreChecksEachResponseOfABatchInOrder) {
  const Agency a = make_agency();
  const Round round = make_round(a.id, "r1", true);
  const Round closed = make_round(a.id, "c", false, RoundStatus::Closed);
  store_->add_access_codes(round.id, {code_hash(1), code_hash(2)}, admin_id_);
  // The number n is the response's answer to I1, so a stored response can be told apart.
  auto response = [&](const Round& r, int n, std::optional<std::string> code) {
    return NewResponse{
        r.id, ToolId::IIT, "2026-11-24", {{"I1", std::to_string(n)}, {"I2", "Y"}}, std::move(code)};
  };
  auto stored_numbers = [&] {
    std::map<std::string, int> out;
    for (const AnswerRow& row : answers_of(round.id)) {
      if (row.unit == "I1") ++out[row.option];
    }
    return out;
  };
  const std::vector<NewResponse> batch = {
      response(round, 1, code_hash(1)),  response(round, 2, code_hash(1)),
      response(round, 3, code_hash(99)), response(closed, 4, std::nullopt),
      response(round, 5, std::nullopt),  response(round, 6, code_hash(2))};
  // A failure before COMMIT: nothing of the batch, not even a consumed code.
  EXPECT_THROW(store_->submit_responses(batch, [] { throw std::runtime_error("injected"); }),
               std::runtime_error);
  EXPECT_EQ(store_->access_code_counts(round.id), (std::pair<int, int>{2, 0}));
  EXPECT_EQ(store_->response_counts(round.id).at(ToolId::IIT), 0);

  const auto out = store_->submit_responses(batch, {});
  using S = SubmitOutcome::Status;
  ASSERT_EQ(out.size(), batch.size());
  const std::vector<S> want = {S::Stored,  S::Refused, S::Refused,
                               S::Refused, S::Refused, S::Stored};
  for (std::size_t i = 0; i < out.size(); ++i)
    EXPECT_EQ(out[i].status, want[i]) << i << ": " << out[i].message;
  using R = SubmitOutcome::Refusal;
  const std::vector<R> why = {
      R::None,        R::AccessCodeUnknownOrUsed, R::AccessCodeUnknownOrUsed,
      R::RoundClosed, R::AccessCodeMissing,       R::None};
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].refusal, why[i]) << i;
  EXPECT_EQ(out[1].message, "access code unknown or already used");
  EXPECT_EQ(out[3].message,
            "round " + std::to_string(closed.id) + " is closed; it accepts no more responses");
  EXPECT_EQ(out[4].message,
            "round " + std::to_string(round.id) + " requires an access code for the IIT survey");
  EXPECT_EQ(out[0].id.size(), 32u);
  EXPECT_NE(out[0].id, out[5].id);
  EXPECT_EQ(stored_numbers(), (std::map<std::string, int>{{"1", 1}, {"6", 1}}));
  EXPECT_EQ(store_->access_code_counts(round.id), (std::pair<int, int>{2, 2}));
}

// ---- anonymity ----

TEST_P(StoreTest, StoredResponsesCarryNothingThatIdentifiesARespondent) {
  const Agency a = make_agency();
  const User officer = make_user("officer@banmai.go.th", Role::Officer, a.id);
  const Round round = make_round(a.id, "r1", true);
  std::vector<std::string> hashes;
  for (int i = 1; i <= 20; ++i) hashes.push_back(code_hash(i));
  store_->add_access_codes(round.id, hashes, officer.id);

  std::vector<std::string> submitted;  // ids in submission order
  for (int i = 0; i < 20; ++i) {
    submitted.push_back(
        submit(round.id, ToolId::IIT, {{"I1", std::to_string(1 + i % 4)}, {"I2", "Y"}}, hashes[i]));
    submitted.push_back(submit(round.id, ToolId::EIT, {{"E1", std::to_string(1 + i % 4)}}));
  }
  auto db = raw();

  // Exactly these columns and no others: no user, code, IP, user agent or time of day.
  EXPECT_EQ(db->columns("responses"),
            (std::set<std::string>{"slot", "round_id", "id", "tool", "day", "layout", "answers"}));
  EXPECT_EQ(db->columns("answer_layouts"), (std::set<std::string>{"id", "units"}));
  EXPECT_EQ(db->columns("access_codes"), (std::set<std::string>{"round_id", "code_hash", "used"}));

  const std::set<std::string> forbidden = {officer.email, officer.password_hash, "iit-r1",
                                           "eit-r1"};
  auto check_value = [&](const std::string& table, const std::string& value) {
    for (const auto& h : hashes)
      EXPECT_EQ(value.find(h), std::string::npos) << table << " holds a code hash";
    EXPECT_EQ(forbidden.count(value), 0u) << table << " holds " << value;
  };
  const auto responses = db->query(
      "SELECT r.id, r.round_id, r.tool, r.day, r.answers, l.units, r.slot FROM responses r "
      "JOIN answer_layouts l ON l.id = r.layout");
  ASSERT_EQ(responses.size(), 40u);
  for (const auto& row : responses) {
    const std::string id = row.at(0).value();
    EXPECT_TRUE(is_random_id(id));
    EXPECT_EQ(row.at(1).value(), std::to_string(round.id));
    EXPECT_TRUE(row.at(2) == "IIT" || row.at(2) == "EIT");
    EXPECT_TRUE(std::regex_match(row.at(3).value(), std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}")))
        << *row.at(3);
    check_value("responses", id);
    // The answers and nothing else: options in the order of the layout's units
    // (store/answers_json.hpp).
    const std::string answers = row.at(4).value(), units = row.at(5).value();
    if (row.at(2) == "IIT") {
      EXPECT_EQ(units, R"(["I1","I2"])");
      EXPECT_TRUE(std::regex_match(answers, std::regex(R"(\["[1-4]","Y"\])"))) << answers;
    } else {
      EXPECT_EQ(units, R"(["E1"])");
      EXPECT_TRUE(std::regex_match(answers, std::regex(R"(\["[1-4]"\])"))) << answers;
    }
    // The key is the round and the first 40 bits of the random id: nothing of the time.
    EXPECT_EQ(std::stoll(row.at(6).value()),
              (round.id << 40) | std::stoll(id.substr(0, 10), nullptr, 16));
  }
  EXPECT_EQ(raw_count("answer_layouts"), 2) << "one layout per set of units";
  const auto codes = db->query("SELECT code_hash, round_id, used FROM access_codes");
  ASSERT_EQ(codes.size(), 20u);
  for (const auto& row : codes) {
    EXPECT_EQ(std::find(submitted.begin(), submitted.end(), row.at(0).value()), submitted.end());
  }

  // Response ids are random: neither their order nor the order reads return says who came first.
  std::vector<std::string> sorted = submitted;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_NE(sorted, submitted);
  std::vector<std::string> read_order;
  for (const auto& row : answers_of(round.id)) {
    if (read_order.empty() || read_order.back() != row.response_id)
      read_order.push_back(row.response_id);
  }
  EXPECT_EQ(read_order, sorted);
  if (GetParam() == Backend::SQLite) {
    // The rowid is the slot (random within the round), never a counter of submissions.
    EXPECT_EQ(raw_count("responses WHERE rowid <> slot"), 0);
    EXPECT_FALSE(db->succeeds("SELECT rowid FROM access_codes"));
  }

  // The schema itself refuses a time of day, a non-random id, a key of another round or answers
  // that are not an array.
  const std::string rid = std::to_string(round.id);
  const std::string layout = db->query("SELECT MIN(id) FROM answer_layouts").at(0).at(0).value();
  const std::int64_t free_slot =
      (round.id << 40) + 1;  // ids of 20 responses never start with 9 zeros
  const auto insert = [&](std::int64_t slot, const std::string& id, const std::string& day,
                          const std::string& answers) {
    return db->succeeds(
        "INSERT INTO responses (slot, round_id, id, tool, day, layout, answers) VALUES (" +
        std::to_string(slot) + ", " + rid + ", '" + id + "', 'IIT', '" + day + "', " + layout +
        ", '" + answers + "')");
  };
  const std::string probe_id = "00000000010000000000000000000001";
  EXPECT_FALSE(insert(free_slot, probe_id, "2024-05-01 10:42:07", "[]"));
  EXPECT_FALSE(insert(free_slot, "1", "2024-05-01", "[]"));
  EXPECT_FALSE(insert(free_slot, probe_id, "2024-05-01", R"({"I1":"4"})"));
  EXPECT_FALSE(insert(free_slot, probe_id, "2024-05-01", R"(["4")"));
  EXPECT_FALSE(insert(free_slot + (std::int64_t{1} << 40), probe_id, "2024-05-01", R"(["4","Y"])"));
  EXPECT_TRUE(insert(free_slot, probe_id, "2024-05-01", R"(["4","Y"])"))
      << "the probe statements above are valid apart from the value under test";
}

// PostgreSQL keeps the writing transaction of each row version (xmin). Consuming a code
// rewrites every used code of the round, so the codes all share the newest xmin and none of
// them pairs with the response stored in the same transaction.
TEST_F(PostgresStore, UsedAccessCodesCannotBePairedWithResponsesThroughXmin) {
  const Agency a = store_->create_agency({0, "x", "", "", ""}, std::nullopt);
  const Round round =
      store_->create_round({0, a.id, "2564", 5, 5, "ti", "te", true, RoundStatus::Open}, 1);
  store_->add_access_codes(round.id, {"h1", "h2", "h3"}, 1);
  for (const char* h : {"h1", "h2", "h3"}) {
    store_->submit_response({round.id, ToolId::IIT, "2026-11-24", {{"I1", "4"}}, std::string(h)});
  }
  auto db = test::open_raw_postgres(url_);
  const auto codes = db->query("SELECT DISTINCT xmin::text FROM access_codes WHERE used");
  ASSERT_EQ(codes.size(), 1u) << "used codes carry different transaction ids";
  const auto linked = db->query(
      "SELECT COUNT(*) FROM responses r JOIN access_codes c ON c.xmin = r.xmin WHERE c.used");
  EXPECT_EQ(linked.at(0).at(0), "3")
      << "only the last response shares the codes' xmin, with all 3 codes";
}

}  // namespace
}  // namespace ita::store
