// Crash durability: the real `ita serve` on SQLite and on PostgreSQL takes concurrent IIT and
// EIT submissions and is killed with SIGKILL at several points; after each kill it is restarted
// on the same database. At the end every response acknowledged with 2xx is stored exactly once
// and whole, and nothing is stored twice, half or out of thin air.
//
// Answers are anonymous, so a response is recognised by its answers: the first answer units of
// its questionnaire spell the submission's number in the mixed radix of their scales, the other
// units carry fixed answers. Kill points cycle through: right after start (while the clients
// connect), right after the k-th acknowledgement (the next batch is being written), and at a
// random moment of the load. ITA_SOAK_KILLS=N runs N kill points per backend instead of the
// CI's 6 (`make soak`).
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
#include "support/serve_process.hpp"
#include "support/synthetic.hpp"
#include "web/auth.hpp"
#include "web/test_databases.hpp"

namespace ita::web {
namespace {

using nlohmann::json;
using testing::http;

constexpr int kClients = 6;
constexpr std::uint64_t kCapacity = std::uint64_t{1} << 32;  // numbers the digits must spell

int kill_points() {
  const char* soak = std::getenv("ITA_SOAK_KILLS");
  return soak != nullptr && std::atoi(soak) > 0 ? std::atoi(soak) : 6;
}

// Builds one tool's answers whose first units encode `n`, and reads `n` back from stored answers.
class Encoder {
 public:
  Encoder(const Edition& e, const std::string& tool) {
    const auto agency = testing::make_agency(testing::edition_path(e.id), 7, tool == "IIT" ? 1 : 0,
                                             tool == "EIT" ? 1 : 0);
    for (const auto& row : agency.rows) {
      if (row.tool == tool) base_[row.item] = row.answer;
    }
    std::uint64_t capacity = 1;
    for (const auto& [unit, _] : base_) {
      if (capacity >= kCapacity) break;
      const auto ref = e.find_answer_unit(unit);
      digits_.push_back({unit, &e.scale_of(*ref)});
      capacity *= digits_.back().second->options.size();
    }
    if (capacity < kCapacity) throw std::logic_error(tool + ": too few answer units to encode");
  }

  json answers(std::uint64_t n) const {
    std::map<std::string, std::string> a = base_;
    for (const auto& [unit, scale] : digits_) {
      const auto radix = scale->options.size();
      a[unit] = scale->options[n % radix].code;
      n /= radix;
    }
    return json(a);
  }

  // The number the stored answers spell, or nullopt when they are not a whole response of ours.
  std::optional<std::uint64_t> decode(const std::map<std::string, std::string>& stored) const {
    if (stored.size() != base_.size()) return std::nullopt;
    std::uint64_t n = 0;
    for (auto it = digits_.rbegin(); it != digits_.rend(); ++it) {
      const auto found = stored.find(it->first);
      if (found == stored.end()) return std::nullopt;
      const auto& options = it->second->options;
      std::size_t index = 0;
      while (index < options.size() && options[index].code != found->second) ++index;
      if (index == options.size()) return std::nullopt;
      n = n * options.size() + index;
    }
    if (answers(n) != json(stored)) return std::nullopt;  // the fixed units too
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
    const auto round = st->create_round({0, a.id, "2564", 10, 10, random_token(8), random_token(8),
                                         false, store::RoundStatus::Open},
                                        u.id);
    round_ = round.id;
    links_ = {{"IIT", round.iit_token}, {"EIT", round.eit_token}};
  }

  void TearDown() override { testing::drop_test_database(db_); }

  // Starts `ita serve` on the database (no survey rate limit: the clients all come from the
  // loopback address); returns its pid once it answers /healthz.
  pid_t start(unsigned short port) {
    testing::ServeOptions serve;
    serve.args = {"--threads", "2", "--survey-rate", "0"};
    const pid_t pid = testing::start_ita_serve(db_.url, port, serve);
    if (pid < 0) ADD_FAILURE() << "ita serve did not start on " << GetParam();
    return pid;
  }

