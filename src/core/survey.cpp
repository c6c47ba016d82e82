#include "core/survey.hpp"

namespace ita {

std::vector<ToolId> incomplete_surveys(const Edition& e) {
  std::vector<ToolId> out;
  for (ToolId t : {ToolId::IIT, ToolId::EIT}) {
    if (e.questionnaire(t).provenance.status == ProvenanceStatus::Partial) out.push_back(t);
  }
  return out;
}

std::vector<AnswerProblem> check_answers(const Edition& e, ToolId tool,
                                         const std::map<std::string, std::string>& answers) {
  std::vector<AnswerProblem> problems;
  if (tool == ToolId::OIT) return {{"", "OIT ไม่ใช่แบบสอบถาม"}};
  const Questionnaire& q = e.questionnaire(tool);
  if (q.items.empty())
    return {{"", "ชุดเกณฑ์ " + e.id + " ยังไม่มีข้อคำถาม " + std::string(tool_code(tool))}};
  std::size_t known = 0;
  const Scale* scale = nullptr;  // the last one looked up: neighbouring units share their scale
  for (const auto& item : q.items) {
    for (const auto& sub : item.sub_items) {
      auto it = answers.find(sub.code);
      if (it == answers.end() || it->second.empty()) {
        problems.push_back({sub.code, "ยังไม่ได้ตอบข้อ " + sub.code});
        continue;
      }
      ++known;
      if (scale == nullptr || scale->id != sub.scale) scale = &e.scales.at(sub.scale);
      if (scale->find(it->second) == nullptr) {
        problems.push_back(
            {sub.code, "คำตอบ \"" + it->second + "\" ของข้อ " + sub.code + " ไม่อยู่ในตัวเลือก"});
      }
    }
  }
  if (known != answers.size()) {
    for (const auto& [code, _] : answers) {
      const auto ref = e.find_answer_unit(code);
      if (!ref || ref->tool != tool)
        problems.push_back(
            {code, "ไม่มีข้อ " + code + " ในแบบสอบถาม " + std::string(tool_code(tool)) + " ชุดนี้"});
    }
  }
  return problems;
}

}  // namespace ita
