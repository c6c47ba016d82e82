// The measures tracker: a round's measures plan (made from the recommended-measures library and
// the round's result), progress reports with evidence links, overdue measures, the 6-month and
// year-end reports as PDF/HTML/DOCX, and the JSON API (docs/api.md, "Measures tracker"). The
// rules are service/tracker.hpp; this file is the pages and the JSON.

#include "core/tracker.hpp"

#include <algorithm>

#include "io/json_error.hpp"
#include "report/measures_json.hpp"
#include "report/progress_report.hpp"
#include "report/render.hpp"
#include "service/calendar.hpp"
#include "service/scoring.hpp"
#include "web/app.hpp"
#include "web/areas.hpp"

namespace ita::web {

namespace {

using nlohmann::json;
using service::MeasureState;
using service::ProgressInput;
using service::Tracked;
namespace chr = std::chrono;

// Whether `text` is not JSON by its syntax (io::parse_json's line-and-column errors), as opposed
// to JSON with a value the parser refuses (a number too large for a double).
bool json_syntax_error(std::string_view text) {
  try {
    [[maybe_unused]] const json parsed = json::parse(text);
  } catch (const json::parse_error&) {
    return true;
  } catch (const json::exception&) {
  }
  return false;
}

// Templates treat "" as true: an absent value is null.
json optional_text(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

std::string thai_date(chr::year_month_day d) {
  return format_thai_date(d);
}

std::string due_th(const Measure& m, FiscalYear fy) {
  if (!m.due) return "ตลอดปีงบประมาณ (ถึง " + thai_date(fy.last_day()) + ")";
  return "ภายใน " + thai_date(*m.due);
}

json report_json(const store::StoredProgressReport& p) {
  return {{"id", p.id},
          {"measure", p.report.measure_id},
          {"date", format_iso_date(p.report.date)},
          {"text", p.report.text_th},
          {"evidence_url", p.report.evidence_url},
          {"status", std::string(measure_status_code(p.report.status))},
          {"user_id", p.user_id},
          {"created_at", p.created_at}};
}

// GET /api/v1/rounds/{id}/measures: the plan, every report, and each measure's state today.
json tracker_json(std::int64_t round_id, const Tracked& t, chr::year_month_day day) {
  json measures = json::array();
  StatusCounts counts;
  for (const Measure& m : t.plan.measures) {
    const MeasureState st = service::state_on(t, m, day);
    json reports = json::array();
    for (const auto& p : t.stored) {
      if (p.report.measure_id == m.id) reports.push_back(report_json(p));
    }
    measures.push_back({{"id", m.id},
                        {"title_th", m.title_th},
                        {"responsible_th", m.responsible_th},
                        {"due", m.due ? json(format_iso_date(*m.due)) : json(nullptr)},
                        {"deadline", format_iso_date(deadline(m, t.plan.fiscal_year))},
                        {"status", std::string(measure_status_code(st.status))},
                        {"overdue", st.overdue},
                        {"reports", std::move(reports)}});
    counts.add(st.status, st.overdue);
  }
  return {{"round_id", round_id},
          {"fiscal_year", t.plan.fiscal_year.be},
          {"today", format_iso_date(day)},
          {"plan", report::measures_json(t.plan)},
          {"measures", std::move(measures)},
          {"counts",
           {{"total", counts.total()},
            {"planned", counts.planned},
            {"in_progress", counts.in_progress},
            {"done", counts.done},
            {"cancelled", counts.cancelled},
            {"overdue", counts.overdue}}}};
}

// The fields of the plan editor's measure form: the edition's indicators as checkboxes, the due
// date in the Buddhist Era ("" = all year round), the steps one a line.
json editor_fields(const Edition& e, const std::string& title, const std::string& steps,
                   const std::string& responsible, const std::string& monitoring,
                   const std::vector<int>& checked, const std::string& due) {
  json indicators = json::array();
  for (const Indicator& i : e.indicators) {
    indicators.push_back(
        {{"id", i.id},
         {"name", i.name_th},
         {"checked", std::find(checked.begin(), checked.end(), i.id) != checked.end()}});
  }
  return {{"title", title},           {"steps", steps},           {"responsible", responsible},
          {"monitoring", monitoring}, {"indicators", indicators}, {"due", due}};
}

json editor_fields(const Edition& e, const Measure& m) {
  std::string steps;
  for (const auto& s : m.steps_th) steps += (steps.empty() ? "" : "\n") + s;
  return editor_fields(e, m.title_th, steps, m.responsible_th, m.monitoring_th, m.indicators,
                       m.due ? format_be_date(*m.due) : "");
}

json editor_fields(const Edition& e, const service::MeasureInput& in) {
  return editor_fields(e, in.title, in.steps, in.responsible, in.monitoring, in.indicators, in.due);
}

// A measure form as typed: the ticked indicators are fields "indicator-N" (a form holds one value
// per name).
service::MeasureInput measure_input(const Edition& e, const std::map<std::string, std::string>& f) {
  service::MeasureInput in{
      field(f, "title"), field(f, "steps"), field(f, "responsible"), field(f, "monitoring"), {},
      field(f, "due")};
  for (const Indicator& i : e.indicators) {
    if (!field(f, ("indicator-" + std::to_string(i.id)).c_str()).empty())
      in.indicators.push_back(i.id);
  }
  return in;
}

// The page's rows: each measure with its state today, latest report, history and (for officers)
// the forms for a new report, for editing and for removing it.
json measure_rows(const Edition& e, std::int64_t round_id, const Tracked& t,
                  chr::year_month_day day, bool manage, const json& csrf, StatusCounts& counts) {
  json rows = json::array();
  int n = 0;
  for (const Measure& m : t.plan.measures) {
    const MeasureState st = service::state_on(t, m, day);
    json history = json::array();
    for (auto it = t.stored.rbegin(); it != t.stored.rend(); ++it) {
      if (it->report.measure_id != m.id) continue;
      history.push_back({{"date", thai_date(it->report.date)},
                         {"text", it->report.text_th},
                         {"url", optional_text(it->report.evidence_url)},
                         {"status_th", std::string(measure_status_th(it->report.status))}});
    }
    const auto mine = reports_until(t.reports, m.id, day);
    json latest = nullptr;
    if (!mine.empty()) {
      latest = {{"date", thai_date(mine.back().date)},
                {"text", mine.back().text_th},
                {"url", optional_text(mine.back().evidence_url)}};
    }
    json statuses = json::array();
    for (MeasureStatus s : {MeasureStatus::Planned, MeasureStatus::InProgress, MeasureStatus::Done,
                            MeasureStatus::Cancelled}) {
      statuses.push_back({{"code", std::string(measure_status_code(s))},
                          {"label", std::string(measure_status_th(s))},
                          {"selected", s == st.status}});
    }
    rows.push_back({{"n", ++n},
                    {"id", m.id},
                    {"title", m.title_th},
                    {"steps", m.steps_th},
                    {"has_steps", !m.steps_th.empty()},
                    {"responsible", m.responsible_th},
                    {"due_th", due_th(m, t.plan.fiscal_year)},
                    {"status", std::string(measure_status_code(st.status))},
                    {"status_th", std::string(measure_status_th(st.status))},
                    {"overdue", st.overdue},
                    {"latest", latest},
                    {"history", history},
                    {"history_count", history.size()},
                    {"more_history", history.size() > 1},
                    {"statuses", statuses},
                    {"can_report", manage},
                    {"round_id", round_id},
                    {"csrf", csrf},
                    {"today_be", format_be_date(day)},
                    {"has_reports", !history.empty()},
                    {"edit", manage ? editor_fields(e, m) : json(nullptr)}});
    counts.add(st.status, st.overdue);
  }
  return rows;
}

}  // namespace

void MeasuresTracker::add_routes(Router& router) {
  route(router, "GET", "/rounds/{id}/measures", this, &MeasuresTracker::page);
  route(router, "POST", "/rounds/{id}/measures/init", this, &MeasuresTracker::start);
  route(router, "POST", "/rounds/{id}/measures/{measure}/progress", this,
        &MeasuresTracker::report_form);
  route(router, "POST", "/rounds/{id}/measures/new", this, &MeasuresTracker::add_form);
  route(router, "POST", "/rounds/{id}/measures/signature", this, &MeasuresTracker::signature_form);
  route(router, "POST", "/rounds/{id}/measures/{measure}/edit", this, &MeasuresTracker::edit_form);
  route(router, "POST", "/rounds/{id}/measures/{measure}/remove", this,
        &MeasuresTracker::remove_form);
  // GET /rounds/{id}/measures/report-6m.pdf, report-year.docx, …
  route(router, "GET", "/rounds/{id}/measures/{file}", this, &MeasuresTracker::document);
  route(router, "GET", "/api/v1/rounds/{id}/measures", this, &MeasuresTracker::api_get);
  route(router, "PUT", "/api/v1/rounds/{id}/measures", this, &MeasuresTracker::api_put);
  route(router, "POST", "/api/v1/rounds/{id}/measures/{measure}/progress", this,
        &MeasuresTracker::api_report);
}

// The round of a tracker request, checked against the caller: pages answer 403 to a caller who
// may not see it, the API and downloads 404 (as for the rest of the API).
namespace {

constexpr const char* kNotYours = "ไม่มีสิทธิ์ดูมาตรการของรอบการประเมินนี้";
constexpr RoundAccess kPage{RoundAccess::Need::View, kNotYours};
constexpr RoundAccess kHidden{RoundAccess::Need::View, nullptr};

}  // namespace

store::Round MeasuresTracker::managed_round(const Request& r, const Caller& c, bool api) {
  const store::Round round = web_.authorized_round(r, c, api ? kHidden : kPage);
  if (!web_.can_manage_agency(c, round.agency_id)) {
    throw HttpError(403,
                    "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานหรือผู้ดูแลระบบเท่านั้นที่บันทึกแผนและความก้าวหน้าของมาตรการได้");
  }
  return round;
}

// ---- pages ----

Response MeasuresTracker::page(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, kPage);
  return web_.page("measures", page_model(r, c, round));
}

json MeasuresTracker::page_model(const Request& r, const Caller& c, const store::Round& round) {
  const Edition& e = web_.edition_of(round);
  const bool manage = web_.can_manage_agency(c, round.agency_id);
  const auto day = service::thai_today();
  json m = web_.page_model(r, c, "มาตรการส่งเสริมคุณธรรมและความโปร่งใส");
  m["round"] = {{"id", round.id}, {"fiscal_year", e.fiscal_year}};
  m["agency"] = agency_json(*web_.store.agency(round.agency_id));
  m["today_th"] = thai_date(day);
  m["can_manage"] = manage;
  const auto tracked = tracker_.load(round.id);
  m["has_plan"] = tracked.has_value();
  if (!tracked) {
    m["plan_year"] = e.fiscal_year + 1;
    const service::RoundScore s = service::score_round(web_.store, e, round);
    m["missing"] = s.missing;
    m["has_missing"] = !s.missing.empty();
    m["can_init"] = manage && s.result.has_value();
    return m;
  }
  StatusCounts counts;
  m["plan_year"] = tracked->plan.fiscal_year.be;
  m["measures"] = measure_rows(e, round.id, *tracked, day, manage, m["csrf"], counts);
  if (manage) {
    const PlanSignature& sig = tracked->plan.signature;
    m["new_measure"] = editor_fields(e, service::MeasureInput{});
    m["signature"] = {{"name", sig.name_th},
                      {"position", sig.position_th},
                      {"date", sig.date ? format_be_date(*sig.date) : ""}};
    m["all_year_th"] = "ตลอดปีงบประมาณ (" + thai_date(tracked->plan.fiscal_year.first_day()) +
                       " ถึง " + thai_date(tracked->plan.fiscal_year.last_day()) + ")";
  }
  m["counts"] = {{"total", counts.total()},           {"planned", counts.planned},
                 {"in_progress", counts.in_progress}, {"done", counts.done},
                 {"cancelled", counts.cancelled},     {"overdue", counts.overdue}};
  m["half_end_th"] = thai_date(fiscal_half_end(tracked->plan.fiscal_year));
  m["year_end_th"] = thai_date(tracked->plan.fiscal_year.last_day());
  return m;
}

Response MeasuresTracker::start(Request& r) {
  Caller c = web_.signed_in(r);
  web_.require_csrf(r, c, r.form());
  const store::Round round = managed_round(r, c, false);
  return Context::on_refusal(
      r,
      [&] {
        tracker_.start(web_.edition_of(round), round, c.user->id);
        return Response::redirect(
            with_done("/rounds/" + std::to_string(round.id) + "/measures", "plan_started"));
      },
      [&](int status, const std::string& message) {
        json m = page_model(r, c, round);
        m["errors"].push_back(message);
        return web_.page("measures", m, status);
      });
}

Response MeasuresTracker::report_form(Request& r) {
  Caller c = web_.signed_in(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  const store::Round round = managed_round(r, c, false);
  const std::string& measure = r.params.at("measure");
  const ProgressInput in{field(form, "date"), field(form, "text"), field(form, "evidence_url"),
                         field(form, "status"), true};
  return Context::on_refusal(
      r,
      [&] {
        tracker_.report_progress(round, measure, in, service::thai_today(), c.user->id);
        return Response::redirect(
            with_done("/rounds/" + std::to_string(round.id) + "/measures", "report") + "#m-" +
            url_encode(measure));
      },
      [&](int status, const std::string& message) {
        json m = page_model(r, c, round);
        m["errors"].push_back(message);
        // The measure's form stays open with what was typed.
        if (!m.contains("measures")) return web_.page("measures", m, status);
        for (auto& row : m["measures"]) {
          if (row["id"] != measure) continue;
          row["open"] = true;
          row["typed_date"] = in.date;
          row["typed_text"] = in.text;
          row["typed_url"] = in.evidence_url;
          for (auto& st : row["statuses"]) st["selected"] = st["code"] == in.status;
        }
        return web_.page("measures", m, status);
      });
}

Response MeasuresTracker::plan_change(const Request& r, const Caller& c, const store::Round& round,
                                      const std::function<void()>& change, const char* done,
                                      const std::string& anchor,
                                      const std::function<void(json&)>& keep) {
  return Context::on_refusal(
      r,
      [&] {
        change();
        return Response::redirect(
            with_done("/rounds/" + std::to_string(round.id) + "/measures", done) + anchor);
      },
      [&](int status, const std::string& message) {
        json m = page_model(r, c, round);
        m["errors"].push_back(message);
        if (m.contains("measures")) keep(m);
        return web_.page("measures", m, status);
      });
}

Response MeasuresTracker::edit_form(Request& r) {
  Caller c = web_.signed_in(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  const store::Round round = managed_round(r, c, false);
  const Edition& e = web_.edition_of(round);
  const std::string& id = r.params.at("measure");
  const service::MeasureInput in = measure_input(e, form);
  return plan_change(
      r, c, round, [&] { tracker_.edit_measure(e, round, id, in, c.user->id); }, "measure_saved",
      "#m-" + url_encode(id),
      [&](json& m) {
        for (auto& row : m["measures"]) {
          if (row["id"] != id) continue;
          row["edit"] = editor_fields(e, in);
          row["edit_open"] = true;
        }
      });
}

Response MeasuresTracker::add_form(Request& r) {
  Caller c = web_.signed_in(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  const store::Round round = managed_round(r, c, false);
  const Edition& e = web_.edition_of(round);
  const service::MeasureInput in = measure_input(e, form);
  return plan_change(
      r, c, round, [&] { tracker_.add_measure(e, round, in, c.user->id); }, "measure_added",
      "#new-measure",
      [&](json& m) {
        m["new_measure"] = editor_fields(e, in);
        m["new_open"] = true;
      });
}

Response MeasuresTracker::remove_form(Request& r) {
  Caller c = web_.signed_in(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  const store::Round round = managed_round(r, c, false);
  const std::string& id = r.params.at("measure");
  const bool confirmed = !field(form, "confirm").empty();
  return plan_change(
      r, c, round,
      [&] { tracker_.remove_measure(web_.edition_of(round), round, id, confirmed, c.user->id); },
      "measure_removed", "",
      [&](json& m) {
        for (auto& row : m["measures"]) {
          if (row["id"] == id) row["remove_open"] = true;
        }
      });
}

Response MeasuresTracker::signature_form(Request& r) {
  Caller c = web_.signed_in(r);
  const auto form = r.form();
  web_.require_csrf(r, c, form);
  const store::Round round = managed_round(r, c, false);
  const service::SignatureInput in{field(form, "name"), field(form, "position"),
                                   field(form, "date")};
  return plan_change(
      r, c, round, [&] { tracker_.sign(web_.edition_of(round), round, in, c.user->id); },
      "signature", "#signature",
      [&](json& m) {
        m["signature"] = {{"name", in.name}, {"position", in.position}, {"date", in.date}};
        m["signature_open"] = true;
      });
}

Response MeasuresTracker::document(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, kHidden);
  const std::string& file = r.params.at("file");
  const auto dot = file.rfind('.');
  const std::string name = file.substr(0, dot);
  const std::string ext = dot == std::string::npos ? "" : file.substr(dot + 1);
  const auto format = report::parse_format(ext);
  if (!format || (name != "report-6m" && name != "report-year")) {
    throw HttpError(404,
                    "ไม่พบไฟล์ " + file + " (report-6m หรือ report-year เป็น .pdf, .html หรือ .docx)");
  }
  const Tracked t = tracker_.need(round.id);
  const FiscalYear fy = t.plan.fiscal_year;
  const Period period = name == "report-6m" ? first_half_period(fy) : year_period(fy);
  const ProgressSummary summary =
      summarise_progress(t.plan, t.reports, period, service::thai_today());
  const auto agency = web_.store.agency(round.agency_id);
  const io::AgencyInfo info{agency->name, agency->district, agency->province, agency->type};
  const bool thai_digits =
      r.query.contains("thai_digits") ? r.query.at("thai_digits") != "0" : true;
  const report::Document doc =
      report::build_progress_document(info, summary, report::DocumentOptions{thai_digits, true});
  Response res = Response::text(report::render(*format, doc, report::RenderOptions{}));
  res.content_type = std::string(report::content_type(*format));
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"ita-" + name + "-" +
                                                      std::to_string(fy.be) + "-round-" +
                                                      std::to_string(round.id) + "." + ext + "\"");
  return res;
}

// ---- JSON API ----

Response MeasuresTracker::api_get(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = web_.authorized_round(r, c, kHidden);
  auto t = tracker_.load(round.id);
  if (!t) throw HttpError(404, "round " + std::to_string(round.id) + " has no measures plan yet");
  return Response::json(tracker_json(round.id, *t, service::thai_today()));
}

// Replaces the plan with an edited "ita-measures/1" document (docs/measures.md).
Response MeasuresTracker::api_put(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = managed_round(r, c, true);
  MeasuresPlan plan;
  try {
    plan = report::parse_measures(r.body, "body");
  } catch (const io::FileError& e) {
    // A body that is not JSON at all is a bad request; JSON that is not a plan, unprocessable.
    throw HttpError(json_syntax_error(r.body) ? 400 : 422, e.what());
  }
  const Tracked after = tracker_.replace(web_.edition_of(round), round, plan, c.user->id);
  return Response::json(tracker_json(round.id, after, service::thai_today()));
}

Response MeasuresTracker::api_report(Request& r) {
  Caller c = web_.signed_in(r);
  const store::Round round = managed_round(r, c, true);
  const json body = json_body(r);
  ProgressInput in;
  for (const auto& [key, value] : body.items()) {
    std::string* slot = key == "date"           ? &in.date
                        : key == "text"         ? &in.text
                        : key == "evidence_url" ? &in.evidence_url
                        : key == "status"       ? &in.status
                                                : nullptr;
    if (slot == nullptr)
      throw HttpError(422,
                      "unknown field \"" + key + "\"; expected date, text, evidence_url, status");
    if (value.is_null()) continue;
    if (!value.is_string()) throw HttpError(422, "field \"" + key + "\" must be a string");
    *slot = value.get<std::string>();
  }
  const std::string& measure = r.params.at("measure");
  const auto recorded =
      tracker_.report_progress(round, measure, in, service::thai_today(), c.user->id);
  return Response::json({{"report", report_json(recorded.stored)},
                         {"measure",
                          {{"id", measure},
                           {"status", std::string(measure_status_code(recorded.state.status))},
                           {"overdue", recorded.state.overdue}}}},
                        201);
}

}  // namespace ita::web
