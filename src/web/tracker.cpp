// The measures tracker: a round's measures plan (made from the recommended-measures library and
// the round's result), progress reports with evidence links, overdue measures, the 6-month and
// year-end reports as PDF/HTML/DOCX, and the JSON API (docs/api.md, "Measures tracker").

#include "core/analysis.hpp"
#include "core/tracker.hpp"
#include "io/json_error.hpp"
#include "report/measures_json.hpp"
#include "report/progress_report.hpp"
#include "report/render.hpp"
#include "web/app.hpp"

namespace ita::web {

namespace {

using nlohmann::json;
namespace chr = std::chrono;

constexpr std::size_t kMaxText = 10000;  // bytes of a report's text
constexpr std::size_t kMaxUrl = 2000;

chr::year_month_day today() {
  return *parse_iso_date(today_in_thailand());
}

std::string field(const std::map<std::string, std::string>& f, const char* key) {
  auto it = f.find(key);
  return it == f.end() ? "" : it->second;
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

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

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

// A round's plan and its progress reports (in the order they were recorded).
struct Tracked {
  MeasuresPlan plan;
  std::vector<store::StoredProgressReport> stored;
  std::vector<ProgressReport> reports;
};

std::optional<Tracked> load_tracked(store::Store& s, std::int64_t round_id) {
  const auto text = s.measures_plan(round_id);
  if (!text) return std::nullopt;
  Tracked t;
  t.plan = report::parse_measures(*text, "the measures plan of round " + std::to_string(round_id));
  t.stored = s.progress_reports(round_id);
  for (const auto& p : t.stored) t.reports.push_back(p.report);
  return t;
}

Tracked need_tracked(store::Store& s, std::int64_t round_id) {
  auto t = load_tracked(s, round_id);
  if (!t) throw HttpError(404, "รอบการประเมินนี้ยังไม่มีแผนมาตรการ");
  return std::move(*t);
}

// The fields of a new progress report, as a form or a JSON body gives them.
struct ProgressInput {
  std::string date;  // "YYYY-MM-DD"; empty = today
  std::string text;
  std::string evidence_url;
  std::string status;
};

// Validates a new report on `measure_id`: 404 for a measure the plan does not have, 422 with the
// reasons for anything else.
ProgressReport progress_from(const MeasuresPlan& plan, const std::string& measure_id, const ProgressInput& in,
                             chr::year_month_day day) {
  if (find_measure(plan, measure_id) == nullptr) {
    throw HttpError(404, "ไม่พบมาตรการ \"" + measure_id + "\" ในแผนมาตรการของรอบนี้");
  }
  ProgressReport r;
  r.measure_id = measure_id;
  const std::string date = trimmed(in.date);
  if (date.empty()) {
    r.date = day;
  } else if (auto d = parse_iso_date(date)) {
    r.date = *d;
  } else {
    throw HttpError(422, "วันที่ต้องเป็นวันที่จริงในรูปแบบ YYYY-MM-DD (ค.ศ.) เช่น 2025-03-31 (ได้รับ \"" + date + "\")");
  }
  const auto status = parse_measure_status(trimmed(in.status));
  if (!status) throw HttpError(422, "สถานะต้องเป็น planned, in_progress, done หรือ cancelled (ได้รับ \"" + in.status + "\")");
  r.status = *status;
  r.text_th = trimmed(in.text);
  r.evidence_url = trimmed(in.evidence_url);
  if (r.text_th.size() > kMaxText) throw HttpError(422, "ผลการดำเนินการยาวเกิน " + std::to_string(kMaxText) + " ไบต์");
  if (r.evidence_url.size() > kMaxUrl) throw HttpError(422, "ลิงก์หลักฐานยาวเกิน " + std::to_string(kMaxUrl) + " ไบต์");
  std::vector<std::string> problems;
  for (const auto& p : check_progress_report(plan, r, day)) problems.push_back(p.message);
  if (!problems.empty()) throw HttpError(422, joined(problems));
  return r;
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

// A measure's state on a day: its status and whether it is overdue.
struct MeasureState {
  MeasureStatus status;
  bool overdue;
};

MeasureState state_on(const Tracked& t, const Measure& m, chr::year_month_day day) {
  const MeasureStatus s = status_on(m, t.reports, day);
  return {s, is_overdue(m, t.plan.fiscal_year, s, day)};
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
    const MeasureState st = state_on(t, m, day);
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
    switch (st.status) {
      case MeasureStatus::Planned: ++counts.planned; break;
      case MeasureStatus::InProgress: ++counts.in_progress; break;
      case MeasureStatus::Done: ++counts.done; break;
      case MeasureStatus::Cancelled: ++counts.cancelled; break;
    }
    counts.overdue += st.overdue ? 1 : 0;
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

// The page's rows: each measure with its state today, latest report, history and (for officers)
// the form for a new report.
json measure_rows(std::int64_t round_id, const Tracked& t, chr::year_month_day day, bool manage, const json& csrf,
                  StatusCounts& counts) {
  json rows = json::array();
  int n = 0;
  for (const Measure& m : t.plan.measures) {
    const MeasureState st = state_on(t, m, day);
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
      latest = {{"date", thai_date(mine.back().date)}, {"text", mine.back().text_th}, {"url", optional_text(mine.back().evidence_url)}};
    }
    json statuses = json::array();
    for (MeasureStatus s : {MeasureStatus::Planned, MeasureStatus::InProgress, MeasureStatus::Done, MeasureStatus::Cancelled}) {
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
                    {"today", format_iso_date(day)}});
    switch (st.status) {
      case MeasureStatus::Planned: ++counts.planned; break;
      case MeasureStatus::InProgress: ++counts.in_progress; break;
      case MeasureStatus::Done: ++counts.done; break;
      case MeasureStatus::Cancelled: ++counts.cancelled; break;
    }
    counts.overdue += st.overdue ? 1 : 0;
  }
  return rows;
}

}  // namespace

void App::add_tracker_routes() {
  // The round of a tracker request, checked against the caller: pages answer 403 to a caller who
  // may not see it, the API and downloads 404 (as for the rest of the API).
  auto round_for = [this](const Request& r, const Caller& c, bool hide) {
    const auto round = store_.round(path_id(r, "id", "รอบการประเมิน"));
    if (!round) throw HttpError(404, "ไม่พบรอบการประเมิน");
    if (!can_view_agency(c, round->agency_id)) {
      if (hide) throw HttpError(404, "ไม่พบรอบการประเมิน");
      throw HttpError(403, "ไม่มีสิทธิ์ดูมาตรการของรอบการประเมินนี้");
    }
    return *round;
  };
  auto need_manager = [this](const Caller& c, const store::Round& round) {
    if (!can_manage_agency(c, round.agency_id)) {
      throw HttpError(403, "เฉพาะเจ้าหน้าที่ ITA ของหน่วยงานหรือผู้ดูแลระบบเท่านั้นที่บันทึกแผนและความก้าวหน้าของมาตรการได้");
    }
  };
  auto agency_json = [](const store::Agency& a) {
    return json{{"id", a.id}, {"name", a.name}, {"district", a.district}, {"province", a.province}, {"type", a.type}};
  };

  // ---- pages ----

  router_.add("GET", "/rounds/{id}/measures", [=, this](Request& r) {
    Caller c = caller(r);
    if (!c.user) return need_login(r);
    const store::Round round = round_for(r, c, false);
    const Edition& e = edition_of(round);
    const bool manage = can_manage_agency(c, round.agency_id);
    const auto day = today();
    json m = page_model(c, "มาตรการส่งเสริมคุณธรรมและความโปร่งใส");
    m["round"] = {{"id", round.id}, {"fiscal_year", e.fiscal_year}};
    m["agency"] = agency_json(*store_.agency(round.agency_id));
    m["today_th"] = thai_date(day);
    m["can_manage"] = manage;
    const auto tracked = load_tracked(store_, round.id);
    m["has_plan"] = tracked.has_value();
    if (!tracked) {
      m["plan_year"] = e.fiscal_year + 1;
      const RoundScore s = score_round(store_, e, round);
      m["missing"] = s.missing;
      m["has_missing"] = !s.missing.empty();
      m["can_init"] = manage && s.result.has_value();
      return page("measures", m);
    }
    StatusCounts counts;
    m["plan_year"] = tracked->plan.fiscal_year.be;
    m["measures"] = measure_rows(round.id, *tracked, day, manage, m["csrf"], counts);
    m["counts"] = {{"total", counts.total()},  {"planned", counts.planned},     {"in_progress", counts.in_progress},
                   {"done", counts.done},      {"cancelled", counts.cancelled}, {"overdue", counts.overdue}};
    m["half_end_th"] = thai_date(fiscal_half_end(tracked->plan.fiscal_year));
    m["year_end_th"] = thai_date(tracked->plan.fiscal_year.last_day());
    return page("measures", m);
  });

  router_.add("POST", "/rounds/{id}/measures/init", [=, this](Request& r) {
    Caller c = caller(r);
    if (!c.user) return need_login(r);
    if (!csrf_ok(r, c, r.form())) throw HttpError(403, "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่");
    const store::Round round = round_for(r, c, false);
    need_manager(c, round);
    if (store_.measures_plan(round.id)) throw HttpError(409, "รอบการประเมินนี้มีแผนมาตรการแล้ว");
    const Edition& e = edition_of(round);
    const RoundScore s = score_round(store_, e, round);
    if (!s.result) throw HttpError(409, "ยังจัดทำแผนมาตรการไม่ได้ เพราะยังคำนวณผลการประเมินไม่ได้: " + joined(s.missing));
    const MeasuresPlan plan = build_default_plan(e, analyze(e, *s.result), report::builtin_measures_library());
    store_.put_measures_plan(round.id, report::measures_json(plan).dump(2), c.user->id);
    return Response::redirect("/rounds/" + std::to_string(round.id) + "/measures");
  });

  router_.add("POST", "/rounds/{id}/measures/{measure}/progress", [=, this](Request& r) {
    Caller c = caller(r);
    if (!c.user) return need_login(r);
    const auto form = r.form();
    if (!csrf_ok(r, c, form)) throw HttpError(403, "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่");
    const store::Round round = round_for(r, c, false);
    need_manager(c, round);
    const Tracked t = need_tracked(store_, round.id);
    const std::string& measure = r.params.at("measure");
    const ProgressInput in{field(form, "date"), field(form, "text"), field(form, "evidence_url"), field(form, "status")};
    store_.add_progress_report(round.id, progress_from(t.plan, measure, in, today()), c.user->id);
    return Response::redirect("/rounds/" + std::to_string(round.id) + "/measures#m-" + url_encode(measure));
  });

  // GET /rounds/{id}/measures/report-6m.pdf, report-year.docx, …
  router_.add("GET", "/rounds/{id}/measures/{file}", [=, this](Request& r) {
    Caller c = caller(r);
    if (!c.user) return need_login(r);
    const store::Round round = round_for(r, c, true);
    const std::string& file = r.params.at("file");
    const auto dot = file.rfind('.');
    const std::string name = file.substr(0, dot);
    const std::string ext = dot == std::string::npos ? "" : file.substr(dot + 1);
    const auto format = report::parse_format(ext);
    if (!format || (name != "report-6m" && name != "report-year")) {
      throw HttpError(404, "ไม่พบไฟล์ " + file + " (report-6m หรือ report-year เป็น .pdf, .html หรือ .docx)");
    }
    const Tracked t = need_tracked(store_, round.id);
    const FiscalYear fy = t.plan.fiscal_year;
    const Period period = name == "report-6m" ? first_half_period(fy) : year_period(fy);
    const ProgressSummary summary = summarise_progress(t.plan, t.reports, period, today());
    const auto agency = store_.agency(round.agency_id);
    const io::AgencyInfo info{agency->name, agency->district, agency->province, agency->type};
    const bool thai_digits = r.query.contains("thai_digits") ? r.query.at("thai_digits") != "0" : true;
    const report::Document doc = report::build_progress_document(info, summary, report::DocumentOptions{thai_digits, true});
    Response res = Response::text(report::render(*format, doc, report::RenderOptions{}));
    res.content_type = std::string(report::content_type(*format));
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"ita-" + name + "-" + std::to_string(fy.be) +
                                                        "-round-" + std::to_string(round.id) + "." + ext + "\"");
    return res;
  });

