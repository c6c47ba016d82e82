#pragma once
// The areas of the web application. Each is built from the services and the state it uses and
// registers its own routes (add_routes, with route() of web/context.hpp); web::App
// (web/app.cpp) builds them all over one Context. Internal to web.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "service/oit.hpp"
#include "service/oit_check.hpp"
#include "service/tracker.hpp"
#include "store/submission_writer.hpp"
#include "web/auth.hpp"
#include "web/context.hpp"
#include "web/round_cache.hpp"

namespace ita::web {

// Signing in and out (web/sign_in.cpp): the login form, the rate-limited login (LoginThrottle of
// web/auth.hpp), the logout, and the signed-in user's password page (/account/password).
class SignIn {
 public:
  explicit SignIn(Context& web) : web_(web) {}
  void add_routes(Router& router);

 private:
  Response form(Request& r);
  Response login(Request& r);
  Response logout(Request& r);
  Response password_form(Request& r);
  Response change_password(Request& r);
  // The caller of the password page: signed in with a browser session (403 for a bearer token).
  Caller session_user(const Request& r);

  Context& web_;
  // Failed logins: per account and client, per client, and growing delays per account. The
  // password page's "current password" counts here too.
  LoginThrottle throttle_;
};

// Agencies and their rounds (web/pages.cpp): the home page, an agency, a round with its links and
// QR codes, closing and reopening it, access-code slips, the result page, the audit log, static
// files.
class AgencyPages {
 public:
  AgencyPages(Context& web, RoundCache& rounds) : web_(web), rounds_(rounds) {}
  void add_routes(Router& router);

 private:
  Response home(Request& r);
  Response create_agency(Request& r);
  Response agency(Request& r);
  Response set_website(Request& r);  // the agency's officers and administrators
  Response create_round(Request& r);
  Response round(Request& r);
  Response close_round(Request& r);
  Response reopen_round(Request& r);
  Response closing_date(Request& r);
  using RoundChange = std::function<void(const Caller&, const store::Round&,
                                         const std::map<std::string, std::string>& form)>;
  Response change_round(Request& r, const RoundAccess& may, std::string_view done,
                        const RoundChange& change);
  Response qr(Request& r);
  Response issue_codes(Request& r);
  Response code_slips(const Caller& c, const store::Round& round,
                      const std::vector<std::string>& codes);
  Response result(Request& r);
  Response audit(Request& r);
  Response static_asset(Request& r);
  // The editions an officer may open a round on, newest first; `chosen` (when given) selected.
  nlohmann::json edition_choices(const std::string& chosen = "");
  // The models of the home, agency and round pages, with the notice of the request's ?done=. A
  // refused form shows its page again from these, with the message and what was typed.
  nlohmann::json home_model(const Request& r, const Caller& c);
  nlohmann::json agency_model(const Request& r, const Caller& c, std::int64_t id);
  nlohmann::json round_model(const Request& r, const Caller& c, const store::Round& round);
  // The round page again with `message` (status 4xx) and the typed `fields` kept: the answer to
  // a refused form of the round page.
  Response round_again(const Request& r, const Caller& c, const store::Round& round, int status,
                       const std::string& message, const nlohmann::json& fields);

  Context& web_;
  RoundCache& rounds_;  // the survey paths' rounds: forgotten when a round closes or reopens
};

// A round's OIT evidence, reviews, appeals and confirmations as pages (web/oit.cpp).
class OitPages {
 public:
  explicit OitPages(Context& web) : web_(web) {}
  void add_routes(Router& router);

 private:
  Response page(Request& r);
  Response step(Request& r, service::OitStep step);
  // GET /oit/queue: the assessors' work queue across rounds (service::oit_queue), filtered by the
  // query's province, agency and edition.
  Response queue(Request& r);
  // The OIT page's model, with the notice of the request's ?done=.
  nlohmann::json model(const Request& r, const Caller& c, const store::Round& round);
  nlohmann::json queue_model(const Request& r, const Caller& c, const service::OitQueueFilter& f);

