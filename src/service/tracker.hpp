#pragma once
// The measures tracker of a round (core/measures.hpp, core/tracker.hpp): its measures plan, made
// from the round's result and the recommended-measures library or edited by the agency, and the
// progress reports on each measure. Who may change them is the caller's to decide.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/edition.hpp"
#include "core/measures.hpp"
#include "core/tracker.hpp"
#include "service/plan_editing.hpp"
#include "store/store.hpp"

namespace ita::service {

// How a plan is read from and written to the store's "ita-measures/1" text (docs/measures.md).
// The format lives in report/measures_json.hpp, outside what the service may include, so the
// caller passes it in (see web/tracker.cpp).
struct PlanFormat {
  // Parses a plan; throws io::FileError naming `name` and the JSON path of the fault.
  std::function<MeasuresPlan(std::string_view text, const std::string& name)> parse;
  // The plan as text that `parse` reads back unchanged.
  std::function<std::string(const MeasuresPlan& plan)> write;
  // The recommended measures a round's first plan is built from.
  const MeasuresLibrary* library = nullptr;
};

// A round's plan and its progress reports, in the order they were recorded.
struct Tracked {
  MeasuresPlan plan;
  std::vector<store::StoredProgressReport> stored;
  std::vector<ProgressReport> reports;  // the reports of `stored`, same order
};

// The fields of a new progress report, as a form or a JSON body gives them (untrimmed).
struct ProgressInput {
  std::string date;  // "YYYY-MM-DD"; empty = today
  std::string text;
  std::string evidence_url;
  std::string status;  // planned, in_progress, done or cancelled
  // The date as the page's form takes it: "D/M/YYYY" in the Buddhist Era (typed_be_date, which
  // also reads "YYYY-MM-DD"), not the API's "YYYY-MM-DD" only.
  bool be_date = false;
};

// A measure's state on a day: its status and whether it is overdue.
struct MeasureState {
  MeasureStatus status = MeasureStatus::Planned;
  bool overdue = false;
};

// The state of measure `m` of `t`'s plan on `day`, from the reports dated up to `day`. Pure.
MeasureState state_on(const Tracked& t, const Measure& m, std::chrono::year_month_day day);

// Checks a new report on measure `measure_id` of `plan`, as of `day` (today), and returns it:
// trimmed text and URL, the date (`day` when none is given), the status. Throws NotFound when the
// plan has no such measure; Invalid (Thai) for a date that is not a real YYYY-MM-DD (with
// `in.be_date`: a real D/M/YYYY BE date or YYYY-MM-DD, service/plan_editing.hpp), an unknown
// status, a text or URL that breaks its rule (core/text_rules.hpp: kProgressText at most 10,000
// characters, kProgressUrl 2,000, no control characters …), or what check_progress_report finds
// (joined by "; "). Pure.
ProgressReport progress_from(const MeasuresPlan& plan, const std::string& measure_id,
                             const ProgressInput& in, std::chrono::year_month_day day);

// A progress report as stored, and the measure's state right after it.
struct RecordedProgress {
  store::StoredProgressReport stored;
  MeasureState state;
};

class Tracker {
 public:
  Tracker(store::Store& store, PlanFormat format);

  // Round `round_id`'s saved plan, or nothing. Throws io::FileError when the stored plan no longer
  // parses, store errors. Leaves the store unchanged.
  std::optional<MeasuresPlan> plan(std::int64_t round_id) const;
  // The round's plan with its progress reports, or nothing when it has no plan. Throws as plan().
  std::optional<Tracked> load(std::int64_t round_id) const;
  // As load(), but throws NotFound ("รอบการประเมินนี้ยังไม่มีแผนมาตรการ") when there is no plan.
  Tracked need(std::int64_t round_id) const;

  // Makes and saves the round's first plan for `by_user`: the default plan built from the
  // analysis of its result (edition `e`) and the library. Returns the plan. Throws Refused, the
  // store unchanged, when the round has a plan already ("รอบการประเมินนี้มีแผนมาตรการแล้ว") or
  // its result cannot be computed yet ("ยังจัดทำแผนมาตรการไม่ได้ …: " and the reasons).
  MeasuresPlan start(const Edition& e, const store::Round& round, std::int64_t by_user) const;

  // Replaces the round's plan with `plan` (edited by the agency) for `by_user` and returns the
  // round's plan and reports afterwards. Throws Invalid, the store unchanged: for the first text
  // that breaks its rule ("/measures/0/title_th ชื่อมาตรการ: ข้อความมีอักขระควบคุม …",
  // core/text_rules.hpp; the signature's name_th and position_th too), then with check_plan's
  // problems ("/measures/0/due: …", joined by "; ") when `plan` does not fit edition `e`.
  Tracked replace(const Edition& e, const store::Round& round, const MeasuresPlan& plan,
                  std::int64_t by_user) const;

  // The plan editor of the measures page (service/plan_editing.hpp): each reads the round's plan
  // and reports, makes the edited plan with the function named, and saves it through replace().
  // Returns the round's plan and reports afterwards. Throws, the store unchanged: NotFound when
  // the round has no plan; what that function throws; then as replace().
  // with_measure_edited on measure `id`.
  Tracked edit_measure(const Edition& e, const store::Round& round, const std::string& id,
                       const MeasureInput& in, std::int64_t by_user) const;
  // with_measure_added: the new measure is the last of the returned plan.
  Tracked add_measure(const Edition& e, const store::Round& round, const MeasureInput& in,
                      std::int64_t by_user) const;
  // without_measure: Refused for a measure with progress reports (the store would refuse it too).
  Tracked remove_measure(const Edition& e, const store::Round& round, const std::string& id,
                         bool confirmed, std::int64_t by_user) const;
  // with_signature: the document's signature block.
  Tracked sign(const Edition& e, const store::Round& round, const SignatureInput& in,
               std::int64_t by_user) const;

  // Records a progress report on measure `measure_id` of the round's plan for `by_user`, as of
  // `day` (today). Returns it as stored and the measure's state on `day` after it. Throws, the
  // store unchanged: NotFound when the round has no plan or the plan no such measure; Invalid as
  // progress_from; store errors.
  RecordedProgress report_progress(const store::Round& round, const std::string& measure_id,
                                   const ProgressInput& in, std::chrono::year_month_day day,
                                   std::int64_t by_user) const;

 private:
  store::Store& store_;
  PlanFormat format_;
};

}  // namespace ita::service
