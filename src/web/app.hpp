#pragma once
// The OpenITA web application: pages for officers, assessors and viewers, the public IIT/EIT
// surveys, and the JSON API (docs/api.md). Handlers are synchronous and every write is one store
// transaction that commits before the reply is sent — except survey submissions: they are
// validated on the request thread, then handed to a group-commit writer
// (store/submission_writer.hpp) and answered with a deferred Response (Response::later) once
// their batch has committed.
#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/scoring.hpp"
#include "io/edition_registry.hpp"
#include "service/edition_catalog.hpp"
#include "store/store.hpp"
#include "store/submission_writer.hpp"
#include "web/auth.hpp"
#include "web/http.hpp"
#include "web/round_cache.hpp"

namespace ita::web {

struct AppOptions {
  std::string base_url = "http://127.0.0.1:8080";  // for public links and QR codes
  bool secure_cookies = false;                      // add "Secure" (behind HTTPS)
  std::string font_dir = "/usr/share/fonts/woff/tlwg";
  // Addresses of reverse proxies (nginx) whose X-Forwarded-For names the client, for the
  // login rate limit; requests from anywhere else are limited by their own address.
  std::vector<std::string> trusted_proxies{};
  // The national dashboard (web/dashboard.cpp) scores every round of the database at `db_url`
  // in one pass and keeps the figures for `dashboard_refresh_seconds`; groups of fewer than
  // `dashboard_min_group` agencies show no figures.
  std::string db_url{};
  std::size_t dashboard_min_group = 5;
  int dashboard_refresh_seconds = 60;
  // A survey tool (IIT, EIT) answered by fewer people than this shows no item-level figures
  // (see small_groups below).
  std::size_t min_respondents = 5;
  // Survey submissions: batches of the group-commit writer. It writes through its own connection
  // to `db_url` when that is set (so reads are not held up by a batch), else through the store.
  store::WriterOptions writer{};
};

// A round's score, or why it cannot be computed yet.
struct RoundScore {
  std::optional<Result> result;
  std::vector<std::string> missing;
};
RoundScore score_round(store::Store& store, const Edition& e, const store::Round& round);

// Small groups (README, "Anonymity"): with very few respondents an item's mean is a person's
// answer, so the survey tools answered by 1 to `min` - 1 people (in `respondents`) have their
// item-level figures withheld from every page, API reply, export and document for every role:
// item scores, items under the line, raw answers. Tool and indicator scores, the total and the
// level are the official result and stay.
std::vector<ToolId> small_groups(const std::map<ToolId, std::size_t>& respondents, std::size_t min);
// `r` without the item scores of its small groups.
Result without_small_group_items(Result r, std::size_t min);
// "IIT (3 คน)" notes for a page: which tools' item figures are withheld and why.
std::vector<std::string> small_group_notes(const std::map<ToolId, std::size_t>& respondents,
                                           std::size_t min);

// The submission day as the respondent's fiscal calendar sees it: Thailand (UTC+7), YYYY-MM-DD.
std::string today_in_thailand();

class App {
 public:
  App(store::Store& store, const io::EditionSet& editions, AppOptions options);
  ~App();
  // The reply to `r`; for a survey submission a deferred one (Response::pending) that completes
  // after the group commit, from the writer's thread.
  Response handle(Request& r);
  // Stops the submission writer: what is queued is stored and answered, later submissions get
  // 503. The destructor does it too.
  void stop_submissions();
  store::SubmissionWriter::Stats submission_stats() const;

 private:
  struct Caller {
    std::optional<store::User> user;
    std::optional<store::Session> session;
    bool via_token = false;
  };
  Caller caller(const Request& r);
  bool csrf_ok(const Request& r, const Caller& c, const std::map<std::string, std::string>& form) const;
  bool can_view_agency(const Caller& c, std::int64_t agency_id) const;
  bool can_manage_agency(const Caller& c, std::int64_t agency_id) const;
  bool is_assessor(const Caller& c) const;
  bool can_view_dashboard(const Caller& c) const;  // web/dashboard.cpp
  nlohmann::json page_model(const Caller& c, const std::string& title) const;
  Response page(const std::string& name, const nlohmann::json& model, int status = 200);
  Response need_login(const Request& r) const;
  const Edition& edition_of(const store::Round& round);
  std::string survey_url(const std::string& token) const;
  void add_routes();
  void add_tracker_routes();  // web/tracker.cpp: the measures tracker
  void add_export_routes();   // web/exports.cpp: CSV/XLSX downloads
  void add_dashboard_routes();  // web/dashboard.cpp: the national dashboard
  void add_edition_routes();    // web/editions.cpp: publishing editions (administrators)
  nlohmann::json dashboard_model(const Request& r);

