#pragma once
// The tracker's two reports on the measures plan, as document models for render_pdf,
// render_html and render_docx (report/render.hpp):
//  - "รายงานความก้าวหน้าการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส รอบ ๖ เดือน"
//    (1 October - 31 March of the plan's fiscal year), and
//  - "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. …"
//    (the whole fiscal year).
// Both are next year's OIT evidence for the measures items.
#include "core/tracker.hpp"
#include "io/result_input.hpp"
#include "report/document.hpp"

namespace ita::report {

// Title, agency and period; a summary of the measures by status (with the overdue ones); then a
// table per measure: มาตรการ, ผู้รับผิดชอบ, กำหนด, สถานะ (with "เกินกำหนด" for an overdue one),
// ผลการดำเนินการ (the period's reports), หลักฐาน (their evidence URLs). Which report it is follows
// from summary.period.kind. `options.thai_digits` turns the digits of the text into Thai digits,
// except inside URLs; `options.be_dates` as for the measures document.
Document build_progress_document(const io::AgencyInfo& agency, const ProgressSummary& summary,
                                 const DocumentOptions& options);

}  // namespace ita::report
