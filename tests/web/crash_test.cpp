// Crash durability: the real `ita serve` on SQLite and on PostgreSQL takes concurrent survey
// submissions and is killed with SIGKILL at several points; after each kill it is restarted on
// the same database. At the end every response acknowledged with 2xx is stored exactly once,
// and nothing is stored twice or out of thin air.
//
// Answers are anonymous, so a response is recognised by its answers: the first units of the
// IIT questionnaire spell the submission's number in base |scale|. ITA_SOAK_KILLS=N runs N kill
// points per backend instead of the CI's 5 (`make soak`).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "io/edition_registry.hpp"
#include "store/store.hpp"
#include "support/http_client.hpp"
#include "support/synthetic.hpp"
#include "web/auth.hpp"
#include "web/test_databases.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::http;

constexpr int kClients = 6;
constexpr std::size_t kDigits = 12;  // units that carry the submission number

int kill_points() {
  const char* soak = std::getenv("ITA_SOAK_KILLS");
  return soak != nullptr && std::atoi(soak) > 0 ? std::atoi(soak) : 5;
}

// Builds answers whose first kDigits units encode `n`, and reads `n` back from stored answers.
class Encoder {
 public:
  explicit Encoder(const Edition& e) {
    const auto agency = testing::make_agency(testing::edition_path("2564"), 7, 1, 0);
    for (const auto& row : agency.rows) {
      if (row.tool == "IIT") base_[row.item] = row.answer;
    }
    for (const auto& [unit, _] : base_) {
      if (digits_.size() == kDigits) break;
      const auto ref = e.find_answer_unit(unit);
      digits_.push_back({unit, &e.scale_of(*ref)});
    }
  }

  json answers(std::uint64_t n) const {
    json a(base_);
    for (const auto& [unit, scale] : digits_) {
      const auto radix = scale->options.size();
      a[unit] = scale->options[n % radix].code;
      n /= radix;
    }
    return a;
  }

  std::uint64_t decode(const std::map<std::string, std::string>& stored) const {
    std::uint64_t n = 0;
    for (auto it = digits_.rbegin(); it != digits_.rend(); ++it) {
      const auto& options = it->second->options;
      std::size_t index = 0;
      while (index < options.size() && options[index].code != stored.at(it->first)) ++index;
      n = n * options.size() + index;
    }
    return n;
  }

 private:
  std::map<std::string, std::string> base_;
  std::vector<std::pair<std::string, const Scale*>> digits_;
};

class Crash : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = testing::make_test_database(
        GetParam(), ::testing::UnitTest::GetInstance()->current_test_info()->name());
    if (db_.url.empty()) GTEST_SKIP() << db_.skip_reason;
    auto st = store::open_store(db_.url);
    const auto a = st->create_agency({0, "ทดสอบการล่ม", "", "", ""}, std::nullopt);
    init_crypto();
    const auto u = st->create_user(
        {0, "o@crash.test", store::Role::Officer, a.id, hash_password("x")}, std::nullopt);
    round_ = st->create_round(
                   {0, a.id, "2564", 10, 10, random_token(8), random_token(8), false, "open"}, u.id)
                 .id;
  }

  void TearDown() override { testing::drop_test_database(db_); }

  // Starts `ita serve` on the database; returns its pid once /healthz answers.
  pid_t start(unsigned short port) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::execl(ITA_BINARY, "ita", "serve", "--db", db_.url.c_str(), "--port",
              std::to_string(port).c_str(), "--threads", "2", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      try {
        if (http(port, "GET", "/healthz").status == 200) return pid;
      } catch (const std::exception&) {
      }
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ADD_FAILURE() << "ita serve did not start on " << GetParam();
    return -1;
  }

  testing::TestDatabase db_;
  std::int64_t round_ = 0;
};

TEST_P(Crash, EveryAcknowledgedResponseSurvivesSigkillExactlyOnce) {
  const io::EditionSet editions = io::EditionSet::builtin();
  const Encoder encoder(editions.get("2564"));
  std::mt19937 rng(static_cast<unsigned>(::getpid()));
  std::atomic<std::uint64_t> next{1};
  std::mutex mutex;
  std::set<std::uint64_t> acknowledged, attempted;
  const std::string target = "/api/v1/rounds/" + std::to_string(round_) + "/responses/iit";
  const int kills = kill_points();
  for (int k = 0; k < kills; ++k) {
    const auto port = static_cast<unsigned short>(20000 + rng() % 30000);
    const pid_t pid = start(port);
    ASSERT_GT(pid, 0);
    // Kill points: right after start, after a few, and well into the load.
    const std::size_t kill_after =
        k == 0 ? 0 : static_cast<std::size_t>(rng() % (40 * static_cast<unsigned>(k)));
    std::atomic<std::size_t> acked_here{0};
    std::atomic<bool> gone{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&] {
        while (!gone) {
          const std::uint64_t n = next++;
          {
            std::lock_guard lock(mutex);
            attempted.insert(n);
          }
          try {
            const auto r = http(port, "POST", target, json{{"answers", encoder.answers(n)}}.dump(),
                                {{"Content-Type", "application/json"}});
            if (r.status == 201) {
              std::lock_guard lock(mutex);
              acknowledged.insert(n);
              ++acked_here;
            } else if (r.status < 500) {
              ADD_FAILURE() << "submission " << n << ": " << r.status << " " << r.body;
              return;
            }
          } catch (const std::exception&) {
            return;  // the server is gone
          }
        }
      });
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (acked_here < kill_after && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    ::kill(pid, SIGKILL);
    gone = true;
    for (auto& c : clients) c.join();
    ::waitpid(pid, nullptr, 0);
  }

  // What the database holds, decoded.
  auto st = store::open_store(db_.url);
  std::map<std::string, std::map<std::string, std::string>> responses;
  st->for_each_answer(round_, [&](const store::AnswerRow& row) {
    responses[row.response_id][row.unit] = row.option;
  });
  std::map<std::uint64_t, int> stored;
  for (const auto& [id, answers] : responses) ++stored[encoder.decode(answers)];
  ASSERT_GT(acknowledged.size(), 0U);
  std::size_t lost = 0, twice = 0, invented = 0;
  for (auto n : acknowledged) lost += stored.contains(n) ? 0 : 1;
  for (const auto& [n, times] : stored) {
    twice += times > 1 ? 1 : 0;
    invented += attempted.contains(n) ? 0 : 1;
  }
  EXPECT_EQ(lost, 0U) << "acknowledged but not stored";
  EXPECT_EQ(twice, 0U) << "stored more than once";
  EXPECT_EQ(invented, 0U) << "stored but never sent";
  EXPECT_LE(stored.size(), acknowledged.size() + static_cast<std::size_t>(kills * kClients))
      << "beyond the acknowledged, at most the requests in flight at each kill";
  std::cout << GetParam() << ": " << kills << " kill points survived, " << acknowledged.size()
            << " acknowledged responses, " << stored.size() << " stored, 0 lost, 0 duplicated\n";
}

INSTANTIATE_TEST_SUITE_P(Backends, Crash, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
