// Mixing (src/store/sql_mixing.cpp, Store::mix_step; the writer's passes in
// src/store/submission_writer.cpp), on both backends, judged as an attacker would: someone who
// reads the database's files (tests/store/attacker_reader.hpp) or, on PostgreSQL, the rows'
// hidden columns. Responses are stored one per transaction, as a server under a light load
// stores them. Before mixing the attack must work (which proves the reader reads what is there);
// after it, every order the files show follows the random keys, and so says nothing of the
// order of arrival.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "attacker_reader.hpp"
#include "store/answers_json.hpp"
#include "store/submission_writer.hpp"
#include "store_fixture.hpp"

namespace ita::store {
namespace {

using namespace fixture;

using test::against;
using test::keys;
using test::Order;

// Answers to `units` answer units, options drawn from a fixed seed: rows of a real response's
// size (an EIT response of edition 2564 answers 19 units, an IIT one 51).
std::map<std::string, std::string> answers(std::mt19937& random, int units) {
  std::map<std::string, std::string> out;
  for (int u = 1; u <= units; ++u)
    out["u" + std::to_string(100 + u)] = std::to_string(1 + random() % 5);
  return out;
}

class Mixing : public StoreTest {
 protected:
  // Stores `n` EIT responses to `round_id`, each in its own transaction; returns slot → arrival.
  Order submit_one_by_one(std::int64_t round_id, int n) {
    Order arrival;
    for (int i = 0; i < n; ++i) {
      const std::string id = submit(round_id, ToolId::EIT, answers(random_, 51));
      arrival[answers_json::slot_of(round_id, id)] = i;
    }
    return arrival;
  }

  void expect_order_of_arrival_shows(std::int64_t round_id, const Order& arrival) {
    auto db = raw();
    test::expect_arrival_order_shows({sqlite_path(), *db}, round_id, arrival);
  }
  void expect_only_key_order_shows(std::int64_t round_id, const Order& arrival) {
    auto db = raw();
    test::expect_only_key_order_shows({sqlite_path(), *db}, round_id, arrival);
  }
  std::string sqlite_path() const { return GetParam() == Backend::SQLite ? path_ : ""; }

  std::set<std::string> marked(const std::string& table) {
    std::set<std::string> out;
    for (const auto& row : raw()->query("SELECT round_id FROM " + table)) out.insert(*row.at(0));
    return out;
  }