  // ---- JSON API ----

  router_.add("GET", "/api/v1/rounds/{id}/measures", [=, this](Request& r) {
    Caller c = caller(r);
    if (!c.user) return need_login(r);
    const store::Round round = round_for(r, c, true);
    auto t = load_tracked(store_, round.id);
    if (!t) throw HttpError(404, "round " + std::to_string(round.id) + " has no measures plan yet");
    return Response::json(tracker_json(round.id, *t, today()));
  });

  // Replaces the plan with an edited "ita-measures/1" document (docs/measures.md).
  router_.add("PUT", "/api/v1/rounds/{id}/measures", [=, this](Request& r) {
    Caller c = caller(r);
    if (!c.user) return need_login(r);
    const store::Round round = round_for(r, c, true);
    need_manager(c, round);
    MeasuresPlan plan;
    try {
      plan = report::parse_measures(r.body, "body");
    } catch (const io::FileError& e) {
      // A body that is not JSON at all is a bad request; JSON that is not a plan, unprocessable.
      throw HttpError(json_syntax_error(r.body) ? 400 : 422, e.what());
    }
    std::vector<std::string> problems;
    for (const auto& p : check_plan(edition_of(round), plan)) problems.push_back(p.path + ": " + p.message);
    if (!problems.empty()) throw HttpError(422, joined(problems));
    store_.put_measures_plan(round.id, report::measures_json(plan).dump(2), c.user->id);
    return Response::json(tracker_json(round.id, need_tracked(store_, round.id), today()));
  });

