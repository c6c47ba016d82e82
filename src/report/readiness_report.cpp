#include "report/readiness_report.hpp"

#include "core/thai.hpp"

namespace ita::report {

namespace {

constexpr const char* kTitle = "รายงานความพร้อมของหลักฐานการเปิดเผยข้อมูลสาธารณะ (OIT)";
constexpr const char* kNotice =
    "ผลนี้เป็นการคาดการณ์จากการเปิดลิงก์หลักฐานโดยอัตโนมัติ เพื่อให้หน่วยงานแก้ไขก่อนผู้ประเมินพิจารณา "
    "ไม่ใช่ผลการพิจารณาของผู้ประเมิน";

Cell cell(std::string text, Align align = Align::Left) {
  return Cell{{std::move(text)}, align, false, false};
}

Table tally_table(const ReadinessReport& r, const DocumentOptions& o) {
  Table t{{{"ผลการตรวจ", 3}, {"จำนวนข้อ", 1}}, {}};
  for (const auto& [verdict, n] : r.tally) {
    t.rows.push_back(
        {cell(verdict), cell(maybe_thai_digits(std::to_string(n), o.thai_digits), Align::Center)});
  }
  return t;
}

Table items_table(const ReadinessReport& r, const DocumentOptions& o) {
  Table t{{{"ข้อ", 0.7}, {"รายการ", 2.3}, {"ผลการตรวจ", 1.6}, {"เหตุผลและสิ่งที่ควรแก้", 4.4}}, {}};
  for (const ReadinessRow& row : r.rows) {
    Cell reason{
        {maybe_thai_digits_except_urls(row.reason_th, o.thai_digits)}, Align::Left, false, false};
    // The URL stays as typed: a Thai digit in it would make another address.
    if (!row.url.empty()) reason.lines.push_back(row.url);
    // An item's code is its name in the edition (O12), written as the edition writes it.
    t.rows.push_back({cell(row.code, Align::Center), cell(row.name_th), cell(row.verdict_th),
                      std::move(reason)});
  }
  return t;
}

}  // namespace

Document build_readiness_document(const ReadinessReport& r, const DocumentOptions& options) {
  const auto digits = [&](const std::string& s) {
    return maybe_thai_digits(s, options.thai_digits);
  };
  Document doc;
  doc.title = kTitle;
  doc.author = r.agency_name;
  doc.thai_digits = options.thai_digits;
  doc.keep_together = {"ประจำปีงบประมาณ", "ผู้ประเมิน", "หลักฐาน"};
  const auto para = [&](ParagraphStyle style, std::string text) {
    doc.blocks.emplace_back(Paragraph{style, std::move(text)});
  };
  para(ParagraphStyle::Title, kTitle);
  para(ParagraphStyle::Subtitle,
       r.agency_name + " ประจำปีงบประมาณ พ.ศ. " + digits(std::to_string(r.fiscal_year)));
  para(ParagraphStyle::Subtitle, "ตรวจเมื่อ " + digits(r.checked_th));
  para(ParagraphStyle::Body, kNotice);
  std::string summary = "น่าจะผ่านเกณฑ์ " + std::to_string(r.likely_fine) + " จาก " +
                        std::to_string(r.items) + " ข้อ คะแนน OIT ที่คาดการณ์ " + r.predicted_oit;
  summary += r.predicted_total.empty() ? " (คะแนนรวมคาดการณ์ได้เมื่อมีผู้ตอบแบบวัด IIT และ EIT)"
                                       : " คะแนนรวมที่คาดการณ์ " + r.predicted_total;
  para(ParagraphStyle::Heading, "1. สรุปผลการตรวจ");
  para(ParagraphStyle::Body, digits(summary));
  para(ParagraphStyle::Caption, "จำนวนข้อตามผลการตรวจ");
  doc.blocks.emplace_back(tally_table(r, options));
  para(ParagraphStyle::Heading, "2. ผลการตรวจรายข้อ");
  para(ParagraphStyle::Caption, "ผลการตรวจรายข้อ");
  doc.blocks.emplace_back(items_table(r, options));
  return doc;
}

}  // namespace ita::report
