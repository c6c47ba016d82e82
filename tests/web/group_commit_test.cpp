// Group commit of survey submissions (store/submission_writer.hpp), over loopback HTTP on SQLite
// and on PostgreSQL: every 2xx is a committed response stored exactly once, no reply goes out
// before its batch commits, a batch whose commit fails answers 503 to all of its requests and
// stores none of them, an access code given twice in one batch is used once, and stopping the
// server answers the submissions still waiting.
//
// A "gate" in the writer's before_commit hook holds one batch inside its transaction, so the
// tests can line up the next batch deterministically: they wait until the writer's queue holds
// exactly the requests they sent.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/edition.hpp"
#include "raw_db.hpp"
#include "service/responses.hpp"
#include "support/synthetic.hpp"
#include "web/app_fixture.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::HttpResponse;

// Holds a batch inside its transaction until released, and fails batches on request.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool hold_next = false;  // the next batch waits in before_commit until release()
  bool holding = false;    // a batch is waiting there now
  int fail_next = 0;       // the next n batches (not held ones) fail before COMMIT
  std::vector<std::size_t> sizes;

  void before_commit(std::size_t n) {
    std::unique_lock lock(mutex);
    sizes.push_back(n);
    if (hold_next) {
      hold_next = false;
      holding = true;
      changed.notify_all();
      changed.wait(lock, [&] { return !holding; });
      return;
    }
    if (fail_next > 0) {
      --fail_next;
      throw std::runtime_error("injected failure before COMMIT");
    }
  }
  void wait_until_holding() {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(20), [&] { return holding; }));
  }
  void release() {
    {
      std::lock_guard lock(mutex);
      holding = false;
    }
    changed.notify_all();
  }
};

// IIT answers whose first units spell a number (in each unit's scale), so that a stored response
// can be told apart from the others without storing anything but answers.
class Numbered {
 public:
  Numbered() {
    const auto agency = testing::make_agency(testing::edition_path("2564"), 5, 1, 0);
    for (const auto& row : agency.rows) {
      if (row.tool == "IIT") base_[row.item] = row.answer;
    }
    for (const auto& [unit, _] : base_) {
      if (digits_.size() == 10) break;
      digits_.push_back({unit, &edition_.scale_of(*edition_.find_answer_unit(unit))});
    }
  }
  json answers(std::uint64_t n) const {
    json a(base_);
    for (const auto& [unit, scale] : digits_) {
      a[unit] = scale->options[n % scale->options.size()].code;
      n /= scale->options.size();
    }
    return a;
  }
  std::uint64_t number(const std::map<std::string, std::string>& stored) const {
    std::uint64_t n = 0;
    for (auto it = digits_.rbegin(); it != digits_.rend(); ++it) {
      const auto& options = it->second->options;
      std::size_t i = 0;
      while (i < options.size() && options[i].code != stored.at(it->first)) ++i;
      n = n * options.size() + i;
    }
    return n;
  }

 private:
  io::EditionSet editions_ = io::EditionSet::builtin();
  const Edition& edition_ = *editions_.find("2564");
  std::map<std::string, std::string> base_;
  std::vector<std::pair<std::string, const Scale*>> digits_;
};

class GroupCommit : public testing::AppFixture {
 protected:
  web::AppOptions options() const override {
    web::AppOptions o = AppFixture::options();
    o.db_url = db_.url;  // the writer on its own connection, as `ita serve` runs it
    o.writer.before_commit = [gate = gate_](std::size_t n) { gate->before_commit(n); };
    return o;
  }

  void SetUp() override {
    AppFixture::SetUp();
    if (IsSkipped()) return;
    const auto agency = store_->create_agency({0, "เทศบาลตำบลกลุ่ม", "", "", ""}, std::nullopt);
    round_ = store_->create_round({0, agency.id, "2564", 50, 50, random_token(8), random_token(8),
                                   true, store::RoundStatus::Open},
                                  admin_user_.id);
    open_round_ = store_->create_round({0, agency.id, "2564", 50, 50, random_token(8),
                                        random_token(8), false, store::RoundStatus::Open},
                                       admin_user_.id);
    const auto survey = raw("GET", "/s/" + round_.iit_token, "", {});
    csrf_cookie_ = testing::cookie_from(survey, "ita_csrf");
    ASSERT_FALSE(csrf_cookie_.empty());
  }

  // The survey link's route of `r`'s IIT survey.
  std::string api_url(const store::Round& r) const {
    return "/api/v1/s/" + r.iit_token + "/responses";
  }

  HttpResponse post_api(const store::Round& r, const json& answers, const std::string& code = "") {
    json body = {{"answers", answers}};
    if (!code.empty()) body["access_code"] = code;
    return api("POST", api_url(r), body, "");
  }

