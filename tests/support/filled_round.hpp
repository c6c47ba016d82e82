#pragma once
// A round filled straight through the store (no web layer): an agency, IIT and EIT respondents
// answering every answer unit of the edition with seeded random options, and every OIT item
// judged (one failed item appealed and confirmed as a pass). `expected` is the same data scored
// directly, the result an export of the round must reproduce. Header-only: used by the report
// and CLI test executables.
#include <cstdint>
#include <map>
#include <random>
#include <string>

#include "core/scoring.hpp"
#include "store/store.hpp"

namespace ita::testing {

struct FilledRound {
  store::Agency agency;
  store::Round round;
  Result expected;
  std::map<std::string, bool> verdicts;  // effective OIT verdicts
};

inline FilledRound fill_round(store::Store& s, const Edition& e, const store::Agency& agency_fields,
                              int iit, int eit, std::uint32_t seed) {
  FilledRound out;
  out.agency = s.create_agency(agency_fields, std::nullopt);
  store::User u;
  u.email = "filler-" + std::to_string(out.agency.id) + "-" + std::to_string(seed) + "@test";
  u.role = store::Role::Admin;
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  const auto user = s.create_user(u, std::nullopt);
  store::Round r;
  r.agency_id = out.agency.id;
  r.edition_id = e.id;
  r.staff_count = iit + 5;
  r.service_users = eit + 50;
  r.iit_token = "iit-" + std::to_string(out.agency.id) + "-" + std::to_string(seed);
  r.eit_token = "eit-" + std::to_string(out.agency.id) + "-" + std::to_string(seed);
  r.status = store::RoundStatus::Open;
  out.round = s.create_round(r, user.id);

  std::mt19937 rng(seed);
  AnswerTally tally(e);
  int respondent = 0;
  for (ToolId tool : {ToolId::IIT, ToolId::EIT}) {
    for (int k = 0; k < (tool == ToolId::IIT ? iit : eit); ++k) {
      store::NewResponse nr;
      nr.round_id = out.round.id;
      nr.tool = tool;
      nr.day = "2024-05-01";
      const std::string who = "r" + std::to_string(++respondent);
      for (const auto& item : e.questionnaire(tool).items) {
        for (const auto& sub : item.sub_items) {
          const auto& options = e.scales.at(sub.scale).options;
          const std::string& option = options[rng() % options.size()].code;
          nr.answers[sub.code] = option;
          tally.add(tool, who, sub.code, option);
        }
      }
      s.submit_response(nr);
    }
  }
  bool appealed = false;
  for (const auto& item : e.oit.items) {
    const bool pass = rng() % 4 != 0;
    s.put_oit_evidence(out.round.id, item.code, "https://agency.example/ita/" + item.code, "",
                       user.id);
    s.review_oit(out.round.id, item.code, pass, pass ? "" : "ไม่ครบ", user.id);
    bool final_verdict = pass;
    if (!pass && !appealed) {
      s.appeal_oit(out.round.id, item.code, "ข้อมูลอยู่ในหน้าเดิมแล้ว", user.id);
      s.confirm_oit(out.round.id, item.code, true, "", user.id);
      final_verdict = true;
      appealed = true;
    }
    out.verdicts[item.code] = final_verdict;
    tally.add_oit(item.code, final_verdict);
  }
  out.expected = score(e, tally);
  return out;
}

}  // namespace ita::testing
