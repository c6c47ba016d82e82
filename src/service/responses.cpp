#include "service/responses.hpp"

#include "core/thai.hpp"
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
  const auto today = thai_today();
  if (store::effective_status(round, today) != store::RoundStatus::Open)
    throw Refused("รอบการประเมินนี้ปิดรับคำตอบแล้ว");
  if (auto problems = check_answers(e, tool, answers); !problems.empty())
    throw BadAnswers(std::move(problems));
  store::NewResponse nr;
  nr.round_id = round.id;
  nr.tool = tool;
  nr.day = format_iso_date(today);
  nr.answers = std::move(answers);
  if (tool == ToolId::IIT && round.access_codes_required) {
    if (!access_code || access_code->empty()) throw Invalid("กรุณากรอกรหัสเข้าตอบจากใบรหัส");
    nr.access_code_hash = sha256_hex(*access_code);
  }
  return nr;
}

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kFormTokenDays = 3;  // a form expires at the third UTC midnight after

}  // namespace

std::string issue_form_token(store::Store& store, std::int64_t round_id, std::int64_t now) {
  // At a midnight, so that the stored row says nothing of the time the form was shown.
  const std::int64_t expires = (now / kDay + kFormTokenDays) * kDay;
  std::string value = std::to_string(expires) + "." + random_token(16);
  store.add_form_token(sha256_hex(value), round_id, expires);
  return value;
}

std::optional<std::string> form_token_hash(std::string_view value, std::int64_t now) {
  const auto dot = value.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 12 || value.size() - dot - 1 != 32)
    return std::nullopt;
  std::int64_t expires = 0;
  for (const char c : value.substr(0, dot)) {
    if (c < '0' || c > '9') return std::nullopt;
    expires = expires * 10 + (c - '0');
  }
  for (const char c : value.substr(dot + 1)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  if (now >= expires) return std::nullopt;
  return sha256_hex(value);
}

}  // namespace ita::service