  // A form's one-time value for `r`, as showing the survey form issues it.
  std::string form_token(const store::Round& r) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    return service::issue_form_token(*store_, r.id, now);
  }

  // The public survey form of `r`'s IIT link, as a browser posts it: with `token`, the form's
  // one-time value (a fresh one when empty; issue it before holding a batch: on SQLite, issuing
  // waits for the writer's transaction).
  HttpResponse post_form(const store::Round& r, const json& answers, const std::string& code = "",
                         std::string token = "") {
    if (token.empty()) token = form_token(r);
    const std::string csrf = csrf_cookie_.substr(csrf_cookie_.find('=') + 1);
    std::string body = "csrf=" + csrf + "&form_token=" + url_encode(token);
    if (!code.empty()) body += "&access_code=" + url_encode(code);
    for (const auto& [unit, option] : answers.items())
      body += "&" + url_encode(unit) + "=" + url_encode(option.get<std::string>());
    return raw("POST", "/s/" + r.iit_token, body,
               {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", csrf_cookie_}});
  }

  // Waits until the writer's queue holds `n` submissions.
  void wait_queued(std::size_t n) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (app_->submission_stats().queued != n) {
      ASSERT_LT(std::chrono::steady_clock::now(), end)
          << "queued " << app_->submission_stats().queued << ", expected " << n;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  // The stored IIT responses of `r` by the number their answers spell.
  std::map<std::uint64_t, int> stored_numbers(const store::Round& r) {
    std::map<std::string, std::map<std::string, std::string>> responses;
    store_->for_each_answer(r.id, [&](const store::AnswerRow& a) {
      if (a.tool == ToolId::IIT) responses[a.response_id][a.unit] = a.option;
    });
    std::map<std::uint64_t, int> out;
    for (const auto& [_, answers] : responses) ++out[numbered_.number(answers)];
    return out;
  }

  std::vector<std::string> add_codes(const store::Round& r, int n) {
    std::vector<std::string> codes, hashes;
    for (int i = 0; i < n; ++i) {
      codes.push_back(random_token(6));
      hashes.push_back(sha256_hex(codes.back()));
    }
    store_->add_access_codes(r.id, hashes, admin_user_.id);
    return codes;
  }

  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  Numbered numbered_;
  store::Round round_, open_round_;  // with access codes; without
  std::string csrf_cookie_;
};

// Runs `fn` on its own thread and keeps its result.
struct Client {
  HttpResponse response;
  std::atomic<bool> answered{false};
  std::thread thread;  // last: it starts in the constructor and uses the members above
  explicit Client(std::function<HttpResponse()> fn)
      : thread([this, fn = std::move(fn)] {
          response = fn();
          answered = true;
        }) {}
  ~Client() {
    if (thread.joinable()) thread.join();
  }
  const HttpResponse& get() {
    if (thread.joinable()) thread.join();
    return response;
  }
};

TEST_P(GroupCommit, ConcurrentSubmissionsAreEachStoredOnceAfterTheirCommit) {
  constexpr int kThreads = 12, kEach = 20;
  std::mutex m;
  std::set<std::uint64_t> acknowledged;
  std::map<int, int> statuses;
  int forms_acknowledged = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::uint64_t n = static_cast<std::uint64_t>(t * kEach + i);
        // Every fourth through the public form, the rest through the API.
        const bool form = i % 4 == 3;
        const auto r = form ? post_form(open_round_, numbered_.answers(n))
                            : post_api(open_round_, numbered_.answers(n));
        std::lock_guard lock(m);
        ++statuses[r.status];
        // The API answers 201, the form a redirect to its thank-you page.
        if (r.status == (form ? 303 : 201)) {
          acknowledged.insert(n);
          forms_acknowledged += form ? 1 : 0;
          if (form) {
            EXPECT_EQ(r.headers.at("location"), "/s/" + open_round_.iit_token + "/thanks");
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(statuses,
            (std::map<int, int>{{201, kThreads * kEach * 3 / 4}, {303, kThreads * kEach / 4}}));
  EXPECT_EQ(forms_acknowledged, kThreads * kEach / 4);
  const auto stored = stored_numbers(open_round_);
  std::set<std::uint64_t> stored_once;
  for (const auto& [n, times] : stored) {
    EXPECT_EQ(times, 1) << "response " << n << " stored " << times << " times";
    stored_once.insert(n);
  }
  EXPECT_EQ(stored_once, acknowledged);
  EXPECT_EQ(store_->response_counts(open_round_.id).at(ToolId::IIT), kThreads * kEach);
  const auto stats = app_->submission_stats();
  EXPECT_EQ(stats.responses, static_cast<std::uint64_t>(kThreads * kEach));
  EXPECT_GT(stats.largest, 1u) << "no two submissions shared a commit";
  EXPECT_LT(stats.batches, stats.responses);
}

TEST_P(GroupCommit, NoReplyBeforeTheCommitAndAFailedCommitStoresNoneOfItsBatch) {
  const auto codes = add_codes(round_, 4);
  const std::string open_form = form_token(open_round_), coded_form = form_token(round_);
  gate_->hold_next = true;
  Client plug([&] { return post_api(open_round_, numbered_.answers(1)); });
  gate_->wait_until_holding();
  // The next batch: two API and two form submissions, two of them consuming access codes.
  std::vector<std::unique_ptr<Client>> batch;
  batch.push_back(
      std::make_unique<Client>([&] { return post_api(open_round_, numbered_.answers(2)); }));
  batch.push_back(std::make_unique<Client>(
      [&] { return post_form(open_round_, numbered_.answers(3), "", open_form); }));
  batch.push_back(
      std::make_unique<Client>([&] { return post_api(round_, numbered_.answers(4), codes[0]); }));
  batch.push_back(std::make_unique<Client>(
      [&] { return post_form(round_, numbered_.answers(5), codes[1], coded_form); }));
  wait_queued(4);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // The plug's rows are written but not committed: nobody has a reply yet.
  EXPECT_FALSE(plug.answered);
  for (const auto& c : batch) EXPECT_FALSE(c->answered);
  EXPECT_EQ(store_->response_counts(open_round_.id).at(ToolId::IIT), 0);
  {
    std::lock_guard lock(gate_->mutex);
    gate_->fail_next = 1;
  }
  gate_->release();
  EXPECT_EQ(plug.get().status, 201) << plug.get().body;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& r = batch[i]->get();
    EXPECT_EQ(r.status, 503) << i << ": " << r.body;
    EXPECT_EQ(r.headers.count("retry-after"), 1u) << i;
    if (i % 2 == 0) {
      EXPECT_EQ(json::parse(r.body)["error"]["status"], 503) << r.body;
    } else {
      // The form comes back with the answers still chosen, to be sent again.
      EXPECT_NE(r.body.find("ระบบบันทึกคำตอบไม่สำเร็จ"), std::string::npos) << r.body;
      EXPECT_NE(r.body.find("checked"), std::string::npos);
    }
  }
  {
    std::lock_guard lock(gate_->mutex);
    EXPECT_EQ(gate_->sizes, (std::vector<std::size_t>{1, 4}));
  }
  EXPECT_EQ(stored_numbers(open_round_), (std::map<std::uint64_t, int>{{1, 1}}));
  EXPECT_EQ(store_->response_counts(round_.id).at(ToolId::IIT), 0);
  // The failed batch consumed no code and no form value: both still work, once.
  EXPECT_EQ(store_->access_code_counts(round_.id), (std::pair<int, int>{4, 0}));
  EXPECT_EQ(post_api(round_, numbered_.answers(6), codes[0]).status, 201);
  EXPECT_EQ(post_form(round_, numbered_.answers(7), codes[1], coded_form).status, 303);
  EXPECT_EQ(store_->access_code_counts(round_.id), (std::pair<int, int>{4, 2}));
  EXPECT_EQ(stored_numbers(round_), (std::map<std::uint64_t, int>{{6, 1}, {7, 1}}));
}

TEST_P(GroupCommit, AnAccessCodeGivenTwiceInOneBatchIsUsedOnce) {
  const auto codes = add_codes(round_, 3);
  const std::string form = form_token(round_);
  gate_->hold_next = true;
  Client plug([&] { return post_api(round_, numbered_.answers(1), codes[2]); });
  gate_->wait_until_holding();
  Client first([&] { return post_api(round_, numbered_.answers(2), codes[0]); });
  wait_queued(1);
  Client second([&] { return post_form(round_, numbered_.answers(3), codes[0], form); });
  wait_queued(2);
  Client third([&] { return post_api(round_, numbered_.answers(4), codes[1]); });
  wait_queued(3);
  gate_->release();
  EXPECT_EQ(plug.get().status, 201);
  EXPECT_EQ(first.get().status, 201) << first.get().body;
  EXPECT_EQ(second.get().status, 422) << second.get().body;  // the form's "code not valid or used"
  EXPECT_NE(second.get().body.find("รหัสเข้าตอบไม่ถูกต้องหรือถูกใช้ไปแล้ว"), std::string::npos);
  EXPECT_EQ(third.get().status, 201) << third.get().body;
  {
    std::lock_guard lock(gate_->mutex);
    EXPECT_EQ(gate_->sizes, (std::vector<std::size_t>{1, 3}));  // the three were one batch
  }
  EXPECT_EQ(stored_numbers(round_), (std::map<std::uint64_t, int>{{1, 1}, {2, 1}, {4, 1}}));
  EXPECT_EQ(store_->access_code_counts(round_.id), (std::pair<int, int>{3, 3}));
  // Once more through the API, in a batch of its own: still refused.
  const auto again = post_api(round_, numbered_.answers(5), codes[0]);
  EXPECT_EQ(again.status, 409) << again.body;
}

// The store's own check of a batch, response by response, is tested beside the store:
// tests/store/responses_test.cpp (StoreTest.TheStoreChecksEachResponseOfABatchInOrder).

TEST_P(GroupCommit, StoppingTheServerAnswersTheSubmissionsWaitingForTheirCommit) {
  std::atomic<bool> server_stopped{false};
  // The fixture's server thread: replace it by one that records when run() returns.
  server_->stop();
  thread_.join();
  server_ = std::make_unique<web::Server>(web::ServerOptions{"127.0.0.1", 0, 2, 64 * 1024},
                                          [this](web::Request& r) { return app_->handle(r); });
  port_ = server_->listen();
  thread_ = std::thread([&] {
    server_->run();
    server_stopped = true;
  });

  gate_->hold_next = true;
  Client plug([&] { return post_api(open_round_, numbered_.answers(1)); });
  gate_->wait_until_holding();
  std::vector<std::unique_ptr<Client>> waiting;
  for (std::uint64_t n = 2; n <= 5; ++n) {
    waiting.push_back(
        std::make_unique<Client>([&, n] { return post_api(open_round_, numbered_.answers(n)); }));
  }
  wait_queued(4);
  server_->stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(server_stopped) << "the server stopped with replies owed";
  EXPECT_THROW(raw("GET", "/healthz", "", {}), std::runtime_error)
      << "a stopping server takes no new connection";
  gate_->release();
  EXPECT_EQ(plug.get().status, 201);
  for (auto& c : waiting) EXPECT_EQ(c->get().status, 201) << c->get().body;
  thread_.join();
  EXPECT_TRUE(server_stopped);
  EXPECT_EQ(stored_numbers(open_round_),
            (std::map<std::uint64_t, int>{{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}}));

  // The writer stopped (as when `ita serve` exits): a submission now gets 503, nothing stored.
  app_->stop_submissions();
  web::Request r;
  r.method = "POST";
  r.path = r.target = api_url(open_round_);
  r.headers["content-type"] = "application/json";
  r.body = json{{"answers", numbered_.answers(6)}}.dump();
  Response res = app_->handle(r);
  ASSERT_TRUE(res.pending);
  res = res.pending->wait();
  EXPECT_EQ(res.status, 503) << res.body;
  EXPECT_EQ(store_->response_counts(open_round_.id).at(ToolId::IIT), 5);
}

// PostgreSQL keeps rows in a heap in the order they are written (README, "Anonymity"): a batch
// writes its rows in the order of their random ids, so inside a batch the physical order says
// nothing about the order of arrival. (SQLite's tables are WITHOUT ROWID: always in id order.)
TEST_P(GroupCommit, ABatchWritesItsRowsInRandomIdOrder) {
  if (GetParam() != "postgres") GTEST_SKIP() << "SQLite keeps rows in id order by construction";
  gate_->hold_next = true;
  Client plug([&] { return post_api(open_round_, numbered_.answers(100)); });
  gate_->wait_until_holding();
  std::vector<std::unique_ptr<Client>> batch;
  for (std::uint64_t n = 0; n < 12; ++n) {
    batch.push_back(
        std::make_unique<Client>([&, n] { return post_api(open_round_, numbered_.answers(n)); }));
    wait_queued(n + 1);  // arrival order = n
  }
  gate_->release();
  for (auto& c : batch) ASSERT_EQ(c->get().status, 201);
  auto raw_db = test::open_raw_postgres(db_.url);
  const auto rows = raw_db->query("SELECT r.id, xmin::text FROM responses r WHERE round_id = " +
                                  std::to_string(open_round_.id) + " ORDER BY ctid");
  std::map<std::string, std::vector<std::string>> by_transaction;
  for (const auto& row : rows) by_transaction[*row[1]].push_back(*row[0]);
  ASSERT_EQ(by_transaction.size(), 2u);  // the plug, then the batch of 12
  for (const auto& [xmin, ids] : by_transaction) {
    if (ids.size() != 12) continue;
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()))
        << "rows of a batch in another order than their ids";
  }
  // ...which is not the order of arrival (by the answers' numbers), except by a 1 in 12! chance.
  std::map<std::string, std::map<std::string, std::string>> answers;
  store_->for_each_answer(open_round_.id, [&](const store::AnswerRow& a) {
    answers[a.response_id][a.unit] = a.option;
  });
  std::vector<std::uint64_t> physical;
  for (const auto& [xmin, ids] : by_transaction) {
    if (ids.size() != 12) continue;
    for (const auto& id : ids) physical.push_back(numbered_.number(answers.at(id)));
  }
  EXPECT_FALSE(std::is_sorted(physical.begin(), physical.end()));
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupCommit, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
