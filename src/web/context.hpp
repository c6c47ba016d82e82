#pragma once
// What every area of the web application shares (web/areas.hpp): the caller and sign-in, CSRF,
// who may see and manage what, page rendering, and the rounds a request names. Internal to web.
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "service/edition_catalog.hpp"
#include "store/store.hpp"
#include "store/submission_writer.hpp"
#include "web/http.hpp"
#include "web/rate_limit.hpp"

namespace ita::web {

struct AppOptions;

inline constexpr const char* kSessionCookie = "ita_session";
inline constexpr const char* kCsrfCookie = "ita_csrf";  // the CSRF token of forms without a session
// The header that carries the session's CSRF token on a JSON API call signed in by cookie
// (lower case, as Request::header looks it up).
inline constexpr const char* kCsrfHeader = "x-csrf-token";

// A request the caller got wrong: becomes a 4xx with this message (Thai for pages).
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// Nobody is signed in where someone must be (Context::signed_in). App::handle answers 401 to the
// API and a redirect to /login to a browser.
class NeedLogin : public std::exception {
 public:
  const char* what() const noexcept override { return "authentication required"; }
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

// The form field `key`, or "" when it is absent.
std::string field(const std::map<std::string, std::string>& form, const char* key);

// An agency as pages and the API show it: id, name, district, province, type, website.
nlohmann::json agency_json(const store::Agency& a);

// Who is asking: a signed-in browser (with its session), a bearer token, or nobody.
struct Caller {
  std::optional<store::User> user;
  std::optional<store::Session> session;
  bool via_token = false;
};

// What a handler needs of the caller to use a round (Context::authorized_round).
struct RoundAccess {
  enum class Need { Any, View, Manage };
  Need need = Need::View;  // View: may see the round's agency; Manage: may manage it
  // The 403 message for a caller without access; nullptr: answer 404, as for a round that does
  // not exist (the API, downloads).
  const char* refused = nullptr;
  // The 404 messages in English ("unknown round"), as the JSON API of web/api.cpp words them;
  // else Thai ("ไม่พบรอบการประเมิน").
  bool english = false;
};

// A survey response handed to the group-commit writer, answered once its batch is decided:
// `stored` when it was committed; `refused(outcome)` when the store refused it; `failed(outcome)`
// plus "Retry-After: 1" when its batch was not committed (nothing of it stored). Returns the
// deferred reply (Response::later); the callbacks run on the writer's thread.
using OutcomeReply = std::function<Response(const store::SubmitOutcome&)>;
Response reply_after_commit(store::SubmissionWriter& writer, store::NewResponse response,
                            Response stored, OutcomeReply refused, OutcomeReply failed);

// The role's name as people read it (Thai): the header, the accounts pages, the audit log.
std::string_view role_th(store::Role r);

class Context {
 public:
  Context(store::Store& s, service::EditionCatalog& e, const AppOptions& o);

  store::Store& store;
  service::EditionCatalog& editions;
  const AppOptions& options;

  // The caller of `r`: by bearer token (HttpError 401 for an unknown, expired or revoked one, or
  // a disabled user's) or by session cookie (nobody for a disabled user). A JSON API request
  // (/api/…) other than GET/HEAD/OPTIONS signed in by cookie needs the session's CSRF token in
  // the X-CSRF-Token header: HttpError 403 without it. Bearer tokens need no CSRF token.
  Caller caller(const Request& r);
  // As caller(), but throws NeedLogin when nobody is signed in: the returned caller has a user.
  Caller signed_in(const Request& r);

  // Whether the form's "csrf" field matches the session's token (or, without a session, the
  // ita_csrf cookie).
  bool csrf_ok(const Request& r, const Caller& c,
               const std::map<std::string, std::string>& form) const;
  // HttpError 403 "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่" unless csrf_ok.
  void require_csrf(const Request& r, const Caller& c,
                    const std::map<std::string, std::string>& form) const;

