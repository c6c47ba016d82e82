// The measures document of a round as a download (PDF, HTML or DOCX), as `ita report` writes it.
// The plan is the round's own measures plan when the officer has saved one (web/tracker.cpp),
// otherwise the default plan from the library of recommended measures. An open round's document
// shows its last release and says the figures are provisional (service/release.hpp).
#include "core/analysis.hpp"
#include "core/privacy.hpp"
#include "report/document.hpp"
#include "report/measures_json.hpp"
#include "report/render.hpp"
#include "service/calendar.hpp"
#include "service/release.hpp"
#include "service/scoring.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"

namespace ita::web {

namespace {

constexpr std::string_view kStem = "measures.";

}  // namespace

Response Exports::measures_document(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, {RoundAccess::Need::View});
  const std::string& file = r.params.at("file");
  const auto format =
      file.starts_with(kStem) ? report::parse_format(file.substr(kStem.size())) : std::nullopt;
  if (!format)
    throw HttpError(404, "ไม่พบไฟล์ " + file + " (measures.pdf, measures.html หรือ measures.docx)");
  const Edition& e = web_.edition_of(round);
  const service::ReleasedResult s = service::released_result(
      web_.store, e, round, web_.options.min_respondents, service::thai_today());
  if (!s.result) throw HttpError(409, "ยังจัดทำเอกสารไม่ได้: " + service::reasons(s.missing));
  const auto agency = web_.store.agency(round.agency_id);
  const io::AgencyInfo info{agency->name, agency->district, agency->province, agency->type};
  const Result result = without_small_group_items(*s.result, web_.options.min_respondents);
  const Analysis a = analyze(e, result);
  const auto saved = tracker_.plan(round.id);
  const MeasuresPlan plan =
      saved ? *saved : build_default_plan(e, a, report::builtin_measures_library());
  const bool thai_digits =
      r.query.contains("thai_digits") ? r.query.at("thai_digits") != "0" : true;
  const std::string notice = s.provisional ? service::provisional_notice(s.release) : "";
  const report::Document doc = report::build_document({e, info, result, a, plan, notice},
                                                      report::DocumentOptions{thai_digits, true});
  Response res = Response::text(report::render(*format, doc, report::RenderOptions{}));
  res.content_type = std::string(report::content_type(*format));
  res.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"ita-measures-round-" + std::to_string(round.id) +
                               "." + std::string(report::format_code(*format)) + "\"");
  return res;
}

}  // namespace ita::web
