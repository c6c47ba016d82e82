#include "service/scoring.hpp"

#include "core/error.hpp"

namespace ita::service {

std::map<std::string, bool> oit_verdicts(store::Store& store, std::int64_t round_id) {
  std::map<std::string, bool> verdicts;
  for (const auto& entry : store.oit_entries(round_id)) {
    if (auto v = entry.effective_verdict()) verdicts[entry.item] = *v;
  }
  return verdicts;
}

RoundScore score_round(store::Store& store, const Edition& e, const store::Round& round) {
  return score_round_with_oit(store, e, round, oit_verdicts(store, round.id));
}

RoundScore score_round_with_oit(store::Store& store, const Edition& e, const store::Round& round,
                                const std::map<std::string, bool>& verdicts) {
  RoundScore out;
  AnswerTally tally(e);
  try {
    store.for_each_answer(round.id, [&](const store::AnswerRow& row) {
      tally.add(row.tool, row.response_id, row.unit, row.option);
    });
  } catch (const InputError& err) {
    out.missing.push_back("คำตอบที่บันทึกไว้ไม่ตรงกับชุดเกณฑ์: " + std::string(err.what()));
    return out;
  }
  std::string unjudged;
  for (const auto& item : e.oit.items) {
    auto it = verdicts.find(item.code);
    if (it == verdicts.end()) {
      unjudged += (unjudged.empty() ? "" : ", ") + item.code;
    } else {
      tally.add_oit(item.code, it->second);
    }
  }
  if (tally.respondents(ToolId::IIT) == 0) out.missing.push_back("ยังไม่มีผู้ตอบแบบวัด IIT");
  if (tally.respondents(ToolId::EIT) == 0) out.missing.push_back("ยังไม่มีผู้ตอบแบบวัด EIT");
  if (!unjudged.empty()) out.missing.push_back("ข้อ OIT ที่ยังไม่ได้พิจารณา: " + unjudged);
  if (!out.missing.empty()) return out;
  try {
    out.result = score(e, tally);
  } catch (const InputError& err) {
    out.missing.push_back(err.what());
  }
  return out;
}

std::string reasons(const std::vector<std::string>& missing) {
  std::string out;
  for (const auto& m : missing) out += (out.empty() ? "" : "; ") + m;
  return out;
}

}  // namespace ita::service
