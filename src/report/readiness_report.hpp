#pragma once
// The OIT readiness check's report (service/oit_check.hpp) as a document model for render_pdf,
// render_html and render_docx (report/render.hpp): what an officer prints or files to fix the
// evidence before the assessors see it.
#include <string>
#include <utility>
#include <vector>

#include "report/document.hpp"

namespace ita::report {

// One item as the report lists it; texts as the pages show them (Thai).
struct ReadinessRow {
  std::string code;
  std::string name_th;
  std::string verdict_th;
  std::string reason_th;
  std::string url;  // "" for an item without evidence
};

// A finished check, in the words and numbers its page shows.
struct ReadinessReport {
  std::string agency_name;
  int fiscal_year = 0;     // BE
  std::string checked_th;  // when it finished: "4 ธ.ค. 2569 05:04 น."
  int likely_fine = 0;
  int items = 0;
  std::string predicted_oit;    // two decimals
  std::string predicted_total;  // two decimals; "" until the IIT and EIT have respondents
  std::vector<std::pair<std::string, int>> tally;  // verdict (Thai) → items, worst first
  std::vector<ReadinessRow> rows;                  // in the edition's order
};

// Title, agency and time of the check, a notice that it is a prediction, the summary with the
// predicted scores, a table of items per verdict, and a table of every item: ข้อ, รายการ,
// ผลการตรวจ, เหตุผลและสิ่งที่ควรแก้ (the reason, then the URL). `options.thai_digits` turns the
// digits of the text into Thai digits, except inside URLs and item codes (O12). Pure.
Document build_readiness_document(const ReadinessReport& report, const DocumentOptions& options);

}  // namespace ita::report
