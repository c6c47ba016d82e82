// The agency's public OIT index page: what anyone (an assessor, a citizen, the agency's own
// website linking here) reads without signing in. Only what the agency publishes is shown.
#include "report/oit_index.hpp"

#include <charconv>

#include "service/calendar.hpp"
#include "service/errors.hpp"
#include "service/oit_index.hpp"
#include "web/areas.hpp"

namespace ita::web {

using nlohmann::json;

namespace {

// The fiscal year of the path's {year}: "2568" (the page) or "2568.json" (its JSON), a Buddhist
// Era year of four digits; service::NotFound for anything else, as for a year without a round.
int fiscal_year_param(const std::string& text) {
  std::string_view s = text;
  if (s.ends_with(".json")) s.remove_suffix(5);
  int year = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), year);
  if (ec != std::errc() || end != s.data() + s.size() || s.size() != 4 || year < 2500) {
    throw service::NotFound("ไม่พบปีงบประมาณ \"" + text + "\" (ระบุเป็นปี พ.ศ. เช่น 2568)");
  }
  return year;
}

}  // namespace

void OitIndexPages::add_routes(Router& router) {
  route(router, "GET", "/p/{agency}/oit/{year}", this, &OitIndexPages::page);
}

Response OitIndexPages::page(Request& r) {
  const bool as_json = r.params.at("year").ends_with(".json");
  OitIndex index;
  try {
    const int year = fiscal_year_param(r.params.at("year"));
    const std::int64_t agency = path_id(r, "agency", "หน่วยงาน");
    index = service::oit_index(web_.store, web_.editions, agency, year, service::thai_today());
  } catch (const service::NotFound& e) {  // the .json address answers JSON, the page a page
    if (!as_json) throw;
    return Response::error(404, e.what(), true);
  } catch (const HttpError& e) {  // a malformed agency id: 404 too
    if (!as_json) throw;
    return Response::error(e.status(), e.what(), true);
  }
  if (as_json) {
    // The text as the service writes it, in the format's own key order (as `ita oit index`).
    Response res = Response::text(service::oit_index_json(index));
    res.content_type = "application/json; charset=utf-8";
    res.headers.emplace_back("Access-Control-Allow-Origin", "*");  // for the agency's own site
    return res;
  }
  // Anonymous whoever asks: the page is the same for everyone, with no user header.
  json m = web_.page_model(Caller{}, "OIT · " + index.agency_name);
  m["public"] = true;
  m["body"] = report::oit_index_body_html(index);
  m["generated_th"] = report::index_day_th(index.generated_on);
  m["agency_id"] = index.agency_id;
  m["fiscal_year"] = index.fiscal_year;
  return web_.page("oit_index", m);
}

}  // namespace ita::web
