#include "web/app.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "report/measures_json.hpp"
#include "service/errors.hpp"
#include "web/areas.hpp"
#include "web/auth.hpp"
#include "web/context.hpp"

namespace ita::web {

namespace {

// Text reaches the handlers only as UTF-8: a percent-decoded path, query or form field with other
// bytes (a page saved as TIS-620, a fuzzer) is refused before anything can store or echo it.
// JSON bodies are checked by the JSON parser.
void require_utf8(const Request& r) {
  auto bad = [](const std::string& s) { return first_invalid_utf8(s).has_value(); };
  bool invalid = bad(r.path);
  for (const auto& [k, v] : r.query) invalid = invalid || bad(k) || bad(v);
  if (!invalid && r.header("content-type").starts_with("application/x-www-form-urlencoded")) {
    for (const auto& [k, v] : r.form()) invalid = invalid || bad(k) || bad(v);
  }
  if (invalid) throw HttpError(400, "ข้อความที่ส่งมาไม่ใช่ UTF-8 (the request's text must be UTF-8)");
}

// The measures plan's file format (report/measures_json.hpp) for the tracker service.
service::PlanFormat plan_format() {
  return {report::parse_measures,
          [](const MeasuresPlan& plan) { return report::measures_json(plan).dump(2); },
          &report::builtin_measures_library()};
}

}  // namespace

struct App::Areas {
  SignIn sign_in;
  AgencyPages agencies;
  OitPages oit;
  OitChecks oit_checks;
  Survey survey;
  Api api;
  MeasuresTracker tracker;
  Exports exports;
  Dashboard dashboard;
  EditionAdmin editions;
  OitIndexPages oit_index;
};

App::App(store::Store& store, const io::EditionSet& editions, AppOptions options)
    : store_(store),
      editions_(store, editions),
      options_(std::move(options)),
      context_(std::make_unique<Context>(store_, editions_, options_)),
      tracker_(std::make_unique<service::Tracker>(store_, plan_format())),
      oit_checks_(
          std::make_unique<service::OitCheckRunner>(store_, editions_, options_.oit_check)) {
  init_crypto();
  dummy_password_hash();  // made now, so that the first unknown address costs no extra hash
  // The group-commit writer gets its own connection when it can open one, so that a batch being
  // written holds up neither the reads of the request threads nor the other way round.
  if (!options_.db_url.empty()) {
    writer_ = std::make_unique<store::SubmissionWriter>(
        store::open_store(options_.db_url, store::StoreOptions{.continuous_writes = true}),
        options_.writer);
  } else {
    writer_ = std::make_unique<store::SubmissionWriter>(store_, options_.writer);
  }
  Context& web = *context_;
  areas_.reset(new Areas{SignIn(web), AgencyPages(web, survey_rounds_), OitPages(web),
                         OitChecks(web, *oit_checks_), Survey(web, survey_rounds_, *writer_),
                         Api(web, survey_rounds_, *writer_), MeasuresTracker(web, *tracker_),
                         Exports(web, *tracker_), Dashboard(web), EditionAdmin(web),
                         OitIndexPages(web)});
  areas_->sign_in.add_routes(router_);
  areas_->agencies.add_routes(router_);
  areas_->oit.add_routes(router_);
  areas_->oit_checks.add_routes(router_);
  areas_->tracker.add_routes(router_);
  areas_->exports.add_routes(router_);
  areas_->dashboard.add_routes(router_);
  areas_->editions.add_routes(router_);
  areas_->oit_index.add_routes(router_);
  areas_->survey.add_routes(router_);
  areas_->api.add_routes(router_);
  router_.add("GET", "/healthz", [](Request&) { return Response::text("ok\n"); });
}

App::~App() {
  stop_submissions();
}

void App::stop_submissions() {
  if (writer_) writer_->stop();
}

store::SubmissionWriter::Stats App::submission_stats() const {
  return writer_->stats();
}

std::vector<std::pair<std::string, std::string>> App::routes() const {
  return router_.routes();
}

Response App::handle(Request& r) {
  // A browser gets the refusal as a page inside the layout (Context::error_page); the API, JSON.
  auto error = [&](int status, const std::string& message) {
    if (r.wants_json()) return Response::error(status, message, true);
    return context_->error_page(r, status, message);
  };
  Response res = [&]() -> Response {
    try {
      require_utf8(r);
      return router_.dispatch(r);
    } catch (const NeedLogin&) {
      if (r.wants_json())
        return Response::error(401, "authentication required: send a bearer token", true);
      return Response::redirect("/login");
    } catch (const HttpError& e) {
      return error(e.status(), e.what());
    } catch (const service::NotFound& e) {
      return error(404, e.what());
    } catch (const service::Invalid& e) {
      return error(422, e.what());
    } catch (const service::Refused& e) {
      return error(409, e.what());
    } catch (const InputError& e) {
      return error(422, e.what());
    } catch (const store::Conflict& e) {
      return error(409, e.what());
    }
  }();
  // Pages of signed-in users, the login page, API replies: nothing a shared computer's browser
  // or a proxy should keep. A handler that may be cached says so (static files).
  const bool says =
      std::ranges::any_of(res.headers, [](const auto& h) { return h.first == "Cache-Control"; });
  if (!res.pending && !says) res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

}  // namespace ita::web
