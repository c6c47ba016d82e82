#include "service/rounds.hpp"

#include "core/survey.hpp"
#include "core/thai.hpp"
#include "service/errors.hpp"
#include "service/responses.hpp"
#include "service/secrets.hpp"

namespace ita::service {

namespace {

namespace chr = std::chrono;

// A closing date must be from today to two years ahead: a later one is most likely a Buddhist Era
// year written where a Common Era one belongs (2570-01-31 for 31 January 2027).
void check_closing_date(chr::year_month_day closes_at, chr::year_month_day today) {
  if (closes_at < today)
    throw Invalid("วันปิดรับคำตอบ (" + format_thai_date(closes_at) + ") ต้องไม่ก่อนวันนี้ (" +
                  format_thai_date(today) + ")");
  const chr::year_month_day limit{chr::sys_days(today) + chr::days(2 * 366)};
  if (closes_at > limit)
    throw Invalid("วันปิดรับคำตอบ (" + format_thai_date(closes_at) +
                  ") ต้องไม่เกินสองปีนับจากวันนี้ กรุณาตรวจสอบปี พ.ศ. และ ค.ศ.");
}

}  // namespace

store::Agency find_agency(store::Store& store, std::int64_t id) {
  auto agency = store.agency(id);
  if (!agency) throw NotFound("ไม่พบหน่วยงาน " + std::to_string(id));
  return std::move(*agency);
}

store::Round create_round(store::Store& store, EditionCatalog& editions, const NewRound& r,
                          std::int64_t by_user, chr::year_month_day today) {
  find_agency(store, r.agency_id);
  const Edition* e = editions.find(r.edition);
  if (e == nullptr) throw Invalid("ไม่รู้จักชุดเกณฑ์ \"" + r.edition + "\"");
  if (const auto incomplete = incomplete_surveys(*e); !incomplete.empty() && !r.practice) {
    std::string tools;
    for (ToolId t : incomplete) tools += (tools.empty() ? "" : " และ ") + std::string(tool_code(t));
    throw Invalid("ชุดเกณฑ์ พ.ศ. " + std::to_string(e->fiscal_year) + " มีข้อคำถาม " + tools +
                  " ไม่ครบถ้วน จึงเปิดรอบการประเมินจริงไม่ได้ หากต้องการทดลองใช้ "
                  "ให้เลือก \"รอบทดลอง\" หรือให้ผู้ดูแลระบบเผยแพร่ชุดเกณฑ์ที่ครบถ้วนก่อน");
  }
  if (r.staff_count < 1 || r.staff_count > 1000000)
    throw Invalid("จำนวนบุคลากรต้องเป็นจำนวนเต็มตั้งแต่ 1");
  if (r.service_users < 1 || r.service_users > 100000000)
    throw Invalid("จำนวนผู้รับบริการโดยประมาณต้องเป็นจำนวนเต็มตั้งแต่ 1");
  if (r.response_cap_percent && (*r.response_cap_percent < 100 || *r.response_cap_percent > 1000))
    throw Invalid(
        "เพดานจำนวนผู้ตอบ IIT (response_cap_percent) ต้องเป็นร้อยละ 100 ถึง 1000 ของจำนวนบุคลากร");
  if (r.closes_at) check_closing_date(*r.closes_at, today);
  store::Round round;
  round.agency_id = r.agency_id;
  round.edition_id = r.edition;
  round.staff_count = r.staff_count;
  round.service_users = r.service_users;
  round.iit_token = random_token(12);
  round.eit_token = random_token(12);
  round.access_codes_required = r.access_codes;
  round.status = store::RoundStatus::Open;
  round.practice = r.practice;
  round.closes_at = r.closes_at;
  round.response_cap_percent = r.response_cap_percent;
  return store.create_round(round, by_user);
}

store::Round find_round(store::Store& store, std::int64_t id) {
  auto round = store.round(id);
  if (!round) throw NotFound("ไม่พบรอบการประเมิน " + std::to_string(id));
  return std::move(*round);
}

std::optional<chr::year_month_day> parse_closing_date(std::string_view text) {
  std::string_view t = text;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (t.empty()) return std::nullopt;
  if (auto d = parse_iso_date(t)) return d;
  if (auto d = parse_be_date(t)) return d;
  throw Invalid("วันปิดรับคำตอบต้องเป็นวันที่จริงในรูปแบบ วัน/เดือน/ปี พ.ศ. เช่น 31/01/2570 (ได้รับ \"" +
                std::string(t) + "\")");
}

store::Round close_round(store::Store& store, std::int64_t round_id,
                         std::optional<std::int64_t> actor, chr::year_month_day today) {
  const store::Round round = find_round(store, round_id);
  if (store::effective_status(round, today) == store::RoundStatus::Closed)
    throw Refused("รอบการประเมินนี้ปิดรับคำตอบอยู่แล้ว");
  return store.change_round(round_id, store::RoundChange::Close, round.closes_at, actor);
}

store::Round reopen_round(store::Store& store, std::int64_t round_id,
                          std::optional<std::int64_t> actor, chr::year_month_day today) {
  const store::Round round = find_round(store, round_id);
  if (store::effective_status(round, today) == store::RoundStatus::Open)
    throw Refused("รอบการประเมินนี้เปิดรับคำตอบอยู่แล้ว");
  // A closing date already past would close it again at once.
  const auto closes_at =
      round.closes_at && *round.closes_at < today ? std::nullopt : round.closes_at;
  return store.change_round(round_id, store::RoundChange::Reopen, closes_at, actor);
}

store::Round set_closing_date(store::Store& store, std::int64_t round_id,
                              std::optional<chr::year_month_day> closes_at,
                              std::optional<std::int64_t> actor, chr::year_month_day today) {
  const store::Round round = find_round(store, round_id);
  if (store::effective_status(round, today) == store::RoundStatus::Closed)
    throw Refused("รอบการประเมินนี้ปิดรับคำตอบแล้ว เปลี่ยนวันปิดรับคำตอบได้หลังผู้ดูแลระบบเปิดรับคำตอบอีกครั้ง");
  if (closes_at) check_closing_date(*closes_at, today);
  return store.change_round(round_id, store::RoundChange::ClosingDate, closes_at, actor);
}

std::vector<std::string> issue_access_codes(store::Store& store, std::int64_t round_id, int count,
                                            std::int64_t by_user) {
  if (count < 1 || count > 2000) throw Invalid("จำนวนรหัสต้องอยู่ระหว่าง 1 ถึง 2000");
  std::vector<std::string> codes, hashes;
  for (int i = 0; i < count; ++i) {
    std::string code = random_token(5);  // 10 hex digits, printed on a slip
    hashes.push_back(sha256_hex(code));
    codes.push_back(std::move(code));
  }
  store.add_access_codes(round_id, hashes, by_user);
  return codes;
}

std::vector<std::string> issue_access_codes_once(store::Store& store, std::int64_t round_id,
                                                 int count, std::string_view form_value,
                                                 std::int64_t by_user, std::int64_t now) {
  if (count < 1 || count > 2000) throw Invalid("จำนวนรหัสต้องอยู่ระหว่าง 1 ถึง 2000");
  static const char* const kIssued =
      "ใบรหัสชุดนี้ออกไปแล้ว ระบบไม่ออกรหัสชุดใหม่จากแบบฟอร์มเดิม (เช่น เมื่อโหลดหน้าซ้ำ) "
      "หากต้องการรหัสเพิ่ม กรุณากดสร้างใบรหัสอีกครั้งจากหน้านี้";
  const auto token_hash = form_token_hash(form_value, now);
  if (!token_hash) throw Refused(kIssued);
  std::vector<std::string> codes, hashes;
  for (int i = 0; i < count; ++i) {
    std::string code = random_token(5);
    hashes.push_back(sha256_hex(code));
    codes.push_back(std::move(code));
  }
  if (!store.add_access_codes_once(round_id, *token_hash, hashes, by_user)) throw Refused(kIssued);
  return codes;
}

}  // namespace ita::service
