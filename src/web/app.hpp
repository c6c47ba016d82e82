#pragma once
// The OpenITA web application: pages for officers, assessors and viewers, the public IIT/EIT
// surveys, and the JSON API (docs/api.md). Handlers are synchronous and every write is one store
// transaction that commits before the reply is sent — except survey submissions: they are
// validated on the request thread (service/responses.hpp), then handed to a group-commit writer
// (store/submission_writer.hpp) and answered with a deferred Response (Response::later) once
// their batch has committed. The handlers live in the areas of web/areas.hpp; the use cases they
// call in src/service.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/edition_registry.hpp"
#include "service/edition_catalog.hpp"
#include "service/oit_check.hpp"
#include "service/tracker.hpp"
#include "store/store.hpp"
#include "store/submission_writer.hpp"
#include "web/http.hpp"
#include "web/round_cache.hpp"

namespace ita::web {

struct AppOptions {
  std::string base_url = "http://127.0.0.1:8080";  // for public links and QR codes
  bool secure_cookies = false;                     // add "Secure" (behind HTTPS)
  std::string font_dir = "/usr/share/fonts/woff/tlwg";
  // Addresses of reverse proxies (nginx) whose X-Forwarded-For names the client, for the
  // login and survey rate limits; requests from anywhere else are limited by their own address.
  std::vector<std::string> trusted_proxies{};
  // The national dashboard (web/dashboard.cpp) scores every round of the database at `db_url`
  // in one pass and keeps the figures for `dashboard_refresh_seconds`; groups of fewer than
  // `dashboard_min_group` agencies show no figures.
  std::string db_url{};
  std::size_t dashboard_min_group = 5;
  int dashboard_refresh_seconds = 60;
  // A survey tool (IIT, EIT) answered by fewer people than this shows no item-level figures
  // (core/privacy.hpp).
  std::size_t min_respondents = 5;
  // Survey submissions: batches of the group-commit writer. It writes through its own connection
  // to `db_url` when that is set (so reads are not held up by a batch), else through the store.
  store::WriterOptions writer{};
  // The public survey paths, per client address (Context::client_address): a token bucket of
  // `survey_burst` requests refilled at `survey_rate_per_minute`, one for showing forms
  // (GET /s/{token}) and one for sending answers (POST /s/{token}, POST
  // /api/v1/s/{token}/responses); past it, 429 with Retry-After. 0: unlimited (the benchmark).
  double survey_rate_per_minute = 30;
  int survey_burst = 10;
  // The OIT readiness check (service/oit_check.hpp), run on its own thread: how it fetches.
  // fetch.allow_private and fetch.allow_addresses stay unset outside tests: an agency's URL
  // must never reach the server's own network.
  service::OitCheckSettings oit_check{};
};

class Context;

// The composition of the web application: the shared state (the store, the editions in force,
// the survey rounds' cache, the group-commit writer) and the areas of web/areas.hpp, each with
// its routes.
class App {
 public:
  App(store::Store& store, const io::EditionSet& editions, AppOptions options);
  ~App();
  // The reply to `r`; for a survey submission a deferred one (Response::pending) that completes
  // after the group commit, from the writer's thread. Maps every refusal to its reply, once:
  // HttpError (its status), NeedLogin (401 or the login page), service::NotFound 404,
  // service::Invalid 422, service::Refused 409, the core's InputError 422, store::Conflict 409.
  // A reply whose handler set no Cache-Control gets "Cache-Control: no-store".
  Response handle(Request& r);
  // Stops the submission writer: what is queued is stored and answered, later submissions get
  // 503. The destructor does it too.
  void stop_submissions();
  store::SubmissionWriter::Stats submission_stats() const;
  // Every route the areas registered: method and pattern ("GET", "/api/v1/rounds/{id}").
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Areas;

  store::Store& store_;
  service::EditionCatalog editions_;  // built-in editions and those published in store_
  AppOptions options_;
  std::unique_ptr<Context> context_;
  RoundCache survey_rounds_{store_, std::chrono::seconds(5)};  // the survey paths' round lookups
  std::unique_ptr<service::Tracker> tracker_;
  std::unique_ptr<service::OitCheckRunner> oit_checks_;  // uses store_ and editions_
  Router router_;
  std::unique_ptr<Areas> areas_;
  // Last, so it stops (storing and answering what is queued) before anything it answers with.
  std::unique_ptr<store::SubmissionWriter> writer_;
};

}  // namespace ita::web
