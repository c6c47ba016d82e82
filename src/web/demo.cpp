#include "web/demo.hpp"

#include <algorithm>
#include <random>

#include "service/calendar.hpp"
#include "web/app.hpp"
#include "web/auth.hpp"

namespace ita::web {

namespace {

constexpr const char* kDemoAgency = "เทศบาลตำบลแม่สายมิตรภาพ";
constexpr const char* kDemoPassword = "demo-ita-2567";
constexpr int kIitRespondents = 36;
constexpr int kEitRespondents = 72;

const std::vector<std::pair<std::string, store::Role>>& demo_users() {
  static const std::vector<std::pair<std::string, store::Role>> users = {
      {"admin@demo.openita", store::Role::Admin},
      {"officer@demo.openita", store::Role::Officer},
      {"assessor@demo.openita", store::Role::Assessor},
      {"viewer@demo.openita", store::Role::Viewer}};
  return users;
}

// One respondent's answers, mostly favourable, with a deterministic generator.
std::map<std::string, std::string> demo_answers(const Edition& e, ToolId tool, std::mt19937& rng) {
  std::discrete_distribution<int> rank({76, 20, 3, 1});  // best option first
  std::map<std::string, std::string> answers;
  for (const auto& item : e.questionnaire(tool).items) {
    for (const auto& sub : item.sub_items) {
      const auto ref = *e.find_answer_unit(sub.code);
      auto options = e.scales.at(sub.scale).options;
      std::sort(options.begin(), options.end(), [&](const ScaleOption& a, const ScaleOption& b) {
        return *e.points(ref, a.code) > *e.points(ref, b.code);
      });
      const auto k = std::min<std::size_t>(static_cast<std::size_t>(rank(rng)), options.size() - 1);
      answers[sub.code] = options[k].code;
    }
  }
  return answers;
}

void demo_oit(store::Store& s, const Edition& e, std::int64_t round, std::int64_t officer,
              std::int64_t assessor) {
  for (const auto& item : e.oit.items) {
    s.put_oit_evidence(round, item.code,
                       "https://maesaimittraphap.example/ita/" + e.id + "/" + item.code, "",
                       officer);
    const bool fails = item.code == "O16" || item.code == "O31";
    s.review_oit(round, item.code, !fails, fails ? "ข้อมูลไม่ครบถ้วนตามองค์ประกอบ" : "", assessor);
  }
  s.appeal_oit(round, "O16", "เผยแพร่รายงานผลการสำรวจความพึงพอใจไว้ในหน้าเดิมแล้ว", officer);
  s.confirm_oit(round, "O16", true, "ผ่านหลังชี้แจง", assessor);
  s.confirm_oit(round, "O31", false, "ยังไม่มีข้อมูลเชิงสถิติเรื่องร้องเรียน", assessor);
}

}  // namespace

DemoInfo load_demo(store::Store& s, const io::EditionSet& editions) {
  init_crypto();
  DemoInfo info;
  for (const auto& [email, role] : demo_users())
    info.logins.push_back({email, store::role_code(role), kDemoPassword});
  for (const auto& a : s.agencies()) {
    if (a.name != kDemoAgency) continue;
    const auto rounds = s.rounds_of_agency(a.id);
    if (!rounds.empty()) {
      info.round_id = rounds.front().id;
      info.iit_link_token = rounds.front().iit_token;
      info.eit_link_token = rounds.front().eit_token;
    }
    return info;
  }
  info.created = true;
  const auto agency =
      s.create_agency({0, kDemoAgency, "แม่สาย", "เชียงราย", "เทศบาลตำบล"}, std::nullopt);
  std::map<store::Role, std::int64_t> ids;
  const std::string hash = hash_password(kDemoPassword);
  for (const auto& [email, role] : demo_users()) {
    store::User u{0, email, role, std::nullopt, hash};
    if (role == store::Role::Officer || role == store::Role::Viewer) u.agency_id = agency.id;
    ids[role] = s.create_user(u, std::nullopt).id;
  }
  const Edition& e = editions.get("2564");
  store::Round r{0,
                 agency.id,
                 e.id,
                 48,
                 650,
                 random_token(12),
                 random_token(12),
                 false,
                 store::RoundStatus::Open};
  r = s.create_round(r, ids[store::Role::Officer]);
  info.round_id = r.id;
  info.iit_link_token = r.iit_token;
  info.eit_link_token = r.eit_token;
  std::mt19937 rng(2567);
  for (const auto& [tool, count] :
       {std::pair{ToolId::IIT, kIitRespondents}, std::pair{ToolId::EIT, kEitRespondents}}) {
    for (int i = 0; i < count; ++i) {
      s.submit_response(
          {r.id, tool, service::today_in_thailand(), demo_answers(e, tool, rng), std::nullopt});
    }
  }
  demo_oit(s, e, r.id, ids[store::Role::Officer], ids[store::Role::Assessor]);
  return info;
}

}  // namespace ita::web