  Context& web_;
};

// The OIT readiness check (web/oit_check.cpp, service/oit_check.hpp) for the agency's officers
// (and administrators): a check started from the OIT page or the API runs on the runner's
// thread; its report is a page and JSON. Assessors and viewers of the round may read reports.
class OitChecks {
 public:
  OitChecks(Context& web, service::OitCheckRunner& runner) : web_(web), runner_(runner) {}
  void add_routes(Router& router);

 private:
  Response start(Request& r);   // POST /rounds/{id}/oit-checks: back to the OIT page
  Response report(Request& r);  // GET /rounds/{id}/oit-checks/{check}: the printable report
  // GET /rounds/{id}/oit-checks/{check}/{file}: report.pdf, report.html or report.docx
  Response document(Request& r);
  Response api_start(Request& r);  // POST /api/v1/rounds/{id}/oit/check: 202 and the check
  Response api_list(Request& r);   // GET /api/v1/rounds/{id}/oit/checks: newest first
  Response api_check(Request& r);  // GET /api/v1/rounds/{id}/oit/checks/{check}
  // The check `{check}` of the round of `{id}` the caller may view, with its results, or 404.
  store::OitCheck find(Request& r, const Caller& c);

  Context& web_;
  service::OitCheckRunner& runner_;
};

// An OIT step on a round for `c`, for the pages and the API: service::NotFound for an item the
// round's edition does not have, HttpError 403 for a caller whose step it is not (the agency's
// officers give evidence and appeal, assessors review and confirm), then service::take_oit_step.
void take_oit_step(Context& web, const Caller& c, const store::Round& round,
                   const std::string& item, service::OitStep step,
                   const std::map<std::string, std::string>& fields);

// The public IIT/EIT questionnaires (web/survey.cpp): no login, nothing that identifies the
// respondent stored.
class Survey {
 public:
  Survey(Context& web, RoundCache& rounds, store::SubmissionWriter& writer)
      : web_(web), rounds_(rounds), writer_(writer) {}
  void add_routes(Router& router);

 private:
  Response form(Request& r);
  Response submit(Request& r);
  Response thanks(Request& r);  // GET /s/{token}/thanks: where a stored form is redirected

  Context& web_;
  RoundCache& rounds_;
  store::SubmissionWriter& writer_;
};

// The JSON API (web/api.cpp, docs/api.md): agencies, rounds, survey responses, OIT, results,
// editions.
class Api {
 public:
  Api(Context& web, RoundCache& rounds, store::SubmissionWriter& writer)
      : web_(web), rounds_(rounds), writer_(writer) {}
  void add_routes(Router& router);

 private:
  Response create_agency(Request& r);
  Response agencies(Request& r);  // GET /api/v1/agencies: the caller's agencies, a page
  Response agency(Request& r);
  Response set_agency_website(Request& r);  // PUT /api/v1/agencies/{id}/website
  Response create_round(Request& r);
  Response rounds(Request& r);  // GET /api/v1/rounds: the caller's rounds, a page
  Response round(Request& r);
  Response oit_state(Request& r);  // GET /api/v1/rounds/{id}/oit
  Response openapi(Request& r);    // GET /api/v1/openapi.json: the API's description, no login
  Response close_round(Request& r);
  Response reopen_round(Request& r);
  Response closing_date(Request& r);
  Response submit(Request& r);
  Response submit_by_link(Request& r);
  // Checks a response to `tool` of `round` and hands it to the writer: the deferred 201 (409 when
  // the store refuses it, 503 when its batch fails).
  Response store_response(Request& r, const store::Round& round, ToolId tool);
  Response oit(Request& r, service::OitStep step);
  Response result(Request& r);
  Response editions(Request& r);

