#include "service/tracker.hpp"

#include "core/analysis.hpp"
#include "service/errors.hpp"
#include "service/plan_editing.hpp"
#include "service/scoring.hpp"
#include "service/text_fields.hpp"

namespace ita::service {

namespace {

namespace chr = std::chrono;

std::string plan_name(std::int64_t round_id) {
  return "the measures plan of round " + std::to_string(round_id);
}

// Every text of `plan` follows its field's rule; Invalid names the first that does not, with its
// place in the plan ("/measures/2/title_th ชื่อมาตรการ: …").
void check_plan_texts(const MeasuresPlan& plan) {
  auto check = [](const std::string& path, const TextField& field, const std::string& value) {
    if (const auto fault = text_fault(value, field.rule))
      throw Invalid(path + " " + std::string(field.label_th) + ": " + fault->message_th());
  };
  for (std::size_t k = 0; k < plan.methods.size(); ++k) {
    const std::string at = "/improvement_methods/" + std::to_string(k);
    if (plan.methods[k].item) check(at + "/item", kMethodItem, *plan.methods[k].item);
    check(at + "/text_th", kMethodText, plan.methods[k].text_th);
  }
  for (std::size_t k = 0; k < plan.measures.size(); ++k) {
    const Measure& m = plan.measures[k];
    const std::string at = "/measures/" + std::to_string(k);
    check(at + "/id", kMeasureId, m.id);
    check(at + "/title_th", kMeasureTitle, m.title_th);
    for (std::size_t s = 0; s < m.steps_th.size(); ++s)
      check(at + "/steps_th/" + std::to_string(s), kMeasureStep, m.steps_th[s]);
    check(at + "/responsible_th", kMeasureResponsible, m.responsible_th);
    check(at + "/monitoring_th", kMeasureMonitoring, m.monitoring_th);
  }
  check("/signature/name_th", kSignatureName, plan.signature.name_th);
  check("/signature/position_th", kSignaturePosition, plan.signature.position_th);
}

}  // namespace

MeasureState state_on(const Tracked& t, const Measure& m, chr::year_month_day day) {
  const MeasureStatus s = status_on(m, t.reports, day);
  return {s, is_overdue(m, t.plan.fiscal_year, s, day)};
}

ProgressReport progress_from(const MeasuresPlan& plan, const std::string& measure_id,
                             const ProgressInput& in, chr::year_month_day day) {
  if (find_measure(plan, measure_id) == nullptr) {
    throw NotFound("ไม่พบมาตรการ \"" + measure_id + "\" ในแผนมาตรการของรอบนี้");
  }
  ProgressReport r;
  r.measure_id = measure_id;
  const std::string date = trimmed(in.date);
  if (date.empty()) {
    r.date = day;
  } else if (in.be_date) {
    r.date = *typed_be_date(date, "วันที่");
  } else if (auto d = parse_iso_date(date)) {
    r.date = *d;
  } else {
    throw Invalid("วันที่ต้องเป็นวันที่จริงในรูปแบบ YYYY-MM-DD (ค.ศ.) เช่น 2025-03-31 (ได้รับ \"" + date +
                  "\")");
  }
  const auto status = parse_measure_status(trimmed(in.status));
  if (!status) {
    throw Invalid("สถานะต้องเป็น planned, in_progress, done หรือ cancelled (ได้รับ \"" + in.status +
                  "\")");
  }
  r.status = *status;
  r.text_th = trimmed(in.text);
  r.evidence_url = trimmed(in.evidence_url);
  check_text(kProgressText, r.text_th);
  check_text(kProgressUrl, r.evidence_url);
  std::vector<std::string> problems;
  for (const auto& p : check_progress_report(plan, r, day)) problems.push_back(p.message);
  if (!problems.empty()) throw Invalid(reasons(problems));
  return r;
}

Tracker::Tracker(store::Store& store, PlanFormat format)
    : store_(store), format_(std::move(format)) {}

std::optional<MeasuresPlan> Tracker::plan(std::int64_t round_id) const {
  const auto text = store_.measures_plan(round_id);
  if (!text) return std::nullopt;
  return format_.parse(*text, plan_name(round_id));
}

std::optional<Tracked> Tracker::load(std::int64_t round_id) const {
  auto saved = plan(round_id);
  if (!saved) return std::nullopt;
  Tracked t;
  t.plan = std::move(*saved);
  t.stored = store_.progress_reports(round_id);
  for (const auto& p : t.stored) t.reports.push_back(p.report);
  return t;
}

Tracked Tracker::need(std::int64_t round_id) const {
  auto t = load(round_id);
  if (!t) throw NotFound("รอบการประเมินนี้ยังไม่มีแผนมาตรการ");
  return std::move(*t);
}

MeasuresPlan Tracker::start(const Edition& e, const store::Round& round,
                            std::int64_t by_user) const {
  if (store_.measures_plan(round.id)) throw Refused("รอบการประเมินนี้มีแผนมาตรการแล้ว");
  const RoundScore s = score_round(store_, e, round);
  if (!s.result) {
    throw Refused("ยังจัดทำแผนมาตรการไม่ได้ เพราะยังคำนวณผลการประเมินไม่ได้: " + reasons(s.missing));
  }
  MeasuresPlan plan = build_default_plan(e, analyze(e, *s.result), *format_.library);
  store_.put_measures_plan(round.id, format_.write(plan), by_user);
  return plan;
}

Tracked Tracker::replace(const Edition& e, const store::Round& round, const MeasuresPlan& plan,
                         std::int64_t by_user) const {
  check_plan_texts(plan);
  std::vector<std::string> problems;
  for (const auto& p : check_plan(e, plan)) problems.push_back(p.path + ": " + p.message);
  if (!problems.empty()) throw Invalid(reasons(problems));
  store_.put_measures_plan(round.id, format_.write(plan), by_user);
  return need(round.id);
}

Tracked Tracker::edit_measure(const Edition& e, const store::Round& round, const std::string& id,
                              const MeasureInput& in, std::int64_t by_user) const {
  const Tracked t = need(round.id);
  return replace(e, round, with_measure_edited(e, t.plan, id, in), by_user);
}

Tracked Tracker::add_measure(const Edition& e, const store::Round& round, const MeasureInput& in,
                             std::int64_t by_user) const {
  const Tracked t = need(round.id);
  return replace(e, round, with_measure_added(e, t.plan, in), by_user);
}

Tracked Tracker::remove_measure(const Edition& e, const store::Round& round, const std::string& id,
                                bool confirmed, std::int64_t by_user) const {
  const Tracked t = need(round.id);
  return replace(e, round, without_measure(t.plan, id, confirmed, t.reports), by_user);
}

Tracked Tracker::sign(const Edition& e, const store::Round& round, const SignatureInput& in,
                      std::int64_t by_user) const {
  const Tracked t = need(round.id);
  return replace(e, round, with_signature(t.plan, in), by_user);
}

RecordedProgress Tracker::report_progress(const store::Round& round, const std::string& measure_id,
                                          const ProgressInput& in, chr::year_month_day day,
                                          std::int64_t by_user) const {
  Tracked t = need(round.id);
  const ProgressReport report = progress_from(t.plan, measure_id, in, day);
  RecordedProgress out;
  out.stored = store_.add_progress_report(round.id, report, by_user);
  t.stored.push_back(out.stored);
  t.reports.push_back(out.stored.report);
  out.state = state_on(t, *find_measure(t.plan, measure_id), day);
  return out;
}

}  // namespace ita::service
