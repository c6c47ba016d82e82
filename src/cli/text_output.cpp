#include "cli/text_output.hpp"

#include <cmath>

#include "core/rounding.hpp"
#include "core/thai.hpp"

namespace ita::cli {

namespace {

class Writer {
 public:
  explicit Writer(TextStyle s) : s_(s) {}

  std::string num(double v) const { return maybe_thai_digits(format2(round2(v)), s_.thai_digits); }
  std::string num(Rounded v) const { return maybe_thai_digits(format2(v), s_.thai_digits); }
  std::string integer(long long v) const {
    return maybe_thai_digits(std::to_string(v), s_.thai_digits);
  }
  // Free text that may carry numbers (Thai digits switch applies to every digit in it).
  std::string text(const std::string& t) const { return maybe_thai_digits(t, s_.thai_digits); }

  Writer& line(const std::string& l = "") {
    out_ += l;
    out_ += '\n';
    return *this;
  }
  std::string str() const { return out_; }

 private:
  TextStyle s_;
  std::string out_;
};

std::string indicator_name(const Edition& e, int id) {
  const Indicator* i = e.find_indicator(id);
  return i == nullptr ? "" : i->name_th;
}

void header(Writer& w, const Edition& e, const io::AgencyInfo& agency) {
  if (!agency.name.empty()) {
    std::string where = agency.name;
    if (!agency.district.empty()) where += " อำเภอ" + agency.district;
    if (!agency.province.empty()) where += " จังหวัด" + agency.province;
    w.line("หน่วยงาน: " + where);
  }
  w.line("ชุดเกณฑ์: ปีงบประมาณ พ.ศ. " + w.integer(e.fiscal_year) + " (" +
         std::string(provenance_label_th(e.provenance.status)) + ")");
}

void scores(Writer& w, const Edition& e, const Result& r) {
  w.line("คะแนนรวม: " + w.num(r.total) + "  ระดับผลการประเมิน: " + r.level.label_th);
  for (const auto& t : r.tools) {
    const Tool* tool = e.find_tool(t.id);
    w.line("  " + std::string(tool_code(t.id)) + " " + w.num(t.score) + "  (น้ำหนัก " +
           w.integer(std::lround(t.weight * 100)) + "%)" +
           (tool == nullptr ? "" : "  " + tool->name_th));
  }
}

void ranking(Writer& w, const Edition& e, const std::vector<RankedIndicator>& ranking) {
  w.line("ตารางลำดับคะแนนรายตัวชี้วัด");
  w.line("อันดับ\tตัวชี้วัด\tคะแนน\tชื่อตัวชี้วัด");
  for (const auto& ri : ranking) {
    w.line(w.integer(ri.rank) + "\t" + w.integer(ri.id) + "\t" + w.num(ri.shown) + "\t" +
           indicator_name(e, ri.id));
  }
}

}  // namespace

std::string score_text(const Edition& e, const Result& r, const io::AgencyInfo& agency,
                       TextStyle s) {
  Writer w(s);
  header(w, e, agency);
  scores(w, e, r);
  w.line();
  ranking(w, e, rank_indicators(r));
  return w.str();
}

std::string analysis_text(const Edition& e, const Result& r, const Analysis& a,
                          const io::AgencyInfo& agency, TextStyle s) {
  Writer w(s);
  header(w, e, agency);
  scores(w, e, r);
  w.line();
  ranking(w, e, a.ranking);
  w.line();
  w.line("จุดแข็ง (ตัวชี้วัดที่ได้คะแนนตั้งแต่ร้อยละ " + w.num(a.strength_min) + " ขึ้นไป)");
  for (int id : a.strengths)
    w.line("  ตัวชี้วัดที่ " + w.integer(id) + " " + indicator_name(e, id) + " " +
           w.num(r.indicator(id)->score));
  if (a.strengths.empty()) w.line("  -ไม่มี-");
  w.line("จุดอ่อนที่ต้องพัฒนา (ตัวชี้วัดที่ได้คะแนนต่ำกว่าร้อยละ " + w.num(a.strength_min) + ")");
  for (int id : a.weaknesses)
    w.line("  ตัวชี้วัดที่ " + w.integer(id) + " " + indicator_name(e, id) + " " +
           w.num(r.indicator(id)->score));
  if (a.weaknesses.empty()) w.line("  -ไม่มี-");
  w.line();
  w.line("ประเด็นที่มีคะแนนต่ำกว่าร้อยละ " + w.num(a.item_min) + " และประเด็น OIT ที่ได้ " + w.integer(0) +
         " คะแนน");
  if (r.items.empty()) w.line("  (ไม่มีคะแนนรายข้อในข้อมูลนำเข้า)");
  for (const auto& [ind, items] : a.items_below) {
    w.line("  ตัวชี้วัดที่ " + w.integer(ind) + " " + indicator_name(e, ind));
    for (const auto& f : items) w.line("    " + f.code + "  " + w.num(f.shown) + "  " + f.text_th);
  }
  for (const auto& f : a.oit_zero) w.line("  " + f.code + "  " + w.num(f.shown) + "  " + f.text_th);
  return w.str();
}

std::string whatif_text(const Edition& e, const WhatIf& wi, TextStyle s) {
  Writer w(s);
  w.line("ระดับปัจจุบัน: " + wi.current.label_th);
  if (!wi.target) return w.line("อยู่ในระดับสูงสุดของเกณฑ์แล้ว").str();
  w.line("ระดับถัดไป: " + wi.target->label_th);
  if (!wi.reachable) return w.line("ไม่สามารถถึงระดับนี้ได้: " + wi.reason).str();
  if (wi.indicators.empty()) return w.line("ผ่านเงื่อนไขของระดับนี้แล้ว").str();
  w.line("ชุดการปรับปรุงที่เล็กที่สุด (" + w.integer(static_cast<long long>(wi.indicators.size())) +
         " ตัวชี้วัด, เพิ่มรวม " + w.num(wi.total_raise) + " คะแนน):");
  for (const auto& t : wi.indicators) {
    w.line("  ตัวชี้วัดที่ " + w.integer(t.id) + " " + indicator_name(e, t.id) + ": " + w.num(t.from) +
           " → " + w.num(t.to));
  }
  for (const auto& t : wi.items)
    w.line("    ข้อ " + t.code + ": " + w.num(t.from) + " → " + w.num(t.to));
  std::string tools;
  for (const auto& t : wi.new_tools)
    tools += "  " + std::string(tool_code(t.id)) + " " + w.num(t.score);
  w.line("คะแนนรวมใหม่: " + w.num(wi.new_total) + tools);
  return w.str();
}

std::string audit_text(const AuditReport& a, TextStyle s) {
  Writer w(s);
  w.line("พบข้อขัดแย้ง " + w.integer(static_cast<long long>(a.contradictions())) + " รายการ");
  long long rounding = 0;
  for (const auto& f : a.findings) {
    if (f.kind == FindingKind::TotalWithinRounding || f.kind == FindingKind::ToolWithinRounding) {
      ++rounding;
    }
  }
  if (rounding > 0) {
    const std::string note = "ค่าที่ต่างกันจากการปัดเศษเท่านั้น (ไม่ถือเป็นข้อขัดแย้ง) ";
    w.line(note + w.integer(rounding) + " รายการ");
  }
  for (const auto& f : a.findings) w.line((f.contradiction ? "✗ " : "• ") + w.text(f.message_th));
  return w.str();
}

std::string edition_text(const Edition& e, TextStyle s) {
  Writer w(s);
  w.line(e.title_th.empty() ? "ชุดเกณฑ์ " + e.id : e.title_th);
  w.line("ความน่าเชื่อถือ: " + std::string(provenance_label_th(e.provenance.status)) +
         (e.provenance.notes.empty() ? "" : " — " + e.provenance.notes));
  for (const auto& t : e.tools) {
    std::string inds;
    for (int id : e.indicators_of(t.id)) inds += (inds.empty() ? "" : ", ") + w.integer(id);
    w.line(std::string(tool_code(t.id)) + " น้ำหนัก " + w.integer(std::lround(t.weight * 100)) +
           "%  ตัวชี้วัด " + inds + "  " + t.name_th);
  }
  for (const auto& i : e.indicators)
    w.line("  " + w.integer(i.id) + " " + i.name_th + " (" + std::string(tool_code(i.tool)) + ")");
  w.line("IIT " + w.integer(static_cast<long long>(e.iit.items.size())) + " ข้อ (" +
         std::string(provenance_label_th(e.iit.provenance.status)) + "), EIT " +
         w.integer(static_cast<long long>(e.eit.items.size())) + " ข้อ (" +
         std::string(provenance_label_th(e.eit.provenance.status)) + "), OIT " +
         w.integer(static_cast<long long>(e.oit.items.size())) + " ข้อ (" +
         std::string(provenance_label_th(e.oit.provenance.status)) + ")");
  w.line("เกณฑ์ระดับผลการประเมิน (" + std::string(provenance_label_th(e.grading.provenance.status)) +
         "):");
  for (const auto& r : e.grading.rules) {
    std::string cond = "คะแนนรวม ≥ " + w.num(r.min_total);
    if (r.min_every_tool) cond += " และทุกเครื่องมือ ≥ " + w.num(*r.min_every_tool);
    w.line("  " + r.label_th + ": " + cond);
  }
  return w.str();
}

}  // namespace ita::cli