  Context& web_;
  RoundCache& rounds_;
  store::SubmissionWriter& writer_;
};

// The measures tracker (web/tracker.cpp): a round's plan and progress as a page, the 6-month and
// year-end reports, and the tracker's JSON API.
class MeasuresTracker {
 public:
  MeasuresTracker(Context& web, const service::Tracker& tracker) : web_(web), tracker_(tracker) {}
  void add_routes(Router& router);

 private:
  Response page(Request& r);
  // The measures page's model, with the notice of the request's ?done=.
  nlohmann::json page_model(const Request& r, const Caller& c, const store::Round& round);
  Response start(Request& r);
  Response report_form(Request& r);
  // The plan editor: a measure edited, added or removed, the signature block.
  Response edit_form(Request& r);
  Response add_form(Request& r);
  Response remove_form(Request& r);
  Response signature_form(Request& r);
  // Runs a plan-editor form's change: on success redirects to the page with ?done=`done` and
  // `anchor`; on a refusal shows the page again with the message, `keep` putting back what was
  // typed into its model.
  Response plan_change(const Request& r, const Caller& c, const store::Round& round,
                       const std::function<void()>& change, const char* done,
                       const std::string& anchor, const std::function<void(nlohmann::json&)>& keep);
  Response document(Request& r);
  Response api_get(Request& r);
  Response api_put(Request& r);
  Response api_report(Request& r);
  // The caller's round for a change to its plan: signed in, may manage the round's agency.
  store::Round managed_round(const Request& r, const Caller& c, bool api);

  Context& web_;
  const service::Tracker& tracker_;
};

// Downloads of a round (web/exports.cpp, web/downloads.cpp): results, item scores and raw answers
// as CSV/XLSX, and the measures document as PDF/HTML/DOCX.
class Exports {
 public:
  Exports(Context& web, const service::Tracker& tracker) : web_(web), tracker_(tracker) {}
  void add_routes(Router& router);

 private:
  Response table(Request& r);
  Response measures_document(Request& r);

  Context& web_;
  const service::Tracker& tracker_;
};

// The national dashboard (web/dashboard.cpp): the page and its JSON.
struct DashboardData;  // web/dashboard.cpp

class Dashboard {
 public:
  explicit Dashboard(Context& web);
  ~Dashboard();
  void add_routes(Router& router);

 private:
  Response page(Request& r);
  Response api(Request& r);
  Response download(Request& r);    // the agency table as CSV or XLSX
  Caller viewer(const Request& r);  // signed in and allowed to see the dashboard
  nlohmann::json model(const Request& r, const DashboardData& figures);
  std::string body(const Request& r, const Caller& c, const DashboardData& figures);

  struct Cache;
  class Pages;
  Context& web_;
  std::unique_ptr<Cache> cache_;
  std::unique_ptr<Pages> pages_;
};

// Editions for administrators (web/editions.cpp): the list, downloads, upload, review, publish.
class EditionAdmin {
 public:
  explicit EditionAdmin(Context& web) : web_(web) {}
  void add_routes(Router& router);

 private:
  Response list(Request& r);
  Response download(Request& r);
  Response upload(Request& r);
  Response review(Request& r);
  Response publish(Request& r);
  Caller admin(const Request& r);  // signed in as an administrator
  Edition draft(const Request& r, const Caller& c);
  nlohmann::json list_model(const Caller& c);
  nlohmann::json review_model(const Caller& c, const Edition& e);

  Context& web_;
};

// An agency's public OIT index (web/oit_index.cpp, service/oit_index.hpp): GET
// /p/{agency}/oit/{year} for anyone, no sign-in (the page agencies publish), and
// /p/{agency}/oit/{year}.json ("ita-oit-index/1"). Unknown agency or year: 404 in Thai.
class OitIndexPages {
 public:
  explicit OitIndexPages(Context& web) : web_(web) {}
  void add_routes(Router& router);

 private:
  Response page(Request& r);

  Context& web_;
};

}  // namespace ita::web