  std::mt19937 random_{13};
};

TEST_P(Mixing, ARoundOnOnePageShowsItsOrderOfArrivalUntilMixed) {
  const Round round = make_round(make_agency().id, "small");
  const Order arrival = submit_one_by_one(round.id, 8);
  if (GetParam() == Backend::SQLite) {
    // Eight rows fit one page: SQLite wrote each below the one before.
    const test::SqliteView v = test::sqlite_view(path_, round.id, arrival);
    std::set<double> pages;
    for (const auto& [_, page] : v.orders.at("page")) pages.insert(page);
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_GT(against(v.orders.at("page, then cell offset"), arrival), 0.99);
    EXPECT_GT(against(v.orders.at("log frame"), arrival), 0.99);
  } else {
    expect_order_of_arrival_shows(round.id, arrival);
  }
  EXPECT_EQ(store_->mix_responses(), 8);
  expect_only_key_order_shows(round.id, arrival);
  if (GetParam() == Backend::SQLite) {
    const test::SqliteView v = test::sqlite_view(path_, round.id, arrival);
    EXPECT_GT(against(v.orders.at("page, then cell offset"), keys(arrival)), 0.99);
  }
}

TEST_P(Mixing, AfterMixingNoOrderInTheFilesFollowsTheOrderOfArrival) {
  const Round round = make_round(make_agency().id, "large");
  const Order arrival = submit_one_by_one(round.id, 200);
  expect_order_of_arrival_shows(round.id, arrival);
  EXPECT_EQ(store_->mix_responses(), 200);
  expect_only_key_order_shows(round.id, arrival);
}

TEST_P(Mixing, MixingKeepsEveryResponseAndClearsTheMarks) {
  const Agency a = make_agency();
  const Round one = make_round(a.id, "one"), two = make_round(a.id, "two");
  const Round quiet = make_round(a.id, "quiet");
  submit_one_by_one(one.id, 7);
  submit_one_by_one(two.id, 5);
  submit(two.id, ToolId::IIT, answers(random_, 3));
  EXPECT_EQ(marked("rounds_to_mix"),
            (std::set<std::string>{std::to_string(one.id), std::to_string(two.id)}));
  const auto before_one = answers_of(one.id), before_two = answers_of(two.id);
  const auto counts = store_->response_counts(two.id);

  EXPECT_EQ(store_->mix_responses(), 13);
  EXPECT_TRUE(marked("rounds_to_mix").empty());
  EXPECT_TRUE(marked("rounds_being_mixed").empty());
  const auto same = [](const std::vector<AnswerRow>& now, const std::vector<AnswerRow>& then) {
    std::set<std::tuple<std::string, std::string, std::string>> x, y;
    for (const auto& r : now) x.emplace(r.response_id, r.unit, r.option);
    for (const auto& r : then) y.emplace(r.response_id, r.unit, r.option);
    return x == y && now.size() == then.size();
  };
  EXPECT_TRUE(same(answers_of(one.id), before_one));
  EXPECT_TRUE(same(answers_of(two.id), before_two));
  EXPECT_EQ(store_->response_counts(two.id), counts);
  EXPECT_EQ(store_->response_counts(quiet.id).at(ToolId::EIT), 0);
  EXPECT_EQ(store_->mix_responses(), 0) << "nothing is marked any more";
}

TEST_P(Mixing, ARoundThatGetsAResponseWhileItIsMixedStaysMarked) {
  const Round round = make_round(make_agency().id, "steps");
  Order arrival = submit_one_by_one(round.id, 10);
  const auto step = store_->mix_step(0, 4);
  ASSERT_TRUE(step);
  EXPECT_EQ(step->round_id, round.id);
  EXPECT_EQ(step->rows, 4);
  EXPECT_TRUE(marked("rounds_to_mix").empty());
  EXPECT_EQ(marked("rounds_being_mixed"), std::set<std::string>{std::to_string(round.id)});

  // Arrives between two steps (the writer stores batches between them).
  arrival[answers_json::slot_of(round.id, submit(round.id, ToolId::EIT, answers(random_, 5)))] = 10;
  std::int64_t rows = step->rows;
  std::int64_t after = step->round_id;
  while (const auto next = store_->mix_step(after, 4)) {
    EXPECT_EQ(next->round_id, round.id) << "the pass goes on with the round it is in";
    rows += next->rows;
    after = next->round_id;
  }
  EXPECT_GE(rows, 10);
  EXPECT_LE(rows, 11);
  EXPECT_TRUE(marked("rounds_being_mixed").empty());
  EXPECT_EQ(marked("rounds_to_mix"), std::set<std::string>{std::to_string(round.id)})
      << "the response that came during the pass waits for the next one";
  EXPECT_EQ(store_->mix_responses(), 11);
  EXPECT_TRUE(marked("rounds_to_mix").empty());
  EXPECT_EQ(store_->response_counts(round.id).at(ToolId::EIT), 11);
  expect_only_key_order_shows(round.id, arrival);
}

// The writer of `ita serve`: its own connection to the database, as web::App opens it.
class WriterMixing : public Mixing {
 protected:
  std::unique_ptr<SubmissionWriter> writer(std::chrono::milliseconds interval) {
    WriterOptions options;
    options.mix_interval = interval;
    return std::make_unique<SubmissionWriter>(
        open_store(url_, StoreOptions{.continuous_writes = true}), options);
  }
  // Hands `n` EIT responses to `w` one after the other, each once the one before is committed.
  Order submit_through(SubmissionWriter& w, std::int64_t round_id, int n) {
    Order arrival;
    for (int i = 0; i < n; ++i) {
      NewResponse r;
      r.round_id = round_id;
      r.tool = ToolId::EIT;
      r.day = "2024-05-01";
      r.answers = answers(random_, 51);
      std::promise<SubmitOutcome> done;
      w.submit(std::move(r), [&](const SubmitOutcome& o) { done.set_value(o); });
      const SubmitOutcome o = done.get_future().get();
      EXPECT_EQ(o.status, SubmitOutcome::Status::Stored) << o.message;
      arrival[answers_json::slot_of(round_id, o.id)] = i;
    }
    return arrival;
  }
  // Waits until `w` has completed `passes` passes of mixing, for 20 s at most.
  void wait_for_passes(SubmissionWriter& w, std::uint64_t passes) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (w.stats().mix_passes < passes && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_GE(w.stats().mix_passes, passes) << "no pass of mixing in 20 s";
  }
};

TEST_P(WriterMixing, TheWriterMixesWhatItStoredWhenItStops) {
  const Round round = make_round(make_agency().id, "stop");
  auto w = writer(std::chrono::milliseconds(0));  // passes only at start and stop
  const Order arrival = submit_through(*w, round.id, 200);
  expect_order_of_arrival_shows(round.id, arrival);
  w->stop();
  EXPECT_GE(w->stats().mixed, 200);  // (the first response may come before the start's pass)
  expect_only_key_order_shows(round.id, arrival);
  EXPECT_TRUE(marked("rounds_to_mix").empty());
}

TEST_P(WriterMixing, TheWriterMixesWhenIdleAtMostEveryInterval) {
  const Round round = make_round(make_agency().id, "idle");
  auto w = writer(std::chrono::milliseconds(100));
  const Order arrival = submit_through(*w, round.id, 200);
  wait_for_passes(*w, w->stats().mix_passes + 2);  // one began after the last response
  expect_only_key_order_shows(round.id, arrival);
  EXPECT_TRUE(marked("rounds_to_mix").empty());
  // Interval-bound: about one pass per 100 ms, not one after every batch.
  const auto stats = w->stats();
  EXPECT_LT(stats.mix_passes, stats.batches);
}

TEST_P(WriterMixing, AWriterThatStartsMixesWhatARunBeforeLeft) {
  const Round round = make_round(make_agency().id, "start");
  const Order arrival = submit_one_by_one(round.id, 200);  // as if a server had crashed
  expect_order_of_arrival_shows(round.id, arrival);
  auto w = writer(std::chrono::hours(1));
  wait_for_passes(*w, 1);
  expect_only_key_order_shows(round.id, arrival);
}

std::string backend_name(const testing::TestParamInfo<Backend>& param) {
  return param.param == Backend::SQLite ? "SQLite" : "PostgreSQL";
}

INSTANTIATE_TEST_SUITE_P(Backends, Mixing, testing::Values(Backend::SQLite, Backend::PostgreSQL),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, WriterMixing,
                         testing::Values(Backend::SQLite, Backend::PostgreSQL), backend_name);

}  // namespace
}  // namespace ita::store
