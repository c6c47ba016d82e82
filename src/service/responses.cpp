#include "service/responses.hpp"

#include "service/calendar.hpp"
#include "service/secrets.hpp"

namespace ita::service {

namespace {

std::string first_ten(const std::vector<AnswerProblem>& problems) {
  std::string all;
  for (std::size_t i = 0; i < problems.size() && i < 10; ++i)
    all += (all.empty() ? "" : "; ") + problems[i].message;
  if (problems.size() > 10) all += "; และอีก " + std::to_string(problems.size() - 10) + " ข้อ";
  return all;
}

}  // namespace

BadAnswers::BadAnswers(std::vector<AnswerProblem> problems)
    : Invalid(first_ten(problems)), problems_(std::move(problems)) {}

store::NewResponse accept_response(const Edition& e, const store::Round& round, ToolId tool,
                                   std::map<std::string, std::string> answers,
                                   const std::optional<std::string>& access_code) {
  if (round.status != store::RoundStatus::Open) throw Refused("รอบการประเมินนี้ปิดรับคำตอบแล้ว");
  if (auto problems = check_answers(e, tool, answers); !problems.empty())
    throw BadAnswers(std::move(problems));
  store::NewResponse nr;
  nr.round_id = round.id;
  nr.tool = tool;
  nr.day = today_in_thailand();
  nr.answers = std::move(answers);
  if (tool == ToolId::IIT && round.access_codes_required) {
    if (!access_code || access_code->empty()) throw Invalid("กรุณากรอกรหัสเข้าตอบจากใบรหัส");
    nr.access_code_hash = sha256_hex(*access_code);
  }
  return nr;
}

}  // namespace ita::service