  testing::TestDatabase db_;
  std::int64_t round_ = 0;
  std::map<std::string, std::string> links_;  // the round's survey link token per tool
};

TEST_P(Crash, EveryAcknowledgedResponseSurvivesSigkillExactlyOnce) {
  const io::EditionSet editions = io::EditionSet::builtin();
  const Edition& edition = editions.get("2564");
  const std::map<std::string, Encoder> encoders{{"IIT", Encoder(edition, "IIT")},
                                                {"EIT", Encoder(edition, "EIT")}};
  const auto tool_of = [](std::uint64_t n) { return n % 2 == 0 ? "IIT" : "EIT"; };
  const auto target_of = [&](std::uint64_t n) {
    return "/api/v1/s/" + links_.at(tool_of(n)) + "/responses";
  };
  const auto submit = [&](unsigned short port, std::uint64_t n) {
    return http(port, "POST", target_of(n),
                json{{"answers", encoders.at(tool_of(n)).answers(n)}}.dump(),
                {{"Content-Type", "application/json"}});
  };

  std::mt19937 rng(static_cast<unsigned>(::getpid()));
  std::atomic<std::uint64_t> next{1};
  std::mutex mutex;
  std::set<std::uint64_t> acknowledged, attempted;
  std::atomic<int> refused{0};
  const int kills = kill_points();
  std::map<std::string, int> kinds;
  for (int k = 0; k < kills; ++k) {
    const unsigned short port = testing::free_port();
    const pid_t pid = start(port);
    ASSERT_GT(pid, 0);
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
            const auto r = submit(port, n);
            if (r.status >= 200 && r.status < 300) {
              std::lock_guard lock(mutex);
              acknowledged.insert(n);
              ++acked_here;
            } else if (r.status < 500) {
              ADD_FAILURE() << "submission " << n << ": " << r.status << " " << r.body;
              return;
            } else {
              ++refused;  // a 5xx is not an acknowledgement; the client may try again
            }
          } catch (const std::exception&) {
            return;  // the server is gone
          }
        }
      });
    }
    const auto load_start = std::chrono::steady_clock::now();
    const auto deadline = load_start + std::chrono::seconds(10);
    if (k % 3 == 0) {
      kinds["right after start"]++;
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 5));
    } else if (k % 3 == 1) {
      kinds["after the k-th acknowledgement"]++;
      const std::size_t kill_after = 1 + rng() % (40 * static_cast<unsigned>(k));
      while (acked_here < kill_after && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
      }
    } else {
      kinds["at a random moment of the load"]++;
      std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 400));
    }
    ::kill(pid, SIGKILL);
    gone = true;
    for (auto& c : clients) c.join();
    ::waitpid(pid, nullptr, 0);
  }

  // Restarted once more after the last kill: it takes submissions and stops cleanly.
  {
    const unsigned short port = testing::free_port();
    const pid_t pid = start(port);
    ASSERT_GT(pid, 0);
    for (int i = 0; i < 2; ++i) {
      const std::uint64_t n = next++;
      attempted.insert(n);
      const auto r = submit(port, n);
      ASSERT_EQ(r.status / 100, 2) << r.body;
      acknowledged.insert(n);
    }
    const int status = testing::stop_ita_serve(pid, SIGTERM);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }

  // What the database holds, decoded.
  auto st = store::open_store(db_.url);
  std::map<std::string, std::pair<std::string, std::map<std::string, std::string>>> responses;
  st->for_each_answer(round_, [&](const store::AnswerRow& row) {
    auto& r = responses[row.response_id];
    r.first = tool_code(row.tool);
    r.second[row.unit] = row.option;
  });
  std::map<std::uint64_t, int> stored;
  std::size_t broken = 0;
  for (const auto& [id, r] : responses) {
    const auto n = encoders.at(r.first).decode(r.second);
    if (!n || tool_of(*n) != r.first) {
      ++broken;
      ADD_FAILURE() << r.first << " response " << id << " is not a whole response we sent ("
                    << r.second.size() << " answers)";
      continue;
    }
    ++stored[*n];
  }
  const auto counts = st->response_counts(round_);
  std::size_t counted = 0;
  for (const auto& [tool, c] : counts) counted += static_cast<std::size_t>(c);
  EXPECT_EQ(counted, responses.size()) << "responses without answers";

  ASSERT_GT(acknowledged.size(), 0U);
  std::size_t lost = 0, twice = 0, invented = 0;
  for (auto n : acknowledged) {
    if (!stored.contains(n)) {
      ++lost;
      ADD_FAILURE() << "submission " << n << " was acknowledged but is not stored";
    }
  }
  for (const auto& [n, times] : stored) {
    if (times > 1) {
      ++twice;
      ADD_FAILURE() << "submission " << n << " is stored " << times << " times";
    }
    if (!attempted.contains(n)) {
      ++invented;
      ADD_FAILURE() << "submission " << n << " is stored but was never sent";
    }
  }
  std::size_t in_flight = 0;  // stored, never acknowledged: the request was cut by a kill
  for (const auto& [n, times] : stored) in_flight += acknowledged.contains(n) ? 0 : 1;
  EXPECT_LE(in_flight, static_cast<std::size_t>(kills * kClients + refused))
      << "beyond the acknowledged, at most the requests in flight at each kill";
  std::cout << GetParam() << ": " << kills << " kill points survived (";
  for (const auto& [kind, c] : kinds) std::cout << c << " " << kind << "; ";
  std::cout << "then a clean restart), " << attempted.size() << " submissions sent, "
            << acknowledged.size() << " acknowledged, " << refused << " refused with 5xx, "
            << stored.size() << " stored (" << in_flight
            << " unacknowledged, in flight at a kill), " << lost << " lost, " << twice
            << " duplicated, " << invented << " invented, " << broken << " partial\n";
}

INSTANTIATE_TEST_SUITE_P(Backends, Crash, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace ita::web
