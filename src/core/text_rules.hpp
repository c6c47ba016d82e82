#pragma once
// What a stored text field may hold (README and docs/api.md, "Text fields"). Every text a person
// types and the system stores — agency names, OIT notes, review comments, measures, progress
// reports, e-mail addresses — is checked against its field's rule before it is stored (by
// src/service, which names the field in its refusal), so that no page, CSV, spreadsheet or
// document written from it later can be broken or made to lie by it.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ita {

struct TextRule {
  std::size_t max_chars = 0;  // Unicode code points
  bool multiline = false;     // newlines (LF, CR LF) allowed
};

// The kinds of limit.
inline constexpr TextRule kNameRule{200, false};       // agency name, district, type
inline constexpr TextRule kShortTextRule{500, false};  // titles, responsible units, labels
inline constexpr TextRule kLongTextRule{10000, true};  // notes, comments, reports, steps
inline constexpr TextRule kUrlRule{2000, false};
inline constexpr TextRule kEmailRule{254, false};  // RFC 5321's longest forward path
inline constexpr TextRule kCodeRule{100, false};   // ids people choose (a measure's id)

// A stored text field: its name in the documentation, its name in a refusal, its rule.
struct TextField {
  std::string_view code;      // "agency.name"
  std::string_view label_th;  // "ชื่อหน่วยงาน"
  TextRule rule;
};

// The stored text fields: the one table of their limits (README and docs/api.md list it;
// tests/core/text_rules_test.cpp checks that they do).
inline constexpr TextField kAgencyName{"agency.name", "ชื่อหน่วยงาน", kNameRule};
inline constexpr TextField kAgencyDistrict{"agency.district", "อำเภอ", kNameRule};
inline constexpr TextField kAgencyProvince{"agency.province", "จังหวัด", kNameRule};
inline constexpr TextField kAgencyType{"agency.type", "ประเภทหน่วยงาน", kNameRule};
inline constexpr TextField kUserEmail{"user.email", "อีเมล", kEmailRule};
inline constexpr TextField kOitUrl{"oit.url", "ลิงก์หลักฐาน OIT", kUrlRule};
inline constexpr TextField kOitNote{"oit.note", "หมายเหตุของหลักฐาน OIT", kLongTextRule};
inline constexpr TextField kOitComment{"oit.comment", "ความเห็นของผู้ประเมิน", kLongTextRule};
inline constexpr TextField kOitExplanation{"oit.explanation", "คำชี้แจงเพิ่มเติม", kLongTextRule};
inline constexpr TextField kMethodText{"plan.improvement_methods.text_th", "แนวทางการพัฒนา",
                                       kLongTextRule};
inline constexpr TextField kMethodItem{"plan.improvement_methods.item", "รหัสข้อของแนวทางการพัฒนา",
                                       kCodeRule};
inline constexpr TextField kMeasureId{"plan.measures.id", "รหัสมาตรการ", kCodeRule};
inline constexpr TextField kMeasureTitle{"plan.measures.title_th", "ชื่อมาตรการ", kShortTextRule};
inline constexpr TextField kMeasureStep{"plan.measures.steps_th", "ขั้นตอนของมาตรการ", kLongTextRule};
inline constexpr TextField kMeasureResponsible{"plan.measures.responsible_th", "ผู้รับผิดชอบ",
                                               kShortTextRule};
inline constexpr TextField kMeasureMonitoring{"plan.measures.monitoring_th", "การกำกับติดตาม",
                                              kLongTextRule};
inline constexpr TextField kSignatureName{"plan.signature.name_th", "ชื่อผู้ลงนาม", kNameRule};
inline constexpr TextField kSignaturePosition{"plan.signature.position_th", "ตำแหน่งผู้ลงนาม",
                                              kShortTextRule};
inline constexpr TextField kProgressText{"progress.text", "ผลการดำเนินการ", kLongTextRule};
inline constexpr TextField kProgressUrl{"progress.evidence_url", "ลิงก์หลักฐาน", kUrlRule};
inline constexpr TextField kEditionText{"edition.*", "ข้อความของชุดเกณฑ์", kLongTextRule};

// Every field above, in that order.
std::span<const TextField> stored_text_fields();

// Why a text may not be stored.
struct TextFault {
  enum class Kind {
    NotUtf8,
    Control,       // a control character: C0 but tab (and newlines where allowed), DEL, C1
    Noncharacter,  // U+FFFE, U+FFFF, U+FDD0–FDEF …: XML 1.0 cannot hold U+FFFE/U+FFFF
    UnopenedBidi,  // PDF or PDI without its embedding, override or isolate
    UnclosedBidi,  // LRE, RLE, LRO, RLO, LRI, RLI or FSI never closed
    OnlyMarks,     // combining marks (and zero-width or bidi controls) without a base letter
    TooLong,
  };
  Kind kind = Kind::NotUtf8;
  char32_t code_point = 0;  // Control, Noncharacter and the bidi kinds: the offending one
  std::size_t chars = 0;    // TooLong: how many code points the text has
  std::size_t limit = 0;    // TooLong: how many it may have

  // "ข้อความมีอักขระควบคุม (U+0007) ซึ่งบันทึกไม่ได้": for the person who typed it.
  std::string message_th() const;
  // "the text has the control character U+0007": for the API's and the cli's English messages.
  std::string message_en() const;
};

// What is wrong with `s` under `rule`, or nothing when it may be stored. Checked in this order:
// text that is not UTF-8; more than rule.max_chars code points; control characters other than
// tab (and newlines in a multiline field); noncharacters; bidirectional embeddings, overrides and
// isolates that are not closed, or closings without an opening; text made only of combining marks
// (Thai vowel and tone marks without a consonant, U+0300–036F …). Empty text is allowed (whether
// a field is required is the caller's rule). Pure.
std::optional<TextFault> text_fault(std::string_view s, const TextRule& rule);

// text_fault's Thai message, or nothing.
std::optional<std::string> text_problem(std::string_view s, const TextRule& rule);

}  // namespace ita
