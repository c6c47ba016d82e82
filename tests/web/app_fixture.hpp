#pragma once
// The web application on a loopback port over a fresh database of the test's backend (SQLite or
// the throwaway PostgreSQL cluster), with helpers for API tokens and signed-in browsers.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "io/edition_registry.hpp"
#include "store/store.hpp"
#include "support/http_client.hpp"
#include "web/app.hpp"
#include "web/auth.hpp"
#include "web/server.hpp"
#include "web/test_databases.hpp"

namespace ita::testing {

using nlohmann::json;

// A signed-in browser: its session cookie and the session's CSRF token.
struct Browser {
  std::string cookie;
  std::string csrf;
};

class AppFixture : public ::testing::TestWithParam<std::string> {
 protected:
  // Options for the App; override to change them. The survey rate limit is lifted: the tests
  // send many responses from one address (tests/web/survey_guards_test.cpp tests the limit).
  virtual web::AppOptions options() const {
    web::AppOptions o{"http://127.0.0.1:1"};
    o.survey_rate_per_minute = 0;
    return o;
  }

  void SetUp() override {
    db_ = ::ita::testing::make_test_database(
        GetParam(), ::testing::UnitTest::GetInstance()->current_test_info()->name());
    if (db_.url.empty()) GTEST_SKIP() << db_.skip_reason;
    store_ = store::open_store(db_.url);
    app_ = std::make_unique<web::App>(*store_, editions_, options());
    server_ = std::make_unique<web::Server>(web::ServerOptions{"127.0.0.1", 0, 2, 64 * 1024},
                                            [this](web::Request& r) { return app_->handle(r); });
    port_ = server_->listen();
    thread_ = std::thread([this] { server_->run(); });
    web::init_crypto();
    admin_user_ = add_user("admin@test", store::Role::Admin, std::nullopt);
    admin_ = token_for(admin_user_);
  }

  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    app_.reset();
    store_.reset();
    ::ita::testing::drop_test_database(db_);
  }

  store::User add_user(const std::string& email, store::Role role,
                       std::optional<std::int64_t> agency) {
    return store_->create_user({0, email, role, agency, web::hash_password("password-" + email)},
                               std::nullopt);
  }

  std::string token_for(const store::User& u) {
    const std::string t = web::random_token(16);
    store_->create_api_token(web::sha256_hex(t), u.id, 4102444800, u.id);  // until 2100
    return t;
  }

  Browser browser(const store::User& u) {
    const std::string t = web::random_token(32);
    Browser b{"ita_session=" + t, web::random_token(16)};
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    store_->create_session({web::sha256_hex(t), u.id, b.csrf, now + 3600});
    return b;
  }

  HttpResponse api(const std::string& method, const std::string& target, const json& body,
                   const std::string& token, std::map<std::string, std::string> headers = {}) {
    headers.try_emplace("Content-Type", "application/json");
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return ::ita::testing::http(port_, method, target, body.is_null() ? "" : body.dump(), headers);
  }

  HttpResponse raw(const std::string& method, const std::string& target, const std::string& body,
                   const std::map<std::string, std::string>& headers) {
    return ::ita::testing::http(port_, method, target, body, headers);
  }

  HttpResponse get(const std::string& target, const Browser& b) {
    return ::ita::testing::http(port_, "GET", target, "", {{"Cookie", b.cookie}});
  }

  HttpResponse post_form(const std::string& target, const Browser& b,
                         const std::map<std::string, std::string>& fields, bool with_csrf = true) {
    std::string body = with_csrf ? "csrf=" + b.csrf : "";
    for (const auto& [k, v] : fields)
      body += (body.empty() ? "" : "&") + web::url_encode(k) + "=" + web::url_encode(v);
    return ::ita::testing::http(
        port_, "POST", target, body,
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", b.cookie}});
  }

  // Row counts of the tables a bad request must not touch.
  std::map<std::string, std::int64_t> footprint() {
    std::map<std::string, std::int64_t> out;
    out["agencies"] = static_cast<std::int64_t>(store_->agencies().size());
    for (const auto& a : store_->agencies()) {
      for (const auto& r : store_->rounds_of_agency(a.id)) {
        out["rounds"] += 1;
        for (const auto& [tool, n] : store_->response_counts(r.id)) out["responses"] += n;
        for (const auto& e : store_->oit_entries(r.id)) {
          out["oit"] += static_cast<std::int64_t>(
              e.url.size() + e.note.size() + e.review_comment.size() + e.appeal_explanation.size() +
              static_cast<std::size_t>(e.stage) + 1);
        }
        out["plans"] += store_->measures_plan(r.id) ? 1 : 0;
        out["progress"] += static_cast<std::int64_t>(store_->progress_reports(r.id).size());
      }
    }
    out["audit"] = static_cast<std::int64_t>(store_->audit_log(100000).size());
    return out;
  }

  io::EditionSet editions_ = io::EditionSet::builtin();
  ::ita::testing::TestDatabase db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<web::App> app_;
  std::unique_ptr<web::Server> server_;
  std::thread thread_;
  unsigned short port_ = 0;
  store::User admin_user_;
  std::string admin_;
};

}  // namespace ita::testing
