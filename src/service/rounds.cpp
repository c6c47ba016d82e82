#include "service/rounds.hpp"

#include "core/survey.hpp"
#include "service/errors.hpp"
#include "service/secrets.hpp"

namespace ita::service {

store::Agency find_agency(store::Store& store, std::int64_t id) {
  auto agency = store.agency(id);
  if (!agency) throw NotFound("ไม่พบหน่วยงาน " + std::to_string(id));
  return std::move(*agency);
}

store::Round create_round(store::Store& store, EditionCatalog& editions, const NewRound& r,
                          std::int64_t by_user) {
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
  return store.create_round(round, by_user);
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

}  // namespace ita::service