  router_.add("POST", "/api/v1/rounds/{id}/measures/{measure}/progress", [=, this](Request& r) {
    Caller c = caller(r);
    if (!c.user) return need_login(r);
    const store::Round round = round_for(r, c, true);
    need_manager(c, round);
    const json body = json_body(r);
    ProgressInput in;
    for (const auto& [key, value] : body.items()) {
      std::string* slot = key == "date"           ? &in.date
                          : key == "text"         ? &in.text
                          : key == "evidence_url" ? &in.evidence_url
                          : key == "status"       ? &in.status
                                                  : nullptr;
      if (slot == nullptr) throw HttpError(422, "unknown field \"" + key + "\"; expected date, text, evidence_url, status");
      if (value.is_null()) continue;
      if (!value.is_string()) throw HttpError(422, "field \"" + key + "\" must be a string");
      *slot = value.get<std::string>();
    }
    const Tracked t = need_tracked(store_, round.id);
    const std::string& measure = r.params.at("measure");
    const auto day = today();
    const ProgressReport report = progress_from(t.plan, measure, in, day);
    const store::StoredProgressReport stored = store_.add_progress_report(round.id, report, c.user->id);
    Tracked after = t;
    after.stored.push_back(stored);
    after.reports.push_back(stored.report);
    const MeasureState st = state_on(after, *find_measure(after.plan, measure), day);
    return Response::json({{"report", report_json(stored)},
                           {"measure",
                            {{"id", measure},
                             {"status", std::string(measure_status_code(st.status))},
                             {"overdue", st.overdue}}}},
                          201);
  });
}

}  // namespace ita::web