  // Pages (pages.cpp)
  Response home(Request& r);
  Response login_form(Request& r);
  Response login(Request& r);
  Response logout(Request& r);
  Response create_agency_form(Request& r);
  Response agency_page(Request& r);
  Response create_round_form(Request& r);
  Response round_page(Request& r);
  Response qr(Request& r);
  Response issue_codes(Request& r);
  Response oit_page(Request& r);
  Response oit_action(Request& r, const std::string& action);
  Response result_page(Request& r);
  Response audit_page(Request& r);
  Response static_asset(Request& r);
  Response report_download(Request& r);  // web/downloads.cpp: the measures document

  // Public survey (survey.cpp)
  Response survey_form(Request& r);
  Response survey_submit(Request& r);

  // JSON API (api.cpp)
  Response api_create_agency(Request& r);
  Response api_create_round(Request& r);
  Response api_round(Request& r);
  Response api_submit(Request& r);
  Response api_oit(Request& r, const std::string& action);
  Response api_result(Request& r);
  Response api_editions(Request& r);

  // Shared operations of pages and API (one place for rules and validation).
  // A practice round may use an edition with an incomplete questionnaire; a real one may not.
  store::Round create_round(const Caller& c, std::int64_t agency_id, const std::string& edition, int staff, int users,
                            bool codes, bool practice);
  // A validated response ready for the writer; HttpError (409 closed round, 422 bad answers or
  // a missing access code) otherwise.
  store::NewResponse new_response(const store::Round& round, ToolId tool,
                                  std::map<std::string, std::string> answers,
                                  const std::optional<std::string>& access_code);
  void oit_step(const Caller& c, const store::Round& round, const std::string& item, const std::string& action,
                const std::map<std::string, std::string>& fields);
  nlohmann::json round_json(const store::Round& round);
  nlohmann::json edition_choices();
  nlohmann::json editions_model(const Caller& c);                   // web/editions.cpp
  nlohmann::json review_model(const Caller& c, const Edition& e);  // web/editions.cpp

  store::Store& store_;
  service::EditionCatalog editions_;  // built-in editions and those published in store_
  AppOptions options_;
  Router router_;
  std::string client_address(const Request& r) const;
  LoginLimiter limiter_{5, std::chrono::minutes(15)};     // per account
  LoginLimiter ip_limiter_{50, std::chrono::minutes(15)};  // per client address (an office shares one)
  struct DashboardCache;
  std::shared_ptr<DashboardCache> dashboard_;  // shared_ptr: DashboardCache is complete only in dashboard.cpp
  RoundCache survey_rounds_{store_, std::chrono::seconds(5)};  // the survey paths' round lookups
  // Last, so it stops (storing and answering what is queued) before anything it answers with.
  std::unique_ptr<store::SubmissionWriter> writer_;
};

// A request the caller got wrong: becomes a 4xx with this message (Thai for pages).
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// The positive integer path parameter `name` (e.g. a round id); HttpError 404 naming `what_th`
// ("รอบการประเมิน") and the value when it is not one.
std::int64_t path_id(const Request& r, const char* name, const std::string& what_th);

// The request body as a JSON object; HttpError 400 for malformed JSON, a key given twice in one
// object (which of the two would count is not the sender's to guess), or anything but an object.
nlohmann::json json_body(const Request& r);
nlohmann::json json_body(const std::string& body);

// True when `s` holds nothing but white space and invisible characters (zero-width space, no-break
// space, byte order mark, …).
bool blank(const std::string& s);

}  // namespace ita::web
