#pragma once
// The rules of the measures page's plan editor: a measure edited, added or removed, and the
// document's signature, each made from the plan as it is and what a person typed in a form
// (dates as Thai people type them, "31/03/2568" in the Buddhist Era). Pure functions: the
// Tracker (service/tracker.hpp) stores what they return. Messages are Thai, for the page.
#include <optional>
#include <string>
#include <vector>

#include "core/edition.hpp"
#include "core/measures.hpp"
#include "core/tracker.hpp"

namespace ita::service {

// The fields of a measure as the page's form gives them (untrimmed).
struct MeasureInput {
  std::string title;  // มาตรการ/แนวทาง; required
  std::string steps;  // ขั้นตอนหรือวิธีการ: one step a line; blank lines are dropped
  std::string responsible;      // ผู้รับผิดชอบ
  std::string monitoring;       // การกำกับติดตาม
  std::vector<int> indicators;  // the indicators ticked, any order
  std::string due;  // "D/M/YYYY" (BE); empty = all year round (ตลอดปีงบประมาณ)
};

// The signature block as the page's form gives it (untrimmed).
struct SignatureInput {
  std::string name;      // ชื่อผู้ลงนาม
  std::string position;  // ตำแหน่ง
  std::string date;  // วันที่ประกาศ, "D/M/YYYY" (BE); empty = none (a dotted line)
};

// A date typed as "D/M/YYYY" with a Buddhist Era year (core/thai.hpp parse_be_date, Thai digits
// allowed), or an ISO "YYYY-MM-DD" as the closing-date form also accepts; nothing when `typed`
// is blank. Throws Invalid naming `label_th` ("กำหนดเสร็จต้องเป็นวันที่จริงในรูปแบบ วัน/เดือน/ปี พ.ศ.
// เช่น 31/03/2568 (ได้รับ "…")") for anything else. Pure.
std::optional<std::chrono::year_month_day> typed_be_date(const std::string& typed,
                                                         const std::string& label_th);

// `base` with the fields of `in`: trimmed texts, the steps split by line, the indicators sorted
// and without repeats, the due date. Keeps base's id and status. Throws Invalid (Thai, naming the
// field) for an empty title, a text that breaks its rule (core/text_rules.hpp), an indicator the
// edition `e` does not have, a date that is not a real BE date, or a due date outside `fy`. Pure.
Measure measure_from(const Edition& e, FiscalYear fy, const MeasureInput& in, Measure base);

// An id for a new measure of `plan`: "m-N" for the smallest N ≥ 1 that no measure uses. Pure.
std::string next_measure_id(const MeasuresPlan& plan);

// `plan` with measure `id` changed as measure_from says. Throws NotFound ("ไม่พบมาตรการ …") when
// the plan has no such measure; Invalid as measure_from. Pure.
MeasuresPlan with_measure_edited(const Edition& e, const MeasuresPlan& plan, const std::string& id,
                                 const MeasureInput& in);

// `plan` with a new measure at the end (id next_measure_id, status planned). Throws Invalid as
// measure_from. Pure.
MeasuresPlan with_measure_added(const Edition& e, const MeasuresPlan& plan, const MeasureInput& in);

// `plan` without measure `id`. Throws, in this order: NotFound when there is no such measure;
// Invalid ("กรุณาทำเครื่องหมายยืนยันการลบมาตรการ") unless `confirmed`; Refused when `reports` hold a
// progress report on it: the store keeps every measure that progress was reported on (a plan may
// not leave one out), so the page says to report it cancelled (ยกเลิก) instead. Pure.
MeasuresPlan without_measure(const MeasuresPlan& plan, const std::string& id, bool confirmed,
                             const std::vector<ProgressReport>& reports);

// `plan` with the signature block of `in`: trimmed name and position, the announcement date.
// Throws Invalid (Thai) for a text that breaks its rule (kSignatureName, kSignaturePosition) or
// a date that is not a real BE date. Pure.
MeasuresPlan with_signature(const MeasuresPlan& plan, const SignatureInput& in);

}  // namespace ita::service