  bool can_view_agency(const Caller& c, std::int64_t agency_id) const;
  bool can_manage_agency(const Caller& c, std::int64_t agency_id) const;
  bool is_assessor(const Caller& c) const;
  bool can_view_dashboard(const Caller& c) const;

  // The round of the request's {id} that `c` may use as `access` says: HttpError 404 for a
  // malformed id or an unknown round, 403 (or 404) for a caller without access.
  store::Round authorized_round(const Request& r, const Caller& c, RoundAccess access);
  // The round id of the request's {id}: HttpError 404 ("unknown round \"abc\"" on the API,
  // "ไม่พบรอบการประเมิน \"abc\"" on pages) when it is not a positive integer.
  std::int64_t round_id(const Request& r, bool english) const;

  // The edition of `round`; HttpError 500 when it is not loaded.
  const Edition& edition_of(const store::Round& round);
  std::string survey_url(const std::string& token) const;
  // A round for the API and the pages: its status today (store::effective_status) and closing
  // date ("YYYY-MM-DD" or null), links, counts and progress towards the sample targets.
  nlohmann::json round_json(const store::Round& round);

  // The layout's model: title, the signed-in user, the CSRF token, no errors.
  nlohmann::json page_model(const Caller& c, const std::string& title) const;
  // As page_model, plus the success notice ("flash", shown with role="status") that the
  // request's ?done= code names (done_notice), if any.
  nlohmann::json page_model(const Request& r, const Caller& c, const std::string& title) const;
  Response page(const std::string& name, const nlohmann::json& model, int status = 200) const;
  // A refusal as a page inside the layout (header, styles), for a browser: the Thai heading of
  // `status`, the message, a link back. App::handle answers every error of a page request so.
  Response error_page(const Request& r, int status, const std::string& message);

  // Runs `act` (a form's use case and its reply). When the person's input is refused — a typed
  // error: service::Invalid 422, service::NotFound 404, service::Refused 409, the core's
  // InputError 422, store::Conflict 409, an HttpError 400/409/422 — returns `again(status,
  // message)` instead: the form's page again with the message and what was typed. Other errors
  // (403, NeedLogin, failures) propagate, as does everything when `r` wants JSON (App::handle
  // answers it as the API does).
  static Response on_refusal(const Request& r, const std::function<Response()>& act,
                             const std::function<Response(int, const std::string&)>& again);

  // The address a request comes from, for rate limits: X-Forwarded-For's last entry (the address
  // the proxy saw) when the connection is from one of AppOptions::trusted_proxies, else the
  // connection's own address. Kept in memory only, never stored.
  std::string client_address(const Request& r) const;
  // What a request on a public survey path does, each with its own rate limit per client.
  enum class SurveyStep { ShowForm, Send };
  // Takes `step` of `r` from its client's allowance (AppOptions::survey_rate_per_minute,
  // survey_burst): zero when it may go on, else how long until it may (taking nothing).
  std::chrono::seconds survey_wait(const Request& r, SurveyStep step);
  // survey_wait as a reply: nothing when `r` may go on, else 429 with Retry-After (JSON on the
  // API, a Thai page otherwise).
  std::optional<Response> survey_rate_limited(const Request& r, SurveyStep step);

 private:
  RateLimiter survey_limiter_;
};

// The Thai success notice of a ?done= code after a form's POST-redirect-GET ("round_created" →
// "สร้างรอบการประเมินแล้ว"), or "" for a code it does not know.
std::string done_notice(std::string_view code);

// `path` with "?done=CODE" (before any "#fragment"): where a form's success redirects.
std::string with_done(const std::string& path, std::string_view code);

// Registers `fn` of `area` (with `args`) for `method` `pattern`: how every area registers its
// routes.
template <typename Area, typename... Args>
void route(Router& router, const std::string& method, const std::string& pattern, Area* area,
           Response (Area::*fn)(Request&, Args...), Args... args) {
  router.add(method, pattern, [=](Request& r) { return (area->*fn)(r, args...); });
}

}  // namespace ita::web
